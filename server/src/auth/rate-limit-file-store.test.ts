/**
 * The SQLite workers' bucket file, opened twice as two workers would: one budget between the two
 * connections, the same refill and Retry-After as the in-memory limiter, namespaces kept apart by
 * prune, and a check made while the other connection holds the file's write lock answering once
 * it is released (a promise), never failing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqlDb } from '../db/index.ts';
import { createFileBucketStore, prepareRateLimitFile, RATE_LIMIT_FILE } from './rate-limit-file-store.ts';
import { createRateLimiter } from './rate-limit.ts';

const rules = { login: { limit: 3, windowSeconds: 60 } };
let dir: string;
let a: SqlDb;
let b: SqlDb;
let now: number;

function open(): SqlDb {
  const db = openDatabase(join(dir, RATE_LIMIT_FILE));
  prepareRateLimitFile(db);
  return db;
}

const limiterOn = (db: SqlDb, namespace = 'auth') => createRateLimiter({ rules, clock: () => now, shared: createFileBucketStore(db, namespace) });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-buckets-'));
  a = open();
  b = open();
  now = 1_000_000;
});

afterEach(() => {
  a.close();
  b.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('rate-limit buckets in their own file', () => {
  it('spends one budget from two connections and refills as the memory limiter does', () => {
    const one = limiterOn(a);
    const two = limiterOn(b);
    expect([one.check('ip', 'login'), two.check('ip', 'login'), one.check('ip', 'login')]).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(two.check('ip', 'login')).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect(one.check('other-ip', 'login')).toEqual({ ok: true });
    now += 19_000;
    expect(one.check('ip', 'login')).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 1_000;
    expect(two.check('ip', 'login')).toEqual({ ok: true });
    expect(one.check('ip', 'login')).toMatchObject({ ok: false });
  });

  it('keeps the buckets of a changed rule apart', () => {
    const one = limiterOn(a);
    for (let i = 0; i < 3; i++) expect(one.check('ip', 'login')).toEqual({ ok: true });
    expect(one.check('ip', 'login')).toMatchObject({ ok: false });
    one.setRules({ login: { limit: 4, windowSeconds: 60 } });
    expect(one.check('ip', 'login')).toEqual({ ok: true });
  });

  it('prunes only its own namespace', () => {
    const auth = createFileBucketStore(a, 'auth');
    const routes = createFileBucketStore(b, 'rules');
    expect(auth.take('x', now, rules.login)).toEqual({ ok: true });
    expect(routes.take('x', now, rules.login)).toEqual({ ok: true });
    expect(auth.prune(now + 120_000, 60_000)).toBeUndefined();
    expect(a.pluck<string>('SELECT "id" FROM "buckets" ORDER BY "id"')).toEqual(['rules:x']);
  });

  it('answers a check made while another worker holds the lock once it is released', async () => {
    const one = limiterOn(a);
    b.run('BEGIN IMMEDIATE');
    const pending = one.check('ip', 'login');
    expect(pending).toBeInstanceOf(Promise);
    b.run('COMMIT');
    expect(await pending).toEqual({ ok: true });
    expect(a.pluck<number>('SELECT "tokens" FROM "buckets"')).toEqual([2]);
  });
});
