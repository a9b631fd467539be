/**
 * Test harness: a real Hearth server in-process on a free port over a temp data dir, a
 * superuser, an SDK client signed in as that superuser, and the fixture collections the SDK
 * tests (and the generated-types golden file) use.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, upsertSuperuser, type HearthServer } from '@hearth/server';
import { createClient, type ClientOptions, type HearthClient } from '../src/index.ts';
import type { Schema } from './types/hearth-types.ts';

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'correct horse battery';

export interface TestHearth {
  url: string;
  dir: string;
  server: HearthServer;
  /** A client signed in as superuser. */
  admin: HearthClient<Schema>;
  /** A fresh anonymous client. */
  client(options?: ClientOptions): HearthClient<Schema>;
  close(): Promise<void>;
}

export async function startHearth(options: { dir?: string; http?: string } = {}): Promise<TestHearth> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'hearth-sdk-'));
  const server = createServer({ dir, http: options.http ?? '127.0.0.1:0', logLevel: 'silent' });
  await upsertSuperuser(server.db, server.registry, ADMIN_EMAIL, ADMIN_PASSWORD);
  const { url } = await server.listen();
  const clients: HearthClient<Schema>[] = [];
  const client = (o?: ClientOptions) => {
    const c = createClient<Schema>(url, o);
    clients.push(c);
    return c;
  };
  const admin = client();
  await admin.auth('_superusers').signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  return {
    url,
    dir,
    server,
    admin,
    client,
    async close() {
      for (const c of clients) c.close();
      await server.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

const open = { listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '' };

/** The fixture schema: tags, posts (every field type), comments, and owner-only notes. */
export async function createFixtureCollections(admin: HearthClient<Schema>): Promise<void> {
  const create = (body: object) => admin.send<{ id: string }>('/api/collections', { method: 'POST', body });
  const users = await admin.send<{ id: string }>('/api/collections/users');
  const tags = await create({ name: 'tags', type: 'base', ...open, fields: [{ name: 'name', type: 'text', required: true }] });
  const posts = await create({
    name: 'posts',
    type: 'base',
    ...open,
    fields: [
      { name: 'title', type: 'text', required: true },
      { name: 'body', type: 'editor' },
      { name: 'views', type: 'number' },
      { name: 'published', type: 'bool' },
      { name: 'status', type: 'select', values: ['draft', 'published'], maxSelect: 1 },
      { name: 'labels', type: 'select', values: ['news', 'tech', 'fun'], maxSelect: 3 },
      { name: 'author', type: 'relation', collectionId: users.id, maxSelect: 1 },
      { name: 'tags', type: 'relation', collectionId: tags.id, maxSelect: 10 },
      { name: 'cover', type: 'file', maxSelect: 1, maxSize: 1_000_000, thumbs: ['300x200'] },
      { name: 'meta', type: 'json' },
      { name: 'publishedAt', type: 'date' },
      { name: 'site', type: 'url' },
      { name: 'secret', type: 'text', hidden: true },
    ],
  });
  await create({
    name: 'comments',
    type: 'base',
    ...open,
    fields: [
      { name: 'text', type: 'text', required: true },
      { name: 'post', type: 'relation', collectionId: posts.id, maxSelect: 1, cascadeDelete: true },
      { name: 'author', type: 'relation', collectionId: users.id, maxSelect: 1 },
    ],
  });
  const owner = 'owner = @request.auth.id';
  await create({
    name: 'notes',
    type: 'base',
    listRule: owner,
    viewRule: owner,
    createRule: '@request.auth.id != "" && owner = @request.auth.id',
    updateRule: owner,
    deleteRule: owner,
    fields: [
      { name: 'text', type: 'text' },
      { name: 'owner', type: 'relation', collectionId: users.id, maxSelect: 1, required: true },
    ],
  });
}

/** True when the server answers the realtime WebSocket upgrade (the endpoint may not exist yet). */
export function supportsWebSocket(url: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + '/api/realtime/ws');
    const done = (ok: boolean) => {
      clearTimeout(timer);
      ws.onopen = ws.onerror = null;
      try {
        ws.close();
      } catch {
        // already closed
      }
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    ws.onopen = () => done(true);
    ws.onerror = () => done(false);
  });
}

/** Polls `check` until it returns true (or throws after `timeoutMs`). */
export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A fetch that records every request's method and path (the server still answers for real). */
export function recordingFetch(): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fetch: (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
      return fetch(input, init);
    },
  };
}
