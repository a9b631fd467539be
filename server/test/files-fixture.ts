/**
 * The world of the file tests, run once per storage driver: a real Hearth server (local disk,
 * or a real S3 server via the `s3` settings), an `albums` collection with image, multi-file and
 * protected fields, two users, and helpers to make images and to list what storage holds.
 *
 *   albums  title, photo (image, thumbs), attachments (≤ 5), secret (protected), owner → users
 *           list/view/update/delete: owner is me;  create: signed in and owner is me
 */
import sharp from 'sharp';
import { describe, expect } from 'vitest';
import { startServer, TEST_ENGINE, type TestServer } from './harness.ts';
import type { TestS3 } from './s3-server.ts';
import { LOCAL_DISK_SQLITE_ONLY, useStorage, type Driver } from './test-storage.ts';

export type { Driver } from './test-storage.ts';
export const DRIVERS: Driver[] = ['local', 's3'];

/**
 * `describe(title with %s = driver)` once per driver; on PostgreSQL the local-disk one is reported
 * as skipped with its reason (a node there keeps uploads on S3).
 */
export function describeDrivers(title: string, fn: (driver: Driver) => void): void {
  for (const driver of DRIVERS) {
    const name = title.replace('%s', driver);
    if (driver === 'local' && TEST_ENGINE === 'postgres') describe.skip(`${name} (SQLite only: ${LOCAL_DISK_SQLITE_ONLY})`, () => fn(driver));
    else describe(name, () => fn(driver));
  }
}
export const PASSWORD = 'files password 1';
export const MB = 1024 * 1024;
export const THUMBS = ['70x50', '70x50t', '70x50b', '70x50f', '0x50', '70x0'];

export interface FilesWorld {
  driver: Driver;
  t: TestServer;
  s3?: TestS3;
  albumsId: string;
  users: { alice: string; bob: string };
  tokens: { alice: string; bob: string; super: string };
  /** Storage keys under `prefix` (blobs only), whichever the driver. */
  blobs(prefix?: string): Promise<string[]>;
  close(): Promise<void>;
}

async function ok(res: Promise<{ status: number; body: any }>): Promise<any> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

export async function startFilesWorld(driver: Driver): Promise<FilesWorld> {
  const t = await startServer();
  const su = t.adminToken;
  const storage = await useStorage(t, driver);
  const { s3 } = storage;
  if (s3) expect((await ok(t.api('GET', '/api/settings', undefined, su))).s3).toMatchObject({ enabled: true, bucket: s3.bucket });
  const users = await ok(t.api('GET', '/api/collections/users', undefined, su));
  const albums = await ok(
    t.api('POST', '/api/collections', {
      name: 'albums',
      fields: [
        { name: 'title', type: 'text', max: 50 },
        { name: 'photo', type: 'file', maxSelect: 1, maxSize: MB, mimeTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'], thumbs: THUMBS },
        { name: 'attachments', type: 'file', maxSelect: 5, maxSize: MB },
        { name: 'secret', type: 'file', maxSelect: 1, maxSize: MB, protected: true },
        { name: 'owner', type: 'relation', collectionId: users.id, maxSelect: 1 },
      ],
      listRule: 'owner = @request.auth.id',
      viewRule: 'owner = @request.auth.id',
      createRule: '@request.auth.id != "" && @request.body.owner = @request.auth.id',
      updateRule: 'owner = @request.auth.id',
      deleteRule: 'owner = @request.auth.id',
    }, su),
  );
  const ids = {} as FilesWorld['users'];
  const tokens = { super: su } as FilesWorld['tokens'];
  for (const name of ['alice', 'bob'] as const) {
    const email = `${name}@example.com`;
    ids[name] = (await ok(t.api('POST', '/api/collections/users/records', { email, password: PASSWORD, passwordConfirm: PASSWORD }, su))).id;
    tokens[name] = (await ok(t.api('POST', '/api/collections/users/auth-with-password', { identity: email, password: PASSWORD }))).token;
  }
  return {
    driver,
    t,
    s3,
    albumsId: albums.id,
    users: ids,
    tokens,
    blobs: (prefix = '') => storage.blobs(prefix),
    async close() {
      await t.close();
      await storage.close();
    },
  };
}

/** A 200×300 PNG: top half red, bottom half blue (so crops from the top and bottom differ). */
export async function twoToneImage(format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const half = (r: number, b: number) => sharp({ create: { width: 200, height: 150, channels: 3, background: { r, g: 0, b } } }).png().toBuffer();
  const img = sharp({ create: { width: 200, height: 300, channels: 3, background: { r: 0, g: 0, b: 0 } } })
    .composite([{ input: await half(255, 0), top: 0, left: 0 }, { input: await half(0, 255), top: 150, left: 0 }]);
  return format === 'png' ? img.png().toBuffer() : img.jpeg().toBuffer();
}

/** Width, height and the colour of the first and last row's middle pixel. */
export async function describeImage(bytes: Buffer): Promise<{ width: number; height: number; top: 'red' | 'blue' | 'other'; bottom: 'red' | 'blue' | 'other' }> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const colour = (y: number) => {
    const i = (y * info.width + Math.floor(info.width / 2)) * info.channels;
    const [r, , b] = [data[i]!, data[i + 1]!, data[i + 2]!];
    return r > 200 && b < 60 ? 'red' : b > 200 && r < 60 ? 'blue' : 'other';
  };
  return { width: info.width, height: info.height, top: colour(0), bottom: colour(info.height - 1) };
}

/** The stored-name shape: sanitised base, `_`, 10 random characters, extension. */
export const storedName = (base: string, ext: string) => new RegExp(`^${base}_[A-Za-z0-9]{10}\\.${ext}$`);
