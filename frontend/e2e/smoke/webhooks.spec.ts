/**
 * Demo mode, the webhooks admin page in a real browser: an admin registers an endpoint
 * (its secret shown once), a rejection is delivered to it, and the delivery log sends it
 * again. The demo keeps webhooks in the page's memory, so everything happens in one page
 * load, through the app's own navigation.
 */
import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from '../support/a11y';

const ENDPOINT = 'https://erp.example.com/hooks/docuflow';

test('an admin registers a webhook, sees a rejection delivered and sends it again', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Demo role').selectOption('admin');
  const main = page.getByRole('navigation', { name: 'Main' });
  await main.getByRole('link', { name: 'Webhooks' }).click();

  // Register an endpoint for rejections: its secret is shown once
  const form = page.getByRole('form', { name: 'New webhook' });
  await form.getByLabel(/URL/).fill(ENDPOINT);
  await form.getByLabel('invoice.rejected').check();
  await form.getByRole('button', { name: 'Add webhook' }).click();
  const secret = page.getByRole('status').filter({ hasText: 'Signing secret' });
  await expect(secret.locator('code')).toHaveText(/^whsec_/);
  await expectNoSeriousA11yViolations(page, 'webhooks');
  await page.getByRole('button', { name: 'I have stored it' }).click();
  await expect(secret).toHaveCount(0);

  // A reviewer's rejection (the admin may review) ...
  await main.getByRole('link', { name: 'Review queue' }).click();
  await page.getByTestId('queue-item').first().getByRole('link').click();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('r');
  await page.getByLabel('Reason (required)').fill('Not ours.');
  await page.getByRole('button', { name: 'Confirm rejection' }).click();
  await expect(page.getByRole('status').filter({ hasText: /\.pdf rejected\./ })).toBeVisible();

  // ... is in the endpoint's delivery log, and "send again" adds an attempt
  await main.getByRole('link', { name: 'Webhooks' }).click();
  const endpoint = page.getByRole('article', { name: ENDPOINT });
  await endpoint.getByRole('button', { name: 'Deliveries' }).click();
  const log = endpoint.getByRole('table', { name: `Deliveries to ${ENDPOINT}` });
  const row = log.getByRole('row').filter({ hasText: 'invoice.rejected' });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell').nth(1)).toHaveText('delivered');
  await expect(row.getByRole('cell').nth(2)).toHaveText('1');
  await row.getByRole('button', { name: 'Send again' }).click();
  await expect(row.getByRole('cell').nth(2)).toHaveText('2');
});
