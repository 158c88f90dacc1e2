/**
 * Against the real local cloud: a clerk signs in, uploads the fixture invoice, watches it
 * reach review and signs out; a reviewer of the same company signs in, sees a field's box
 * highlighted on the document, corrects the field, approves, and finds the correction in
 * the audit trail under their name. The fixture is read in place from
 * $DOCUFLOW_SHARED_DIR (never copied into the repository).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { CLERK, idToken, REVIEWER, signIn, signOut } from '../support/auth';

const sharedDir = process.env.DOCUFLOW_SHARED_DIR ?? resolve(import.meta.dirname, '..', '..', '..', '..', 'shared');
const fixture = resolve(sharedDir, 'fixtures', 'textract', 'documents', 'sample-invoice.pdf');
const apiBaseUrl = process.env.API_BASE_URL?.replace(/\/+$/, '');
const MONEY = new Set(['subtotal', 'tax_amount', 'total_amount', 'amount_due']);
const NOT_TEXT = new Set([...MONEY, 'document_date', 'due_date', 'currency', 'remittance_email']);

async function jobFromApi(page: Page, jobId: string): Promise<Record<string, unknown>> {
  if (!apiBaseUrl) return {};
  const token = await idToken(page, REVIEWER);
  const response = await fetch(`${apiBaseUrl}/jobs/${encodeURIComponent(jobId)}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status, `GET /jobs/${jobId}`).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** The field to correct: a text field with a box on the page (else a money field). */
async function pickField(page: Page): Promise<{ name: string; before: string; after: string }> {
  const boxed = await page.locator('.overlay__box[data-field]').evaluateAll((nodes) =>
    nodes.map((node) => node.getAttribute('data-field') ?? ''),
  );
  expect(boxed.length, 'fields with a bounding box on the document').toBeGreaterThan(0);
  const name = boxed.find((field) => !NOT_TEXT.has(field)) ?? boxed.find((field) => MONEY.has(field)) ?? boxed[0] ?? '';
  const before = (await page.getByTestId(`field-${name}`).getByTestId('field-value').textContent())?.trim() ?? '';
  const after = MONEY.has(name) ? (Number(before) + 1).toFixed(2) : `${before} E2E`;
  return { name, before, after };
}

test('upload → review → correct → approve on the local cloud', async ({ page }) => {
  expect(existsSync(fixture), `fixture invoice at ${fixture} (set DOCUFLOW_SHARED_DIR)`).toBe(true);
  const filename = `sample-invoice-e2e-${randomBytes(4).toString('hex')}.pdf`;

  // Given the app in live mode (no demo banner, a sign-in screen) and a clerk signed in
  await page.goto('/');
  await expect(page.getByTestId('demo-banner'), 'the app must be pointed at the API, not in demo mode').toHaveCount(0);
  await signIn(page, CLERK);
  await expect(page.getByRole('heading', { name: 'Upload', exact: true })).toBeVisible();
  // A clerk has no review queue
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review queue' })).toHaveCount(0);

  // When the fixture invoice is uploaded
  await page.getByLabel('Invoice files').setInputFiles({ name: filename, mimeType: 'application/pdf', buffer: readFileSync(fixture) });
  const row = page.getByTestId('upload-row').filter({ hasText: filename });
  // Done, or failed with the message shown to the clerk (e.g. CORS not allowing WEB_URL)
  await expect(row.locator('.upload-row__phase')).toHaveText(/^(Uploaded|Upload failed|Not uploaded)$/, { timeout: 60_000 });
  await expect(
    row.locator('.upload-row__phase'),
    `upload did not complete: "${(await row.textContent()) ?? ''}". "could not be reached" or "interrupted" in a ` +
      `browser usually means CORS: the API's and the bucket's CORS (Terraform web_origins) must allow ${new URL(page.url()).origin}`,
  ).toHaveText('Uploaded');
  await expect(row.getByRole('progressbar')).toHaveAttribute('value', '100');

  // Then it is processed and reaches the review queue
  await expect(row.locator('[data-status]')).toHaveAttribute('data-status', 'NEEDS_REVIEW', { timeout: 180_000 });
  const href = (await row.getByRole('link', { name: 'Review now' }).getAttribute('href')) ?? '';
  const jobId = decodeURIComponent(href.split('/').pop() ?? '');
  expect(jobId).not.toBe('');

  // The clerk signs out: the sign-in screen again; a reviewer of acme signs in
  await signOut(page);
  await page.goto(href);
  await signIn(page, REVIEWER);

  // The document is drawn and every field with a box is on it; focusing a field highlights its box
  await expect(page.getByTestId('pdf-pages').locator('canvas').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.overlay__box[data-field]').first()).toBeAttached();
  const field = await pickField(page);
  const box = page.locator(`.overlay__box[data-field="${field.name}"]`);
  await expect(box).toHaveAttribute('data-active', 'false');
  await page.getByTestId(`field-${field.name}`).focus();
  await expect(box).toHaveAttribute('data-active', 'true');
  await expect(box).toBeInViewport();

  // The reviewer corrects it inline and approves
  const fieldRow = page.getByTestId(`field-${field.name}`);
  await fieldRow.getByRole('button', { name: /^Edit / }).click();
  const input = fieldRow.getByRole('textbox');
  await input.fill(field.after);
  await input.press('Enter');
  await expect(fieldRow.getByTestId('field-value')).toHaveText(field.after);
  await page.getByRole('button', { name: /^Approve/ }).click();
  await page.getByLabel('Reason (optional)').fill('Checked against the purchase order (e2e).');
  await page.getByRole('button', { name: 'Confirm approval with 1 correction' }).click();
  // Wait for the API's answer: leaving the page earlier would abort the decision. The
  // fixture invoice may have been uploaded (and approved) before on this cloud: then the
  // approval is a possible duplicate and needs an override reason.
  const approved = page.getByRole('status').filter({ hasText: `${filename} approved.` });
  const override = page.getByLabel('Override reason (required)');
  await expect(approved.or(override)).toBeVisible();
  if (await override.isVisible()) {
    await override.fill('The fixture invoice again, uploaded on purpose (e2e).');
    await page.getByRole('button', { name: 'Confirm approval with 1 correction' }).click();
  }
  await expect(approved).toBeVisible();

  // The job is approved and its audit trail shows the correction, before and after
  await page.getByRole('link', { name: 'See it and its audit trail' }).click();
  await expect(page.locator('.panel__header [data-status]').first()).toHaveAttribute('data-status', 'APPROVED');
  const change = page.locator(`.timeline__item[data-event="corrected"] [data-field="${field.name}"]`);
  await expect(change.locator('del')).toHaveText(field.before);
  await expect(change.locator('ins')).toHaveText(field.after);
  await expect(page.locator('.timeline__item[data-event="approved"]')).toContainText(REVIEWER);

  if (apiBaseUrl) {
    const job = await jobFromApi(page, jobId);
    expect(job).toMatchObject({ status: 'APPROVED', reviewer: REVIEWER, decision: 'APPROVE' });
  }
});
