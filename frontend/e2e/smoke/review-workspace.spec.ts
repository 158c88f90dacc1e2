/**
 * The reviewer's workspace in demo mode (issue 13): amounts typed as printed, line items
 * corrected and audited, the queue sorted and filtered by the (mock) API, a long PDF drawn
 * only where it is seen, axe clean, and screenshots.
 *
 * The demo's re-score answers the checks the pipeline stored (it cannot run the Python
 * checks); that a correction breaking the totals blocks an approval is tested live
 * (e2e/live/review-workspace.spec.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { parseDemoData } from '@/mocks/demo-data';
import { expectNoSeriousA11yViolations } from '../support/a11y';
import { tinyPdf } from '../support/files';
import { saveScreenshot } from '../support/screenshots';

const dataFile = resolve(process.env.DEMO_DIST ?? 'test-results/demo-dist', 'demo', 'demo.json');
const data = parseDemoData(JSON.parse(readFileSync(dataFile, 'utf8')), dataFile);

function scene(name: string) {
  const job = data.jobs.find((candidate) => candidate.scene === name);
  const document = data.documents.find((candidate) => candidate.name === job?.document);
  if (!job || !document) throw new Error(`${dataFile} has no ${name} scene`);
  return { ...job, document };
}

/** Approves the open invoice, giving an override reason if the checks ask for one. */
async function approve(page: Page, filename: string): Promise<void> {
  await page.getByRole('button', { name: /^Approve/ }).click();
  const override = page.getByLabel('Override reason (required)');
  if (await override.isVisible()) await override.fill('Checked with the vendor (e2e).');
  await page.getByRole('button', { name: /^Confirm approval/ }).click();
  await expect(page.getByRole('status').filter({ hasText: `${filename} approved.` })).toBeVisible();
}

test('typing 93,50 saves 93.50, and a corrected line item is audited', async ({ page }) => {
  const review = scene('review');
  await page.goto(`/review/${review.job.job_id}`);

  // When the total is typed the European way, Then it is shown as understood before saving
  const total = page.getByTestId('field-total_amount');
  await total.getByRole('button', { name: /^Edit / }).click();
  await total.getByRole('textbox').fill('93,50');
  await expect(total.getByTestId('understood')).toContainText('93.50');
  await total.getByRole('textbox').press('Enter');
  await expect(total.getByTestId('field-value')).toHaveAttribute('data-value', '93.50');

  // And a line's amount is corrected in the grid, typed as printed
  const amount = page.getByLabel('Line 1 Amount');
  await amount.fill('1.234,50');
  await expect(page.getByTestId('line-1')).toContainText('= 1234.50');
  await amount.press('ArrowUp'); // the first row: stays
  await amount.press('ArrowDown');
  await expect(page.getByLabel('Line 2 Amount')).toBeFocused();

  await expectNoSeriousA11yViolations(page, 'review with corrections');
  await approve(page, review.job.filename);

  // Then the audit trail has both, before -> after, with the plain decimals the API takes
  await page.goto(`/jobs/${review.job.job_id}`);
  const corrected = page.locator('.timeline__item[data-event="corrected"]');
  await expect(corrected.locator('[data-field="total_amount"] ins')).toHaveText('93.50');
  await expect(corrected.locator('[data-field="line_items"] ins')).toContainText('= 1234.50');
});

test('the queue sorts by due date and filters by vendor through the API', async ({ page }) => {
  const waiting = data.jobs.filter((job) => job.job.status === 'NEEDS_REVIEW').map((job) => job.job);
  const dues = waiting.map((job) => job.summary.due_date).filter((due): due is string => due !== null).sort();
  await page.goto('/review');
  await page.getByLabel('Sort').selectOption('due_date');
  await expect(page).toHaveURL(/sort=due_date/);
  await expect(page.getByTestId('queue-due')).toHaveText([...dues, ...Array<string>(waiting.length - dues.length).fill('—')]);

  const vendor = waiting.find((job) => job.summary.vendor_name)?.summary.vendor_name ?? '';
  await page.getByLabel('Vendor').fill(vendor.toLowerCase());
  await page.getByLabel('Vendor').press('Enter');
  await expect(page.getByTestId('queue-item')).toHaveCount(waiting.filter((job) => job.summary.vendor_name === vendor).length);
  await expect(page.getByTestId('queue-item').first()).toContainText(vendor);
  await expectNoSeriousA11yViolations(page, 'filtered queue');
});

test('a 20-page PDF draws only the pages near the view', async ({ page }) => {
  const long = scene('multi-page');
  // The multi-page scene's document, replaced by a 20-page PDF
  await page.context().route(`**/${long.document.file}`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/pdf', body: tinyPdf('Twenty pages', 20) }),
  );
  await page.goto(`/review/${long.job.job_id}`);
  const pages = page.getByTestId('pdf-pages');
  await expect(pages.locator('.doc-page')).toHaveCount(20);
  await expect(page.getByTestId('page-counter')).toHaveText('Page 1 of 20');
  await expect(pages.locator('canvas').first()).toBeVisible();
  const drawn = await pages.locator('canvas').count();
  expect(drawn, 'canvases drawn for 20 pages').toBeGreaterThan(0);
  expect(drawn, 'canvases drawn for 20 pages').toBeLessThan(6);
  // Scrolling to the end draws the last pages and lets go of the first
  await pages.locator('.doc-page[data-page="20"]').scrollIntoViewIfNeeded();
  await expect(pages.locator('.doc-page[data-page="20"] canvas')).toBeVisible();
  await expect(pages.locator('.doc-page[data-page="1"] canvas')).toHaveCount(0);
  await expect(page.getByTestId('page-counter')).toHaveText(/Page (19|20) of 20/);
  expect(await pages.locator('canvas').count()).toBeLessThan(6);
});

test('the review screen at 1440×900 and 390×844: screenshots', async ({ page }) => {
  // (No screen scrolls sideways at 390 px: screens.spec.ts checks every one.)
  const review = scene('duplicate');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/review/${review.job.job_id}`);
  await expect(page.getByTestId('pdf-pages').locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('checks')).toBeVisible();
  await saveScreenshot(page, 'review-workspace-1440');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId('pdf-pages').locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('checks')).toBeVisible();
  await saveScreenshot(page, 'review-workspace-390');
});
