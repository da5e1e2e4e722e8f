/**
 * A real headless Chromium (Debian's `chromium` package) driven by playwright-core, for the tests
 * that need a browser. Where the binary is missing the tests skip and say why — except under
 * `CI=true`, where a missing browser is a failure (.ci/run installs it).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const chromiumAvailable = existsSync(CHROMIUM_PATH);
const requiredByCi = process.env['CI'] === 'true';

/** True when the browser tests must be skipped here (and a line to say so was printed). */
export function skipWithoutChromium(): boolean {
  if (chromiumAvailable || requiredByCi) return false;
  console.warn(`skipping the headless browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);
  return true;
}

export async function launchChromium(): Promise<Browser> {
  if (!chromiumAvailable) {
    throw new Error(`CI=true needs Chromium at ${CHROMIUM_PATH} for the browser tests (.ci/run installs Debian's chromium)`);
  }
  // No sandbox: CI and containers run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}
