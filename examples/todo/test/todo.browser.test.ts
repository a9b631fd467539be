/**
 * The todo app in real Chromium: two tabs signed in as the same user; what one tab adds,
 * completes or deletes shows up in the other live, without a reload.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test-support/chromium.ts';
import { serveApp, startHearth, type Running } from './servers.ts';

/** Generous: a cold Chromium start plus a Vite build on a slow CI machine. */
const SETUP_TIMEOUT = 120_000;
/** How long a DOM condition may take to appear (a change event crossing server → tab). */
const UI_TIMEOUT = 10_000;

const todoRow = (page: Page, title: string) => page.locator('ul.todos li', { hasText: title });

describe('todo example in Chromium', () => {
  let hearth: Running;
  let app: Running;
  let browser: Browser;

  beforeAll(async () => {
    hearth = await startHearth();
    app = await serveApp(hearth.url);
    browser = await launchChromium();
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await hearth?.close();
  });

  it('shows a todo created in one tab in the other tab, live', { timeout: SETUP_TIMEOUT }, async () => {
    const context = await browser.newContext();
    const pageErrors: string[] = [];
    context.on('weberror', (e) => pageErrors.push(e.error().message));
    const first = await context.newPage();
    await first.goto(app.url);
    await first.getByLabel('Email').fill('ann@example.com');
    await first.getByLabel('Password').fill('ann-password-1');
    await first.getByRole('button', { name: 'Create account' }).click();
    await first.locator('ul.todos[data-state="live"]').waitFor({ state: 'attached', timeout: UI_TIMEOUT });

    // Same browser, second tab: the session comes from localStorage.
    const second = await context.newPage();
    await second.goto(app.url);
    await second.getByText('Signed in as ann@example.com').waitFor({ timeout: UI_TIMEOUT });
    await second.locator('ul.todos[data-state="live"]').waitFor({ state: 'attached', timeout: UI_TIMEOUT });
    await second.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    await first.getByLabel('New todo').fill('Buy milk');
    await first.getByLabel('New todo').press('Enter');
    await todoRow(second, 'Buy milk').waitFor({ timeout: UI_TIMEOUT });
    await todoRow(first, 'Buy milk').waitFor({ timeout: UI_TIMEOUT });

    await todoRow(second, 'Buy milk').getByRole('checkbox').click();
    await first.locator('ul.todos li.done', { hasText: 'Buy milk' }).waitFor({ timeout: UI_TIMEOUT });
    await second.locator('ul.todos li.done', { hasText: 'Buy milk' }).waitFor({ timeout: UI_TIMEOUT });

    await todoRow(first, 'Buy milk').getByRole('button', { name: 'Delete Buy milk' }).click();
    await todoRow(second, 'Buy milk').waitFor({ state: 'detached', timeout: UI_TIMEOUT });

    expect(await second.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await second.locator('ul.todos li').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
