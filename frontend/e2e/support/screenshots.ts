import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';

/** docs/screenshots/ at the repository root (frontend/../docs/screenshots). */
export const SCREENSHOT_DIR = resolve(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots');

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`), fullPage: false, animations: 'disabled' });
}
