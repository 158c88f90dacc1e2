/**
 * Demo mode, end to end in a real browser with no back end: upload → processing →
 * review (document drawn by pdf.js, field box highlighted, correction) → approve →
 * audit entry. Also checks accessibility and saves screenshots of the main screens.
 */
import { expect, test, type ConsoleMessage } from '@playwright/test';
import { expectNoSeriousA11yViolations } from '../support/a11y';
import { tinyPdf } from '../support/files';
import { saveScreenshot } from '../support/screenshots';

test('the whole flow works in demo mode, accessibly, under the production CSP', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    const where = message.location().url;
    // No /config.json in the demo build is expected: that is what selects demo mode.
    if (message.type() === 'error' && !where.endsWith('/config.json')) problems.push(`${message.text()} @ ${where}`);
  });
  page.on('pageerror', (error) => problems.push(String(error)));

  // Given the demo build with no API configured
  await page.goto('/');
  await expect(page.getByTestId('demo-banner')).toBeVisible();
  await expect(page.getByText('Enter your clerk name at the top first')).toBeVisible();

  // When a clerk names themself and drops a valid invoice and a file of the wrong kind
  const clerk = page.getByLabel('Clerk name');
  await clerk.fill('demo.clerk');
  await clerk.press('Enter');
  await page.getByLabel('Invoice files').setInputFiles([
    { name: 'smoke-upload.pdf', mimeType: 'application/pdf', buffer: tinyPdf() },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an invoice') },
  ]);

  // Then the wrong file is refused with a clear message, the invoice uploads and reaches review
  const rows = page.getByTestId('upload-row');
  await expect(rows.filter({ hasText: 'notes.txt' })).toContainText('is not a PDF, PNG, JPEG or TIFF file');
  const upload = rows.filter({ hasText: 'smoke-upload.pdf' });
  await expect(upload.getByRole('progressbar')).toHaveAttribute('value', '100');
  await expect(upload.locator('[data-status]')).toHaveAttribute('data-status', 'NEEDS_REVIEW', { timeout: 20_000 });
  await expectNoSeriousA11yViolations(page, 'upload');
  await saveScreenshot(page, 'upload');

  // The jobs list shows it with its status and time taken, and filters by status
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  const mine = page.getByTestId('job-row').filter({ hasText: 'smoke-upload.pdf' });
  await expect(mine).toContainText('Needs review');
  await expect(page.getByTestId('job-row')).toHaveCount(1); // only my uploads
  // Everyone's jobs are listed one status at a time (the API needs an owner or a status)
  await page.getByLabel('Only my uploads').uncheck();
  await expect(page.getByText('Choose a status to see everyone’s jobs.')).toBeVisible();
  await page.getByLabel('Status').selectOption('NEEDS_REVIEW');
  await expect(page.getByTestId('job-row')).toHaveCount(4);
  await expectNoSeriousA11yViolations(page, 'jobs');
  await saveScreenshot(page, 'jobs');
  await page.getByLabel('Status').selectOption('FAILED');
  await expect(page.getByTestId('job-row')).toHaveCount(1);
  await expect(page.getByTestId('job-row')).toContainText('scan-0007.pdf');

  // The review queue lists it
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review queue' }).click();
  await expect(page.getByTestId('queue-item').filter({ hasText: 'smoke-upload.pdf' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'review queue');
  await saveScreenshot(page, 'review-queue');

  // Review: the PDF is drawn, every field has a box, focusing a field highlights its box
  await page.getByRole('link', { name: 'smoke-upload.pdf' }).click();
  await expect(page.getByTestId('pdf-pages').locator('canvas')).toHaveCount(1);
  const totalBox = page.locator('.overlay__box[data-field="total_amount"]');
  await expect(totalBox).toHaveAttribute('data-active', 'false');
  await page.getByTestId('field-total_amount').focus();
  await expect(totalBox).toHaveAttribute('data-active', 'true');
  await expect(totalBox).toBeInViewport();
  // Keyboard: j moves to the next field and its box lights up instead
  await page.keyboard.press('j');
  await expect(page.locator('.overlay__box[data-field="amount_due"]')).toHaveAttribute('data-active', 'true');
  await expect(totalBox).toHaveAttribute('data-active', 'false');
  await page.keyboard.press('k');
  await expect(totalBox).toHaveAttribute('data-active', 'true');

  // The alternative reading is offered; an invalid edit is refused; a valid one is kept
  const total = page.getByTestId('field-total_amount');
  await expect(total.getByRole('button', { name: /Use 1615\.68/ })).toBeVisible();
  await page.keyboard.press('e');
  const input = total.getByLabel('New value for Total amount');
  await expect(input).toBeFocused();
  await input.fill('1.615,68 GBP');
  await input.press('Enter');
  await expect(total.getByRole('alert')).toContainText('plain amount');
  await input.fill('1615.68');
  await input.press('Enter');
  await expect(total.getByTestId('field-value')).toHaveText('1615.68');
  await expect(total).toContainText('corrected from 1815.68');
  await expectNoSeriousA11yViolations(page, 'review detail');
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveScreenshot(page, 'review-detail');

  // Approve with the keyboard: a, then Enter on the focused confirm button
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('a');
  const confirm = page.getByRole('button', { name: 'Confirm approval with 1 correction' });
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'smoke-upload.pdf approved.' })).toBeVisible();

  // The job page shows the result and the audit trail with the correction
  await page.getByRole('link', { name: 'See it and its audit trail' }).click();
  await expect(page.locator('#job-heading')).toHaveText('smoke-upload.pdf');
  await expect(page.locator('[data-status]').first()).toHaveAttribute('data-status', 'APPROVED');
  const corrected = page.locator('.timeline__item[data-event="corrected"]');
  const change = corrected.locator('[data-field="total_amount"]');
  await expect(change.locator('del')).toHaveText('1815.68');
  await expect(change.locator('ins')).toHaveText('1615.68');
  await expect(page.locator('.timeline__item[data-event="approved"]')).toContainText('demo.clerk');
  await expect(page.getByRole('table', { name: 'Extracted fields' })).toContainText('1615.68');
  await expectNoSeriousA11yViolations(page, 'job result');
  await saveScreenshot(page, 'job-result');

  expect(problems, 'console errors (e.g. CSP violations)').toEqual([]);
});

test('a rejection needs a reason, and the failed job can be retried', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Clerk name').fill('r.eviewer');
  await page.getByLabel('Clerk name').press('Enter');

  await page.goto('/review/demo-0004-fabrikam');
  await expect(page.getByTestId('pdf-pages').locator('canvas')).toHaveCount(1);
  await expect(page.getByText(/plus tax .* but the total says/).first()).toBeVisible();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('r');
  await expect(page.getByLabel('Reason (required)')).toBeFocused();
  await page.getByRole('button', { name: 'Confirm rejection' }).click();
  await expect(page.getByText('Say why the invoice is rejected')).toBeVisible();
  await page.getByLabel('Reason (required)').fill('Totals do not add up; asked the vendor for a corrected invoice.');
  await page.getByRole('button', { name: 'Confirm rejection' }).click();
  await expect(page.getByText('fabrikam-FPC-30317.pdf rejected.')).toBeVisible();

  await page.goto('/jobs/demo-0006-scan');
  await expect(page.getByRole('alert').filter({ hasText: 'password-protected' })).toBeVisible();
  await page.getByRole('button', { name: 'Retry processing' }).click();
  await expect(page.locator('.panel__header [data-status]').first()).toHaveAttribute(
    'data-status',
    'COMPLETED',
    { timeout: 20_000 },
  );
});
