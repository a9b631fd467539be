/**
 * The file storage of a test server, for suites that run on both engines: the local disk of its
 * data dir, or a real S3 server (s3rver) enabled through the `s3` settings — which is what a node
 * on PostgreSQL uses (a node's disk is not shared between nodes). Lists what storage holds in the
 * same shape either way: keys `collectionId/recordId/name`, thumbs under `…/thumbs_name/`.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { expect } from 'vitest';
import { TEST_ENGINE } from './harness.ts';
import { startS3, type TestS3 } from './s3-server.ts';

export type Driver = 'local' | 's3';

export interface TestStorage {
  driver: Driver;
  s3?: TestS3;
  /** Storage keys under `prefix` (blobs only, not `.attrs`), sorted. */
  blobs(prefix?: string): Promise<string[]>;
  /** The records of `collectionId` that storage has a place for (on disk: their directories). */
  recordDirs(collectionId: string): Promise<string[]>;
  close(): Promise<void>;
}

interface Server {
  dir: string;
  adminToken: string;
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
}

function localBlobs(root: string, prefix: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (!n.endsWith('.attrs')) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(root);
  return out.filter((k) => k.startsWith(prefix)).sort();
}

/** `driver` storage for server `t` (default: the run's engine's — S3 on PostgreSQL, the disk on SQLite). */
export async function useStorage(t: Server, driver: Driver = TEST_ENGINE === 'postgres' ? 's3' : 'local'): Promise<TestStorage> {
  const root = join(t.dir, 'storage');
  if (driver === 'local') {
    return {
      driver,
      blobs: async (prefix = '') => localBlobs(root, prefix),
      recordDirs: async (collectionId) => {
        try {
          return readdirSync(join(root, collectionId)).sort();
        } catch {
          return [];
        }
      },
      close: async () => {},
    };
  }
  const s3 = await startS3();
  const patched = await t.api('PATCH', '/api/settings', { s3: s3.settings }, t.adminToken);
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  return {
    driver,
    s3,
    blobs: (prefix = '') => s3.keys(prefix).then((keys) => keys.filter((k) => !k.endsWith('.attrs')).sort()),
    recordDirs: async (collectionId) => [...new Set((await s3.keys(`${collectionId}/`)).map((k) => k.split('/')[1]!))].sort(),
    close: () => s3.close(),
  };
}

/** Why the local-disk driver is not run on PostgreSQL. */
export const LOCAL_DISK_SQLITE_ONLY = 'a node on PostgreSQL keeps uploads on S3 — a local disk is not shared between nodes';
