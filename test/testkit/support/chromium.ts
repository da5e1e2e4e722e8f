/**
 * Headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH) driven by playwright-core, for
 * tests that look at a page as a person would. Outside CI a machine without it skips them with
 * the reason; under CI=true they must run.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { inCi } from './environment.js';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumSkipReason: string | undefined =
  existsSync(chromiumPath) || inCi ? undefined : `no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}
