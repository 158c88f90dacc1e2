import { NavLink, Outlet } from 'react-router';
import { DemoBanner } from '@/components/DemoBanner';
import { useAppConfig } from '@/config/context';
import { paths } from '@/config/paths';
import { DemoStart } from '@/features/auth/components/DemoStart';
import { SignIn } from '@/features/auth/components/SignIn';
import { UserMenu } from '@/features/auth/components/UserMenu';
import { canAdminister, canReview, useSession } from '@/lib/session';

import { usePageFocus } from './use-page-focus';

export function Layout() {
  const config = useAppConfig();
  const session = useSession();
  usePageFocus(session !== null);
  if (!session) {
    // Demo mode has no sign-in: it starts as the demo reviewer, and the role switch changes it.
    if (config.mode === 'demo') return <DemoStart />;
    return <SignIn auth={config.auth} />;
  }
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
          {canReview(session.role) && <NavLink to={paths.review}>Review queue</NavLink>}
          {canReview(session.role) && <NavLink to={paths.vendors}>Vendors</NavLink>}
          {canReview(session.role) && <NavLink to={paths.dashboard}>Dashboard</NavLink>}
          {canAdminister(session.role) && <NavLink to={paths.webhooks}>Webhooks</NavLink>}
          {canAdminister(session.role) && <NavLink to={paths.settings}>Settings</NavLink>}
        </nav>
        <UserMenu />
      </header>
      <main id="main" className="app-main">
        <Outlet />
      </main>
    </>
  );
}
