/**
 * Dashboard extensions in real Chromium: the built dashboard loads `/_/extensions.js` after it
 * starts, extensions run as one module (top-level await), reach the SDK client through
 * `window.hearthDashboard`, fetch their own files from `/_/extensions/{name}/…`, all under the
 * dashboard's CSP, and the dashboard itself still renders.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../test-support/chromium.ts';
import { startDashboardServer, type RunningHearth } from './servers.ts';

const SETUP_TIMEOUT = 180_000;
let hearth: RunningHearth;
let browser: Browser;
let extensionsDir: string;

beforeAll(async () => {
  extensionsDir = mkdtempSync(join(tmpdir(), 'hearth-dashboard-ext-'));
  mkdirSync(join(extensionsDir, 'ext1'));
  writeFileSync(join(extensionsDir, 'ext1', 'main.js'), 'await new Promise((r) => setTimeout(r, 10));\ndocument.body.dataset.ext1 = typeof window.hearthDashboard.client.collections;\n');
  mkdirSync(join(extensionsDir, 'ext2 with spaces'));
  writeFileSync(join(extensionsDir, 'ext2 with spaces', 'data.txt'), 'hello from ext2');
  writeFileSync(
    join(extensionsDir, 'ext2 with spaces', 'main.js'),
    "const res = await fetch('/_/extensions/' + encodeURIComponent('ext2 with spaces') + '/data.txt');\ndocument.body.dataset.ext2 = await res.text();\n",
  );
  hearth = await startDashboardServer({ extensionsDir });
  browser = await launchChromium();
}, SETUP_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await hearth?.close();
  rmSync(extensionsDir, { recursive: true, force: true });
});

describe('dashboard extensions', () => {
  it('runs every extension after the dashboard starts', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${hearth.url}/_/`);
    await page.locator('body[data-ext2="hello from ext2"]').waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => document.body.dataset.ext1)).toBe('object');
    await expect(page.locator('#app').innerText()).resolves.not.toBe('');
    expect(errors).toEqual([]);
    await page.close();
  });
});
