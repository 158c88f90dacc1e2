/**
 * The reviewer's workspace against the real local cloud (issue 13): the checks re-run on
 * the server as the reviewer corrects; a total typed `95,00` (saved as 95.00) breaks
 * subtotal + tax = total, and the approval is blocked until overridden with a reason;
 * a line item corrected in the grid is saved; the audit has all of it. The queue finds
 * the job by vendor, sorted by due date.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { CLERK, idToken, REVIEWER, signIn, signOut } from '../support/auth';
import { expectNoSeriousA11yViolations } from '../support/a11y';

const sharedDir = process.env.DOCUFLOW_SHARED_DIR ?? resolve(import.meta.dirname, '..', '..', '..', '..', 'shared');
const fixture = resolve(sharedDir, 'fixtures', 'textract', 'documents', 'sample-invoice.pdf');
const apiBaseUrl = process.env.API_BASE_URL?.replace(/\/+$/, '');

test('a correction that breaks the totals blocks approval until overridden; lines are saved and audited', async ({ page }) => {
  const filename = `workspace-e2e-${randomBytes(4).toString('hex')}.pdf`;
  // A clerk of acme uploads; a reviewer of acme reviews (never their own upload)
  await page.goto('/');
  await signIn(page, CLERK);
  await page.getByLabel('Invoice files').setInputFiles({ name: filename, mimeType: 'application/pdf', buffer: readFileSync(fixture) });
  const row = page.getByTestId('upload-row').filter({ hasText: filename });
  await expect(row.locator('[data-status]')).toHaveAttribute('data-status', 'NEEDS_REVIEW', { timeout: 180_000 });
  const href = (await row.getByRole('link', { name: 'Review now' }).getAttribute('href')) ?? '';
  const jobId = decodeURIComponent(href.split('/').pop() ?? '');
  await signOut(page);
  await page.goto(href);
  await signIn(page, REVIEWER);

  // The checks come from the server's re-score
  const totals = page.getByTestId('checks').locator('[data-check="totals_add_up"]');
  await expect(totals).toHaveAttribute('data-status', 'pass');

  // When the currency is settled, Then its reason clears and the field turns green
  const currency = page.getByTestId('field-currency');
  await currency.getByRole('button', { name: /^Edit / }).click();
  await currency.getByRole('textbox').fill('usd');
  await currency.getByRole('textbox').press('Enter');
  await expect(currency).toHaveClass(/field-row--fixed/);
  await expect(page.getByTestId('checks').locator('[data-check="currency_known"]')).toHaveAttribute('data-status', 'pass');

  // When the total is typed as 95,00, Then it is read as 95.00 and the totals fail
  const total = page.getByTestId('field-total_amount');
  await total.getByRole('button', { name: /^Edit / }).click();
  await total.getByRole('textbox').fill('95,00');
  await expect(total.getByTestId('understood')).toContainText('95.00');
  await total.getByRole('textbox').press('Enter');
  await expect(totals).toHaveAttribute('data-status', 'fail');

  // And a line item is split in two in the grid (they still add up to the subtotal)
  await page.getByLabel('Line 1 Amount').fill('60,00');
  await page.getByLabel('Line 1 Unit price').fill('60,00');
  await page.getByRole('button', { name: 'Add line' }).click();
  await page.getByLabel('Line 2 Description').fill('Hosting');
  await page.getByLabel('Line 2 Qty').fill('1');
  await page.getByLabel('Line 2 Unit price').fill('25');
  await page.getByLabel('Line 2 Amount').fill('25,00');
  await expect(page.getByTestId('checks').locator('[data-check="line_items_sum"]')).toHaveAttribute('data-status', 'pass');
  await expectNoSeriousA11yViolations(page, 'review with failing totals');

  // Then approving asks for an override reason, and does nothing without one
  await page.getByRole('button', { name: /^Approve/ }).click();
  const override = page.getByLabel('Override reason (required)');
  await expect(override).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'but the total says' })).toBeVisible();
  await page.getByRole('button', { name: /^Confirm approval/ }).click();
  await expect(override).toBeFocused();
  await override.fill('Vendor added a 1.50 fee by phone (e2e).');
  await page.getByRole('button', { name: /^Confirm approval/ }).click();
  await expect(page.getByRole('status').filter({ hasText: `${filename} approved.` })).toBeVisible();

  // And the audit trail has the corrections and the override (a page load signs out:
  // tokens live in memory only)
  await page.goto(`/jobs/${encodeURIComponent(jobId)}`);
  await signIn(page, REVIEWER);
  const corrected = page.locator('.timeline__item[data-event="corrected"]');
  await expect(corrected.locator('[data-field="total_amount"] ins')).toHaveText('95.00');
  await expect(corrected.locator('[data-field="line_items"] ins')).toContainText('new line: Hosting 1 × 25 = 25.00');
  await expect(page.locator('.timeline__item[data-event="approved"]')).toContainText('passing totals_add_up');
  // each under the reviewer's name, as the token gave it
  await expect(corrected).toContainText(REVIEWER);
  await expect(page.locator('.timeline__item[data-event="approved"]')).toContainText(REVIEWER);

  if (apiBaseUrl) {
    const token = await idToken(page, REVIEWER);
    const answer = await fetch(`${apiBaseUrl}/jobs/${encodeURIComponent(jobId)}`, { headers: { Authorization: `Bearer ${token}` } });
    const job = (await answer.json()) as Record<string, unknown>;
    expect(job).toMatchObject({
      status: 'APPROVED',
      reviewer: REVIEWER,
      corrections: { total_amount: { before: '93.50', after: '95.00' } },
    });
  }
});

test('the queue filters by vendor and sorts by due date on the server', async ({ page }) => {
  await page.goto('/review?sort=due_date');
  await signIn(page, REVIEWER);
  await expect(page.getByLabel('Sort')).toHaveValue('due_date');
  await page.getByLabel('Vendor').fill('nobody at all ltd');
  await page.getByLabel('Vendor').press('Enter');
  await expect(page.getByTestId('empty-state')).toContainText('No invoice in review matches');
  await expect(page).toHaveURL(/vendor=nobody/);
});
