/**
 * Every screen in demo mode, as a phone and a keyboard user meet it: no sideways scroll at
 * 390 px and no console error on any of them; focus and the tab title follow navigation;
 * the reviewer's drafts survive `n`, a link and a reload (and the tab asks before closing
 * while one is open); `n` wraps from the last invoice to the first; shortcuts turn off.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { parseDemoData } from '@/mocks/demo-data';

const dataFile = resolve(process.env.DEMO_DIST ?? 'test-results/demo-dist', 'demo', 'demo.json');
const data = parseDemoData(JSON.parse(readFileSync(dataFile, 'utf8')), dataFile);

function scene(name: string) {
  const job = data.jobs.find((candidate) => candidate.scene === name);
  if (!job) throw new Error(`${dataFile} has no ${name} scene`);
  return job.job;
}

/** Fails the test on any console error or uncaught exception the page logs. */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${message.text()} @ ${message.location().url}`);
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  return problems;
}

/** Demo mode starts as the demo reviewer of the demo company (no sign-in). */
async function start(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByLabel('Demo role')).toHaveValue('reviewer');
}

test('no screen scrolls sideways at 390 px, and none logs a console error', async ({ page }) => {
  const problems = watchConsole(page);
  const review = scene('review');
  const vendor = data.vendors.find((entry) => entry.tenant_id === review.tenant_id)?.detail.vendor.vendor_id;
  expect(vendor, 'the demo data has a vendor for the review scene’s company').toBeDefined();
  await page.setViewportSize({ width: 390, height: 844 });
  await start(page);
  const screens = [
    '/',
    '/jobs',
    `/jobs/${scene('approved').job_id}`,
    `/jobs/${scene('failed').job_id}`,
    '/review',
    `/review/${review.job_id}`,
    `/review/${scene('bank-change').job_id}`,
    `/review/${scene('approved').job_id}`,
    '/vendors',
    `/vendors/${vendor ?? ''}`,
    '/dashboard',
    '/no-such-page',
  ];
  for (const path of screens) {
    await page.goto(path);
    await expect(page.locator('main h1')).toBeAttached();
    await page.waitForLoadState('networkidle');
    await expect(page.getByText(/^Loading/)).toHaveCount(0);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(sideways, `sideways scroll at 390 px on ${path}`).toBeLessThanOrEqual(0);
  }
  expect(problems, 'console errors in demo mode').toEqual([]);
});

test('after a navigation, focus is on the page heading and the tab title names the page', async ({ page }) => {
  await start(page);
  await expect(page).toHaveTitle('Upload · DocuFlow OCR');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [link, heading] of [
    ['Jobs', 'Jobs'],
    ['Review queue', 'Review'],
    ['Vendors', 'Vendors'],
  ] as const) {
    await nav.getByRole('link', { name: link }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeFocused();
    await expect(page).toHaveTitle(`${heading} · DocuFlow OCR`);
  }
});

test('a draft survives n, a link and a reload; n wraps around the queue', async ({ page }) => {
  await start(page);
  await page.goto('/review');
  const waiting = data.jobs.filter((job) => job.job.status === 'NEEDS_REVIEW').length;
  expect(waiting, 'invoices waiting in the demo queue').toBeGreaterThan(1);
  await expect(page.getByTestId('queue-item')).toHaveCount(waiting);
  const ids = await page.getByTestId('queue-item').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-job-id') ?? ''));
  const [first, last] = [ids[0] ?? '', ids.at(-1) ?? ''];

  // Given a correction on the last invoice of the queue
  await page.goto(`/review/${last}`);
  const date = page.getByTestId('field-document_date');
  await date.getByRole('button', { name: /^Edit / }).click();
  await date.getByRole('textbox').fill('2026-05-03');
  await date.getByRole('textbox').press('Enter');
  await expect(page.getByTestId('draft-note')).toContainText('1 unsent correction');

  // When n is pressed on the last invoice, Then it wraps to the first
  await page.locator('body').press('n');
  await expect(page).toHaveURL(new RegExp(`/review/${first}$`));
  await expect(page.getByTestId('draft-note')).toHaveCount(0); // the draft is that job's only

  // And the draft is back after a link and after a reload
  await page.goto('/review');
  await page.locator(`[data-job-id="${last}"] a`).click();
  await expect(page.getByTestId('field-document_date').getByTestId('field-value')).toContainText('2026-05-03');
  await page.reload();
  await expect(page.getByTestId('field-document_date').getByTestId('field-value')).toContainText('2026-05-03');

  // And closing the tab with a draft open asks first
  await page.getByTestId('field-document_date').click(); // a user gesture, which Chromium needs for the prompt
  const asked = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const dialog = await asked;
  expect(dialog.type()).toBe('beforeunload');
  // Leaving anyway closes the tab, so no page with a pending prompt is left for teardown
  const closed = page.waitForEvent('close');
  await dialog.accept();
  await closed;
});

test('single-key shortcuts can be turned off, and stay off after a reload', async ({ page }) => {
  await start(page);
  await page.goto(`/review/${scene('review').job_id}`);
  const toggle = page.getByRole('checkbox', { name: 'Keyboard shortcuts' });
  await toggle.uncheck();
  await page.reload();
  await expect(toggle).not.toBeChecked();
  await page.getByRole('heading', { name: 'Fields' }).click();
  await page.keyboard.press('a');
  await expect(page.getByRole('button', { name: /^Confirm approval/ })).toHaveCount(0);
  await toggle.check();
  await page.getByRole('heading', { name: 'Fields' }).click(); // away from the checkbox, an input
  await page.keyboard.press('a');
  await expect(page.getByRole('button', { name: /^Confirm approval/ })).toBeVisible();
});
