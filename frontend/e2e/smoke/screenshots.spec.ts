/**
 * Screenshots of every screen (e2e/support/screens.ts) at desktop (1440×900) and phone
 * (390×844) width into ../docs/screenshots/, from demo mode and its generated data, so
 * the pictures in the docs are regenerated with the app (`npm run screenshots`, or any
 * run of this suite). English (US) and UTC, so two runs format alike.
 */
import { expect, test } from '@playwright/test';
import { saveScreenshot } from '../support/screenshots';
import { open, screens } from '../support/screens';

const WIDTHS = [
  ['desktop', { width: 1440, height: 900 }],
  ['phone', { width: 390, height: 844 }],
] as const;

test.use({ locale: 'en-US', timezoneId: 'UTC' });

for (const [width, viewport] of WIDTHS) {
  test(`every screen at ${width} width`, async ({ page }) => {
    await page.setViewportSize(viewport);
    for (const screen of screens()) {
      await open(page, screen);
      // A document under review is drawn by pdf.js after the page settles.
      const pages = page.getByTestId('pdf-pages');
      if ((await pages.count()) > 0) await expect(pages.locator('canvas').first()).toBeVisible();
      await page.evaluate(() => window.scrollTo(0, 0));
      await saveScreenshot(page, `${screen.name}-${width}`);
    }
  });
}
