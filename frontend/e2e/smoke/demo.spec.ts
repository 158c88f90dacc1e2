/**
 * Demo mode, end to end in a real browser with no back end: upload → processing →
 * review (document drawn by pdf.js, field box highlighted, correction) → approve →
 * audit entry. Also checks accessibility and saves screenshots of the main screens.
 *
 * What the demo shows is what `docuflow demo-data` wrote into the build (the real
 * pipeline's output), so the expectations are read from that same file.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type ConsoleMessage } from '@playwright/test';
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

test('the whole flow works in demo mode, accessibly, under the production CSP', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    // Any error fails the run: the demo build answers /config.json (apiBaseUrl null) too.
    if (message.type() === 'error') problems.push(`${message.text()} @ ${message.location().url}`);
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  // The first upload "reads" this generated document; the pipeline sent it to review.
  const reads = data.documents.find((document) => document.name === data.uploads_read[0]);
  expect(reads?.result.routing.status).toBe('NEEDS_REVIEW');
  const inReview = data.jobs.filter((job) => job.job.status === 'NEEDS_REVIEW').length;

  // Given the demo build with no API configured
  await page.goto('/');
  await expect(page.getByTestId('demo-banner')).toBeVisible();
  // No sign-in: the demo starts as a reviewer; as a clerk there is no review queue
  const role = page.getByLabel('Demo role');
  await expect(role).toHaveValue('reviewer');
  const main = page.getByRole('navigation', { name: 'Main' });
  await expect(main.getByRole('link', { name: 'Review queue' })).toBeVisible();
  await role.selectOption('clerk');
  await expect(main.getByRole('link', { name: 'Review queue' })).toHaveCount(0);

  // When a clerk drops a valid invoice and a file of the wrong kind
  await page.getByLabel('Invoice files').setInputFiles([
    { name: 'smoke-upload.pdf', mimeType: 'application/pdf', buffer: tinyPdf() },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an invoice') },
  ]);

  // Then the wrong file is refused with a clear message, the invoice uploads and reaches review
  const rows = page.getByTestId('upload-row');
  await expect(rows.filter({ hasText: 'notes.txt' })).toContainText('is not a PDF, PNG, JPEG, TIFF or XML e-invoice file');
  const upload = rows.filter({ hasText: 'smoke-upload.pdf' });
  await expect(upload.getByRole('progressbar')).toHaveAttribute('value', '100');
  await expect(upload.locator('[data-status]')).toHaveAttribute('data-status', 'NEEDS_REVIEW', { timeout: 20_000 });
  await expectNoSeriousA11yViolations(page, 'upload');
  await saveScreenshot(page, 'upload');

  // The jobs list shows it with its status and time taken, and filters by status
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  const mine = page.getByTestId('job-row').filter({ hasText: 'smoke-upload.pdf' });
  await expect(mine).toContainText('Needs review');
  await page.getByLabel('Status').selectOption('NEEDS_REVIEW');
  await expect(page.getByTestId('job-row')).toHaveCount(inReview + 1);
  await expectNoSeriousA11yViolations(page, 'jobs');
  await saveScreenshot(page, 'jobs');
  await page.getByLabel('Status').selectOption('FAILED');
  await expect(page.getByTestId('job-row')).toHaveCount(1);
  await expect(page.getByTestId('job-row')).toContainText(scene('failed').job.filename);

  // The review queue lists it, for a reviewer
  await role.selectOption('reviewer');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review queue' }).click();
  await expect(page.getByTestId('queue-item').filter({ hasText: 'smoke-upload.pdf' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'review queue');
  await saveScreenshot(page, 'review-queue');

  // Review: the PDF is drawn, fields have boxes, focusing a field highlights its box
  await page.getByTestId('queue-item').filter({ hasText: 'smoke-upload.pdf' }).getByRole('link').click();
  await expect(page.getByTestId('pdf-pages').locator('.doc-page')).toHaveCount(reads?.pages ?? 1);
  await expect(page.getByTestId('pdf-pages').locator('canvas').first()).toBeVisible();
  const order = await page.locator('.field-row[data-field]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-field') ?? ''));
  const boxed = new Set(
    await page.locator('.overlay__box[data-field]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-field') ?? '')),
  );
  const at = order.findIndex((name, index) => boxed.has(name) && boxed.has(order[index + 1] ?? ''));
  expect(at, 'two neighbouring fields with boxes').toBeGreaterThanOrEqual(0);
  const [first, second] = [order[at] ?? '', order[at + 1] ?? ''];
  const box = (name: string) => page.locator(`.overlay__box[data-field="${name}"]`);
  await expect(box(first)).toHaveAttribute('data-active', 'false');
  await page.getByTestId(`field-${first}`).focus();
  await expect(box(first)).toHaveAttribute('data-active', 'true');
  await expect(box(first)).toBeInViewport();
  // Keyboard: j moves to the next field and its box lights up instead
  await page.keyboard.press('j');
  await expect(box(second)).toHaveAttribute('data-active', 'true');
  await expect(box(first)).toHaveAttribute('data-active', 'false');
  await page.keyboard.press('k');
  await expect(box(first)).toHaveAttribute('data-active', 'true');

  // The currency is flagged (a bare "$"); an invalid edit is refused, a valid one is kept
  const currency = page.getByTestId('field-currency');
  const why = reads?.result.routing.reasons?.find((reason) => reason.field === 'currency');
  expect(why, 'the document the upload reads has its currency flagged').toBeDefined();
  await expect(currency).toContainText(why?.message ?? '?');
  await currency.focus();
  await page.keyboard.press('e');
  const input = currency.getByLabel('New value for Currency');
  await expect(input).toBeFocused();
  await input.fill('dollars');
  await input.press('Enter');
  await expect(currency.getByRole('alert')).toContainText('three-letter ISO 4217 code');
  await input.fill('usd');
  await input.press('Enter');
  await expect(currency.getByTestId('field-value')).toHaveText('USD');
  await expect(currency).toContainText('corrected');
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
  const change = page.locator('.timeline__item[data-event="corrected"] [data-field="currency"]');
  await expect(change.locator('del')).toHaveText(reads?.result.fields?.currency?.value ?? '—');
  await expect(change.locator('ins')).toHaveText('USD');
  await expect(page.locator('.timeline__item[data-event="approved"]')).toContainText('reviewer@acme.test');
  const table = page.getByRole('table', { name: 'Extracted fields' });
  await expect(table).toContainText(reads?.result.fields?.total_amount?.value ?? '?');
  await expect(table.getByRole('row', { name: /Currency/ })).toContainText('USD');
  await expectNoSeriousA11yViolations(page, 'job result');
  await saveScreenshot(page, 'job-result');


  expect(problems, 'console errors (e.g. CSP violations)').toEqual([]);
});

test('a scan is shown as an image, a long invoice page by page, a rejection needs a reason, a failed job retries', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByLabel('Demo role')).toHaveValue('reviewer');

  // The scanned page (PNG) is drawn as an image with the field boxes over it
  const scan = scene('scan');
  await page.goto(`/review/${scan.job.job_id}`);
  const image = page.getByRole('img', { name: 'Page 1 of the document' });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((node) => (node as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  await expect(page.locator('.overlay__box[data-field]').first()).toBeAttached();
  for (const reason of scan.job.review_reasons.slice(0, 3)) await expect(page.getByText(reason.message).first()).toBeVisible();

  // Rejecting it needs a reason
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('r');
  await expect(page.getByLabel('Reason (required)')).toBeFocused();
  await page.getByRole('button', { name: 'Confirm rejection' }).click();
  await expect(page.getByText('Say why the invoice is rejected')).toBeVisible();
  await page.getByLabel('Reason (required)').fill('Unreadable scan; asked the vendor for the PDF.');
  await page.getByRole('button', { name: 'Confirm rejection' }).click();
  await expect(page.getByText(`${scan.job.filename} rejected.`)).toBeVisible();

  // A multi-page invoice: every page laid out, the first drawn, a page counter
  const long = scene('multi-page');
  expect(long.document.pages).toBeGreaterThan(1);
  await page.goto(`/review/${long.job.job_id}`);
  await expect(page.getByTestId('pdf-pages').locator('.doc-page')).toHaveCount(long.document.pages);
  await expect(page.getByTestId('pdf-pages').locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('page-counter')).toHaveText(`Page 1 of ${long.document.pages}`);

  // The failed job says why, and a retry reads its document to the pipeline's routing
  const failed = scene('failed');
  await page.goto(`/jobs/${failed.job.job_id}`);
  await expect(page.getByRole('alert').filter({ hasText: failed.job.failure_reason ?? '?' })).toBeVisible();
  await page.getByRole('button', { name: 'Retry processing' }).click();
  await expect(page.locator('.panel__header [data-status]').first()).toHaveAttribute(
    'data-status',
    failed.document.result.routing.status,
    { timeout: 20_000 },
  );
});

test('an admin of the demo company manages its users and settings; others see no Settings', async ({ page }) => {
  await page.goto('/');
  const role = page.getByLabel('Demo role');
  const main = page.getByRole('navigation', { name: 'Main' });
  await expect(role).toHaveValue('reviewer');
  await expect(main.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  // When the role switch makes the caller an admin, Settings is there
  await role.selectOption('admin');
  await main.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('table', { name: 'Users' })).toContainText('clerk@acme.test');
  // Inviting a reviewer lists them, and saving a threshold makes version 1
  await page.getByRole('form', { name: 'Invite a user' }).getByLabel('E-mail').fill('smoke.reviewer@acme.test');
  await page.getByRole('form', { name: 'Invite a user' }).getByLabel('Role').selectOption('reviewer');
  await page.getByRole('button', { name: 'Invite' }).click();
  await expect(page.getByLabel('Role of smoke.reviewer@acme.test')).toHaveValue('reviewer');
  await page.getByLabel('Threshold for Total amount').fill('95');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Saved (version 1).')).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'settings');
});

test('the dashboard shows the generated history with its charts, accessibly, and a figure leads to its list', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto('/');
  await expect(page.getByLabel('Demo role')).toHaveValue('reviewer');
  // The charts' library arrives with the route, under the production CSP
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  const received = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Invoices received' }) });
  await expect(received.getByRole('link').first()).toHaveText(/^[1-9]\d*$/);
  await expect(page.getByRole('figure', { name: 'Top review reasons' }).locator('svg').first()).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'dashboard');
  await saveScreenshot(page, 'dashboard');
  // "Completed automatically" opens the jobs list filtered to them
  await received.getByRole('link', { name: /^\d+$/ }).nth(1).click();
  await expect(page.getByLabel('Status')).toHaveValue('COMPLETED');
  expect(problems, 'console errors (e.g. CSP violations)').toEqual([]);
});
