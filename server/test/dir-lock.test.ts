/** One server per data dir: a second createServer on the same dir is refused until the first closes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createServer } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'hearth-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('refuses a second server on one data dir with a clear message, and allows it after close', async () => {
  const first = createServer({ dir, http: '127.0.0.1:0', logLevel: 'silent' });
  await first.listen();
  expect(() => createServer({ dir, http: '127.0.0.1:0', logLevel: 'silent' })).toThrow(
    new RegExp(`data dir .*${dir.split('/').pop()}.* is already in use by another hearth server \\(pid ${process.pid}\\)`),
  );
  await first.close();
  const second = createServer({ dir, http: '127.0.0.1:0', logLevel: 'silent' });
  await second.listen();
  await second.close();
});

it('opens with synchronous=FULL for durability "full"', async () => {
  const d = mkdtempSync(join(tmpdir(), 'hearth-full-'));
  const s = createServer({ dir: d, http: '127.0.0.1:0', logLevel: 'silent', durability: 'full' });
  try {
    expect(s.db.pluck('PRAGMA synchronous')[0]).toBe(2);
  } finally {
    await s.close();
    rmSync(d, { recursive: true, force: true });
  }
  const n = createServer({ dir: d, http: '127.0.0.1:0', logLevel: 'silent' });
  try {
    expect(n.db.pluck('PRAGMA synchronous')[0]).toBe(1);
  } finally {
    await n.close();
    rmSync(d, { recursive: true, force: true });
  }
});
