/**
 * Browser settings shared by the demo smoke suite and the live suite: Debian's
 * chromium (never a downloaded browser), headless, no sandbox (CI containers run as
 * root), background networking off so the browser makes no calls of its own.
 */
import type { LaunchOptions } from '@playwright/test';

export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ],
};
