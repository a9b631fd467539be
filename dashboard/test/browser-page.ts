/**
 * What the dashboard's browser tests share: timeouts sized for a cold Chromium and a Vite build
 * on a slow, shared machine, where screenshots go, a page in a fresh context (desktop viewport,
 * the UI timeout, page errors collected, confirmation dialogs accepted), and a screenshot of
 * whatever test failed.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { TestContext } from 'vitest';

export const SETUP_TIMEOUT = 180_000;
export const UI_TIMEOUT = 15_000;
export const SHOTS = fileURLToPath(new URL('../../test-artifacts/dashboard/', import.meta.url));

export async function openPage(browser: Browser, pageErrors: string[], options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1180, height: 760 }, ...options });
  context.setDefaultTimeout(UI_TIMEOUT);
  context.on('weberror', (e) => pageErrors.push(e.error().message));
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  return page;
}

/** For afterEach: a screenshot named after the test that just failed. */
export const shotOnFailure = (shot: (name: string) => Promise<unknown>) => async (ctx: TestContext) => {
  if (ctx.task.result?.state === 'fail') await shot(`failed-${ctx.task.name.replace(/\W+/g, '-')}`);
};
