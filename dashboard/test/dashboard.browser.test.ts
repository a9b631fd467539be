/**
 * The dashboard in real Chromium, as a new user meets it: first superuser from loopback, sign
 * in, a collection with six field types and rules, records added, edited, filtered, sorted and
 * deleted, a record created through the API appearing live, and a bad rule answered with the
 * server's compiler message at the rule. Screenshots of each screen go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { createClient, type HearthClient } from '@hearth/sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../test-support/chromium.ts';
import { openPage, SETUP_TIMEOUT, SHOTS, shotOnFailure } from './browser-page.ts';
import { startSmtp, type Inbox } from '../../server/test/auth-helpers.ts';
import { startDashboardServer, type RunningHearth } from './servers.ts';

const ADMIN = { email: 'owner@example.com', password: 'owner password 123' };

describe('dashboard in Chromium', () => {
  let hearth: RunningHearth;
  let browser: Browser;
  let page: Page;
  let api: HearthClient;
  let inbox: Inbox;
  const pageErrors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: `${SHOTS}${name}.png` });
  const dialog = () => page.getByRole('dialog');
  const rowWith = (text: string) => page.locator('table.grid tbody tr', { hasText: text });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    inbox = await startSmtp();
    hearth = await startDashboardServer({ smtpUrl: inbox.url });
    browser = await launchChromium();
    page = await openPage(browser, pageErrors);
    api = createClient(hearth.url);
  }, SETUP_TIMEOUT);

  afterEach(shotOnFailure(shot));

  afterAll(async () => {
    api?.close();
    await browser?.close();
    await hearth?.close();
    await inbox?.close();
  });

  it('creates the first superuser from loopback, signs out and in', { timeout: SETUP_TIMEOUT }, async () => {
    await page.goto(`${hearth.url}/_/`);
    await page.getByRole('heading', { name: 'Welcome to Hearth' }).waitFor();
    await shot('install');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Confirm password').fill('not the same');
    await page.getByRole('button', { name: /Create superuser/ }).click();
    await page.getByText("Values don't match.").waitFor();
    await page.getByLabel('Confirm password').fill(ADMIN.password);
    await page.getByRole('button', { name: /Create superuser/ }).click();
    await page.getByRole('heading', { name: 'Collections' }).waitFor();
    expect(hearth.server.installToken()).toBeNull();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Hearth' }).waitFor();
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('wrong password 123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await shot('sign-in');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Collections' }).waitFor();
    await shot('collections');
    await api.auth('_superusers').signIn(ADMIN.email, ADMIN.password);
  });

  it('creates a collection with six field types and rules', { timeout: SETUP_TIMEOUT }, async () => {
    await api.collection('users').create({ email: 'ann@example.com', password: 'ann password 123', passwordConfirm: 'ann password 123', name: 'Ann' } as never);
    await page.getByRole('link', { name: '+ New collection' }).click();
    await page.getByLabel('Collection name').fill('posts');
    const addField = async (type: string, name: string) => {
      await page.getByLabel('New field type').selectOption(type);
      await page.getByRole('button', { name: 'Add field' }).click();
      const row = page.locator('fieldset.field-row').last();
      await row.getByLabel('Name').fill(name);
      return row;
    };
    const title = await addField('text', 'title');
    await title.getByLabel('Required').check();
    await addField('number', 'views');
    await addField('bool', 'published');
    const category = await addField('select', 'category');
    await category.getByLabel('Values').fill('news, blog');
    await category.getByLabel('Values').blur();
    await addField('json', 'meta');
    const author = await addField('relation', 'author');
    await author.getByLabel('Related collection').selectOption({ label: 'users' });

    await page.getByRole('tab', { name: 'API rules' }).click();
    for (const rule of ['listRule', 'viewRule']) await page.locator(`[data-rule=${rule}]`).getByLabel('Superusers only').uncheck();
    await page.locator('[data-rule=createRule]').getByLabel('Superusers only').uncheck();
    const create = page.getByLabel('Create rule');
    await create.pressSequentially('@request.au');
    await page.getByRole('option', { name: '@request.auth.' }).waitFor();
    await create.press('Enter');
    await create.pressSequentially('i');
    await page.getByRole('option', { name: '@request.auth.id' }).click();
    await create.pressSequentially(' != ""');
    expect(await create.inputValue()).toBe('@request.auth.id != ""');
    await shot('collection-editor-rules');
    await page.getByRole('button', { name: 'Create collection' }).click();
    await page.getByRole('heading', { name: 'Edit posts' }).waitFor();

    const saved = await api.collections.get('posts');
    expect(saved.fields.map((f) => `${f.name}:${f.type}`)).toEqual(
      expect.arrayContaining(['title:text', 'views:number', 'published:bool', 'category:select', 'meta:json', 'author:relation']),
    );
    expect(saved.fields.find((f) => f.name === 'category')?.values).toEqual(['news', 'blog']);
    expect([saved.listRule, saved.viewRule, saved.createRule, saved.updateRule]).toEqual(['', '', '@request.auth.id != ""', null]);
    await page.getByRole('tab', { name: 'Fields' }).click();
    await shot('collection-editor-fields');
  });

  it('shows the rule compiler error at the rule, after previewing the change', { timeout: SETUP_TIMEOUT }, async () => {
    await page.getByRole('tab', { name: 'API rules' }).click();
    await page.locator('[data-rule=updateRule]').getByLabel('Superusers only').uncheck();
    await page.getByLabel('Update rule').fill('nosuchfield = 1');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await dialog().getByText(/Change updateRule: superusers only → "nosuchfield = 1"/).waitFor();
    await shot('schema-change-preview');
    await dialog().getByRole('button', { name: 'Apply changes' }).click();
    const message = page.locator('[data-rule=updateRule] .field-error');
    await message.waitFor();
    expect(await message.textContent()).toMatch(/Invalid rule.*nosuchfield/);
    await shot('rule-error');
    expect((await api.collections.get('posts')).updateRule).toBeNull();
    await page.locator('[data-rule=updateRule]').getByLabel('Superusers only').check();
  });

  it('adds, edits, filters, sorts and deletes records, and shows API writes live', { timeout: SETUP_TIMEOUT }, async () => {
    await page.getByRole('link', { name: 'Records' }).click();
    await page.locator('.live.on').waitFor();
    const addRecord = async (title: string, views: number, extra?: () => Promise<void>) => {
      await page.getByRole('button', { name: 'New record' }).click();
      await dialog().getByLabel('title', { exact: true }).fill(title);
      await dialog().getByLabel('views', { exact: true }).fill(String(views));
      await extra?.();
      await dialog().getByRole('button', { name: 'Create record' }).click();
      await rowWith(title).waitFor();
    };
    await addRecord('First post', 5, async () => {
      await dialog().getByLabel('published', { exact: true }).check();
      await dialog().getByLabel('category', { exact: true }).selectOption('news');
      await dialog().getByLabel('meta', { exact: true }).fill('{"tags": ["a"]}');
      await dialog().getByLabel('author', { exact: true }).fill('ann');
      await dialog().getByRole('button', { name: /Ann/ }).click();
      await shot('record-form');
    });
    await addRecord('Second post', 10);
    const first = await api.collection('posts').first('title = "First post"');
    const ann = await api.collection('users').first('email = "ann@example.com"');
    expect(first).toMatchObject({ views: 5, published: true, category: 'news', meta: { tags: ['a'] }, author: ann.id });

    // A required field left empty: the server's message under the field.
    await page.getByRole('button', { name: 'New record' }).click();
    await dialog().getByRole('button', { name: 'Create record' }).click();
    await dialog().locator('.field-error').first().waitFor();
    await dialog().getByRole('button', { name: 'Close' }).click();

    await rowWith('First post').locator('td').nth(1).click();
    await dialog().getByLabel('title', { exact: true }).fill('First post, edited');
    await dialog().getByRole('button', { name: 'Save record' }).click();
    await rowWith('First post, edited').waitFor();

    const filterBox = page.getByLabel('Filter');
    await filterBox.fill('views > 7');
    await filterBox.press('Enter');
    await rowWith('First post, edited').waitFor({ state: 'detached' });
    expect(await page.locator('table.grid tbody tr').count()).toBe(1);
    await filterBox.fill('nosuch = 1');
    await filterBox.press('Enter');
    await page.locator('[data-error-for=filter]').waitFor();
    await shot('filter-error');
    await filterBox.fill('');
    await filterBox.press('Enter');
    await rowWith('First post, edited').waitFor();

    await page.getByRole('button', { name: /^views/ }).click();
    const titles = () => page.locator('table.grid tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
    await expect.poll(async () => (await titles()).map((t) => (t.includes('Second') ? 'S' : 'F')).join('')).toBe('FS');
    await page.getByRole('button', { name: /^views/ }).click();
    await expect.poll(async () => (await titles()).map((t) => (t.includes('Second') ? 'S' : 'F')).join('')).toBe('SF');

    await api.collection('posts').create({ title: 'Made through the API', views: 1 } as never);
    await rowWith('Made through the API').waitFor();
    await shot('records');

    await rowWith('Second post').getByRole('checkbox').check();
    await rowWith('Made through the API').getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Delete selected (2)' }).click();
    await rowWith('Second post').waitFor({ state: 'detached' });
    await rowWith('Made through the API').waitFor({ state: 'detached' });
    expect((await api.collection('posts').list()).items.map((r) => r.title)).toEqual(['First post, edited']);
  });

  it('shows the API preview, settings and superusers screens', { timeout: SETUP_TIMEOUT }, async () => {
    await page.getByRole('link', { name: 'API preview' }).click();
    await page.getByRole('heading', { name: 'API of posts' }).waitFor();
    expect(await page.locator('article.endpoint', { has: page.getByRole('heading', { name: 'Create', exact: true }) }).textContent()).toContain('"views": 1');
    await shot('api-preview');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'meta' }).waitFor();
    const meta = page.getByRole('form', { name: 'meta' });
    await meta.getByLabel('appName').fill('My app');
    await meta.getByRole('button', { name: 'Save meta' }).click();
    await meta.getByText('Saved.').waitFor();
    expect(((await api.settings.get()).meta as { appName: string }).appName).toBe('My app');
    // A top-level list: one entry per line, the server's error for an entry shown by its line.
    const ips = page.getByRole('form', { name: 'superuserIPs' });
    await ips.getByLabel('superuserIPs (one per line)').fill('127.0.0.1\nnot-an-ip');
    await ips.getByRole('button', { name: 'Save superuserIPs' }).click();
    await ips.getByRole('alert').filter({ hasText: 'line 2:' }).waitFor();
    expect((await api.settings.get()).superuserIPs).toEqual([]);
    await ips.getByLabel('superuserIPs (one per line)').fill('127.0.0.0/8\n');
    await ips.getByRole('button', { name: 'Save superuserIPs' }).click();
    await ips.getByText('Saved.').waitFor();
    expect((await api.settings.get()).superuserIPs).toEqual(['127.0.0.0/8']);
    await api.settings.update({ superuserIPs: [] });
    await shot('settings');
    await page.getByRole('link', { name: 'Superusers', exact: true }).click();
    await rowWith(ADMIN.email).waitFor();
    await page.getByText('this session').waitFor();
    await shot('superusers');
  });

  it('verifies a user and sends a password reset whose mailed link sets a new password', { timeout: SETUP_TIMEOUT }, async () => {
    await api.settings.update({ meta: { appURL: hearth.url } });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'auth users', exact: true }).click();
    await rowWith('ann@example.com').locator('td').nth(1).click();
    await dialog().getByRole('button', { name: 'Mark verified' }).click();
    await expect.poll(async () => (await api.collection('users').first('email = "ann@example.com"')).verified).toBe(true);
    await rowWith('ann@example.com').locator('td').nth(1).click();
    await dialog().getByRole('button', { name: 'Send password reset' }).click();
    await dialog().getByText('Password reset mail sent to ann@example.com.').waitFor();
    await shot('auth-user');
    const mail = await inbox.waitFor((m) => m.to.includes('ann@example.com'));
    const link = /https?:\/\/[^"\s<]+\/_\/#\/auth\/confirm-password-reset\/[A-Za-z0-9._-]+/.exec(mail.html)?.[0];
    expect(link?.startsWith(hearth.url)).toBe(true);

    const userPage = await browser.newPage();
    await userPage.goto(link!);
    await userPage.getByLabel('New password', { exact: true }).fill('ann new password 456');
    await userPage.getByLabel('Confirm new password').fill('ann new password 456');
    await userPage.getByRole('button', { name: 'Set password' }).click();
    await userPage.getByText('Your password was changed.').waitFor();
    await userPage.close();
    const ann = createClient(hearth.url);
    await ann.auth('users').signIn('ann@example.com', 'ann new password 456');
    ann.close();
    expect(pageErrors).toEqual([]);
  });
});
