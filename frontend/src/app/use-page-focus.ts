import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';

const APP_NAME = 'DocuFlow OCR';

/**
 * After a client-side navigation, what a page load would do for a screen-reader or
 * keyboard user: the tab's title names the page (from its h1), and focus moves to that
 * heading, so reading starts at the new page instead of the link that was left behind.
 * Not on the first load, where the browser starts at the top by itself. Inactive (no
 * page yet) until someone is signed in: the first page shown after that is the first load.
 */
export function usePageFocus(active: boolean): void {
  const { pathname } = useLocation();
  const firstLoad = useRef(true);
  useEffect(() => {
    if (!active) return;
    const heading = document.querySelector<HTMLElement>('main h1');
    const name = heading?.textContent.trim();
    document.title = name ? `${name} · ${APP_NAME}` : APP_NAME;
    if (firstLoad.current) {
      firstLoad.current = false;
      return;
    }
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }, [pathname, active]);
}
