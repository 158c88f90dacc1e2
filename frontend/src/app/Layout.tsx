import { NavLink, Outlet } from 'react-router';
import { ClerkNameField } from '@/components/ClerkNameField';
import { DemoBanner } from '@/components/DemoBanner';
import { useAppConfig } from '@/config/context';
import { paths } from '@/config/paths';
import { usePageFocus } from './use-page-focus';

export function Layout() {
  const config = useAppConfig();
  usePageFocus();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {config.mode === 'demo' && <DemoBanner />}
      <header className="app-header">
        <span className="app-header__brand">DocuFlow OCR</span>
        <nav aria-label="Main">
          <NavLink to={paths.upload} end>
            Upload
          </NavLink>
          <NavLink to={paths.jobs}>Jobs</NavLink>
          <NavLink to={paths.review}>Review queue</NavLink>
          <NavLink to={paths.vendors}>Vendors</NavLink>
        </nav>
        <ClerkNameField />
      </header>
      <main id="main" className="app-main">
        <Outlet />
      </main>
    </>
  );
}
