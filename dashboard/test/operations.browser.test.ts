/**
 * The dashboard's file upload and its operations pages in real Chromium, against a real server:
 * an image uploaded through the record form and shown as a served thumbnail; request logs
 * (table, paging, level and filter, a bad filter's error, the detail dialog, the hourly chart);
 * backups (create, download, upload, restore after a confirmation, delete); and metrics read
 * from the Prometheus text. Screenshots go to test-artifacts/dashboard/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createClient, type HearthClient } from '@hearth/sdk';
import { upsertSuperuser } from '@hearth/server';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../test-support/chromium.ts';
import { openPage, SETUP_TIMEOUT, SHOTS, shotOnFailure } from './browser-page.ts';
import { startDashboardServer, type RunningHearth } from './servers.ts';

const ADMIN = { email: 'ops@example.com', password: 'ops password 123' };

describe('dashboard operations in Chromium', () => {
  let hearth: RunningHearth;
  let browser: Browser;
  let page: Page;
  let api: HearthClient;
  const pageErrors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: `${SHOTS}${name}.png` });
  const dialog = () => page.getByRole('dialog');
  const rows = () => page.locator('table.grid tbody tr');
  const rowWith = (text: string) => page.locator('table.grid tbody tr', { hasText: text });
  const nav = (label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    hearth = await startDashboardServer();
    await upsertSuperuser(hearth.server.db, hearth.server.registry, ADMIN.email, ADMIN.password);
    browser = await launchChromium();
    page = await openPage(browser, pageErrors, { acceptDownloads: true });
    api = createClient(hearth.url);
    await api.auth('_superusers').signIn(ADMIN.email, ADMIN.password);
    await page.goto(`${hearth.url}/_/`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Collections' }).waitFor();
  }, SETUP_TIMEOUT);

  afterEach(shotOnFailure(shot));

  afterAll(async () => {
    api?.close();
    await browser?.close();
    await hearth?.close();
  });

  it('uploads an image to a record and shows its thumbnail', { timeout: SETUP_TIMEOUT }, async () => {
    await api.collections.create({
      name: 'photos',
      type: 'base',
      listRule: '',
      viewRule: '',
      fields: [
        { name: 'caption', type: 'text' },
        { name: 'image', type: 'file', maxSelect: 1, mimeTypes: ['image/png'] },
      ],
    } as never);
    const png = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#c2410c' } }).png().toBuffer();
    await page.reload();
    await nav('base photos').click();
    await page.getByRole('button', { name: 'New record' }).click();
    await dialog().getByLabel('caption', { exact: true }).fill('Sunset');
    await dialog().getByLabel('image', { exact: true }).setInputFiles({ name: 'Sunset Photo.png', mimeType: 'image/png', buffer: png });
    await dialog().locator('img.thumb').waitFor(); // the local preview
    await dialog().getByRole('button', { name: 'Create record' }).click();
    await rowWith('Sunset').waitFor();

    const saved = await api.collection('photos').first('caption = "Sunset"');
    expect(String(saved.image)).toMatch(/^sunset_photo_\w{10}\.png$/);
    // The table cell shows the server's 100x100 thumb of the stored file, loaded.
    const cellThumb = rowWith('Sunset').locator('img.thumb');
    expect(await cellThumb.getAttribute('src')).toBe(api.fileUrl(saved as never, String(saved.image), { thumb: '100x100' }));
    await expect.poll(() => cellThumb.evaluate((img: HTMLImageElement) => (img.complete ? `${img.naturalWidth}x${img.naturalHeight}` : ''))).toBe('100x100');
    // So does the edit form, for the stored file.
    await rowWith('Sunset').locator('td').nth(1).click();
    const formThumb = dialog().locator('img.thumb');
    await expect.poll(() => formThumb.evaluate((img: HTMLImageElement) => (img.complete ? `${img.naturalWidth}x${img.naturalHeight}` : ''))).toBe('100x100');
    expect(await formThumb.getAttribute('alt')).toBe(saved.image);
    await shot('record-file-thumb');
    await dialog().getByRole('button', { name: 'Close' }).click();
  });

  it('shows request logs with paging, level and filter, details and the hourly chart', { timeout: SETUP_TIMEOUT }, async () => {
    const anon = createClient(hearth.url);
    for (let i = 0; i < 55; i++) await anon.health();
    await expect(anon.collection('nosuch').list()).rejects.toMatchObject({ status: 404 });
    anon.close();

    await nav('Logs').click();
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    // Successful reads of the log are not logged themselves: the page and this call see the same entries.
    const all = await api.send<{ totalItems: number }>('/api/logs', { query: { perPage: 1 } });
    expect(all.totalItems).toBeGreaterThan(55);
    await page.getByText(`Page 1 of ${Math.ceil(all.totalItems / 50)} · ${all.totalItems} entries`).waitFor();
    expect(await rows().count()).toBe(50);
    // The chart's bars add up to every entry.
    const bars = page.locator('figure.logs-chart rect');
    await bars.first().waitFor();
    const charted = await bars.evaluateAll((rects) => rects.reduce((n, r) => n + Number(r.getAttribute('data-total')), 0));
    expect(charted).toBe(all.totalItems);
    await shot('logs');
    await page.getByRole('button', { name: 'Older →' }).click();
    await page.getByText(`Page 2 of`).waitFor();
    expect(await rows().count()).toBe(Math.min(50, all.totalItems - 50));

    const filterBox = page.getByLabel('Filter');
    await filterBox.fill('data.status = 404');
    await filterBox.press('Enter');
    await rowWith('/api/collections/nosuch/records').waitFor();
    await page.getByText('Page 1 of 1 · 1 entries').waitFor();
    const row = rowWith('/api/collections/nosuch/records');
    expect(await row.locator('td').nth(2).textContent()).toBe('404');

    await row.click();
    await dialog().getByText('data.requestId').waitFor();
    const entry = (await api.send<{ items: Array<{ id: string; data: { requestId: string } }> }>('/api/logs', { query: { filter: 'data.status = 404' } })).items[0]!;
    await dialog().getByText(entry.id, { exact: true }).waitFor();
    await dialog().getByText(entry.data.requestId, { exact: true }).waitFor();
    await shot('log-entry');
    await dialog().getByRole('button', { name: 'Close' }).click();

    // The level picker combines with the filter: the 404 is logged at error level, health checks at info.
    await filterBox.fill('data.url ~ "/api/health"');
    await filterBox.press('Enter');
    await page.getByText(/Page 1 of 2 · 55 entries/).waitFor();
    await page.getByLabel('Level').selectOption({ label: 'Errors' });
    await page.getByText('No log entries match the filter.').waitFor();
    await filterBox.fill('');
    await filterBox.press('Enter');
    await rowWith('/api/collections/nosuch/records').waitFor();
    await page.getByLabel('Level').selectOption({ label: 'All levels' });

    await filterBox.fill('nosuch = 1');
    await filterBox.press('Enter');
    expect(await page.locator('[data-error-for=filter]').textContent()).toMatch(/nosuch/);
  });

  it('creates, downloads, uploads, restores and deletes backups', { timeout: SETUP_TIMEOUT }, async () => {
    await api.collection('photos').create({ caption: 'before the backup' } as never);
    await nav('Backups').click();
    await page.getByText('No backups yet.').waitFor();
    await page.getByLabel('Backup name').fill('Bad Name');
    await page.getByRole('button', { name: 'Create backup' }).click();
    await page.locator('[data-error-for="Backup name"]').waitFor();
    await page.getByLabel('Backup name').fill('first.zip');
    await page.getByRole('button', { name: 'Create backup' }).click();
    await rowWith('first.zip').waitFor();
    const listed = (await api.send<Array<{ key: string; size: number }>>('/api/backups')).find((b) => b.key === 'first.zip');
    expect(listed?.size).toBeGreaterThan(0);
    await api.collection('photos').create({ caption: 'after the backup' } as never);

    const [download] = await Promise.all([page.waitForEvent('download'), rowWith('first.zip').getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('first.zip');
    const bytes = readFileSync(await download.path());
    expect(bytes.length).toBe(listed!.size);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');

    await page.getByLabel('Upload a backup (.zip)').setInputFiles({ name: 'uploaded.zip', mimeType: 'application/zip', buffer: bytes });
    await rowWith('uploaded.zip').waitFor();
    expect((await api.send<Array<{ key: string }>>('/api/backups')).map((b) => b.key).sort()).toEqual(['first.zip', 'uploaded.zip']);
    await shot('backups');

    // Restore asks first; cancelling changes nothing.
    await rowWith('first.zip').getByRole('button', { name: 'Restore' }).click();
    await dialog().getByText('Everything written since it was taken is lost', { exact: false }).waitFor();
    await shot('backup-restore-confirm');
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    expect((await api.collection('photos').list()).items.map((r) => r.caption)).toContain('after the backup');
    await rowWith('first.zip').getByRole('button', { name: 'Restore' }).click();
    await dialog().getByRole('button', { name: 'Restore and replace current data' }).click();
    await page.getByText('Restored first.zip.').waitFor();
    const captions = (await api.collection('photos').list()).items.map((r) => r.caption);
    expect(captions).toContain('before the backup');
    expect(captions).not.toContain('after the backup');

    await rowWith('uploaded.zip').getByRole('button', { name: 'Delete' }).click();
    await rowWith('uploaded.zip').waitFor({ state: 'detached' });
    expect((await api.send<Array<{ key: string }>>('/api/backups')).map((b) => b.key)).toEqual(['first.zip']);
  });

  it('reads the metrics into requests, latency, database, realtime and process panels', { timeout: SETUP_TIMEOUT }, async () => {
    const unsubscribe = await api.collection('photos').subscribe({}, () => {});
    await nav('Metrics').click();
    const panel = (title: string) => page.getByRole('region', { name: title });
    const value = (title: string, key: string) => panel(title).locator('div', { has: page.getByText(key, { exact: true }) }).locator('dd');
    const count = async (title: string, key: string) => Number((await value(title, key).textContent())!.replace(/,/g, ''));
    await panel('Requests').waitFor();
    expect(await count('Requests', 'Total')).toBeGreaterThan(60);
    expect(await count('Requests', '4xx')).toBeGreaterThanOrEqual(2);
    expect(await value('Latency', 'p95').textContent()).toMatch(/^\d+(\.\d+)? (ms|s)$/);
    expect(await count('Database', 'Statements')).toBeGreaterThan(0);
    expect(await count('Realtime', 'Connections')).toBeGreaterThanOrEqual(1);
    expect(await count('Realtime', 'Subscriptions')).toBeGreaterThanOrEqual(1);
    expect(await value('Process', 'Resident memory').textContent()).toMatch(/^\d+(\.\d+)? MiB$/);
    const health = page.getByRole('table', { name: 'Busiest routes' }).locator('tr', { hasText: 'GET /api/health' });
    expect(Number(await health.locator('td').nth(1).textContent())).toBeGreaterThanOrEqual(55);
    await page.getByRole('button', { name: '↻ Refresh' }).click();
    await expect.poll(() => value('Requests', 'Rate since last refresh').textContent()).toMatch(/^\d+\.\d\/s$/);
    await shot('metrics');
    await unsubscribe();
    expect(pageErrors).toEqual([]);
  });
});
