/**
 * Every screen of the app in demo mode, once: its address, the role that sees it, and its
 * primary action (what a person came to the screen to do). The phone-width check and the
 * screenshots both walk this list, so a new screen is added here and gets both.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { parseDemoData, type DemoData } from '@/mocks/demo-data';

const dataFile = resolve(process.env.DEMO_DIST ?? 'test-results/demo-dist', 'demo', 'demo.json');

/** What `docuflow demo-data` wrote into the build under test. */
export const demo: DemoData = parseDemoData(JSON.parse(readFileSync(dataFile, 'utf8')), dataFile);

export function demoJob(scene: string) {
  const job = demo.jobs.find((candidate) => candidate.scene === scene);
  if (!job) throw new Error(`${dataFile} has no ${scene} scene`);
  return job.job;
}

export interface Screen {
  /** The file name of its screenshots (`<name>-desktop.png`, `<name>-phone.png`). */
  name: string;
  path: string;
  role: 'reviewer' | 'admin';
  primary: (page: Page) => Locator;
}

export function screens(): Screen[] {
  const review = demoJob('review');
  const vendor = demo.vendors.find((entry) => entry.tenant_id === review.tenant_id)?.detail.vendor.vendor_id;
  if (!vendor) throw new Error(`${dataFile} has no vendor for the review scene’s company`);
  const main = (page: Page) => page.locator('main');
  return [
    { name: 'upload', path: '/', role: 'reviewer', primary: (page) => main(page).getByRole('button', { name: 'Choose files' }) },
    { name: 'jobs', path: '/jobs', role: 'reviewer', primary: (page) => page.getByTestId('job-row').first().getByRole('link').first() },
    {
      name: 'job-approved',
      path: `/jobs/${demoJob('approved').job_id}`,
      role: 'reviewer',
      primary: (page) => page.locator('.panel__header [data-status]').first(),
    },
    { name: 'job-in-review', path: `/jobs/${review.job_id}`, role: 'reviewer', primary: (page) => main(page).getByRole('link', { name: 'Review this invoice' }) },
    { name: 'job-failed', path: `/jobs/${demoJob('failed').job_id}`, role: 'reviewer', primary: (page) => main(page).getByRole('button', { name: 'Retry processing' }) },
    { name: 'review-queue', path: '/review', role: 'reviewer', primary: (page) => page.getByTestId('queue-item').first().getByRole('link') },
    { name: 'review', path: `/review/${review.job_id}`, role: 'reviewer', primary: (page) => main(page).getByRole('button', { name: /^Approve/ }) },
    {
      name: 'review-bank-change',
      path: `/review/${demoJob('bank-change').job_id}`,
      role: 'reviewer',
      primary: (page) => main(page).getByRole('button', { name: /^Approve/ }),
    },
    { name: 'vendors', path: '/vendors', role: 'reviewer', primary: (page) => main(page).getByRole('table', { name: 'Vendors' }).getByRole('link').first() },
    { name: 'vendor', path: `/vendors/${vendor}`, role: 'reviewer', primary: (page) => page.getByTestId('vendor-invoice').first().getByRole('link') },
    { name: 'dashboard', path: '/dashboard', role: 'reviewer', primary: (page) => main(page).getByRole('link', { name: /^\d+$/ }).first() },
    { name: 'webhooks', path: '/webhooks', role: 'admin', primary: (page) => main(page).getByRole('button', { name: 'Add webhook' }) },
    { name: 'settings', path: '/settings', role: 'admin', primary: (page) => main(page).getByRole('button', { name: 'Invite' }) },
    { name: 'not-found', path: '/no-such-page', role: 'reviewer', primary: (page) => main(page).getByRole('link', { name: 'Go to the upload page' }) },
  ];
}

/**
 * Opens a screen as its role and waits until it has settled: heading there, nothing
 * loading, the network quiet. (Demo mode starts as the reviewer; a reload forgets a role.)
 */
export async function open(page: Page, screen: Screen): Promise<void> {
  if (screen.role === 'reviewer') {
    await page.goto(screen.path);
    await expect(page.getByLabel('Demo role')).toHaveValue('reviewer');
  } else {
    // An admin screen opened as the reviewer would be refused first: switch, then follow the menu.
    await page.goto('/');
    await page.getByLabel('Demo role').selectOption(screen.role);
    await page.getByRole('navigation', { name: 'Main' }).locator(`a[href="${screen.path}"]`).click();
    await expect(page).toHaveURL(new RegExp(`${screen.path}$`));
  }
  await expect(page.locator('main h1')).toBeAttached();
  await page.waitForLoadState('networkidle');
  await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
  await expect(screen.primary(page)).toBeVisible();
}
