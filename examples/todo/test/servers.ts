/**
 * Test servers for the browser test: a real Hearth in-process over a temp data dir (with the
 * `todos` collection), and the todo app built with Vite against it and served by Vite's preview.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, upsertSuperuser } from '@hearth/server';
import { createClient } from '@hearth/sdk';
import { build, preview } from 'vite';
import { defineTodos } from '../todos-collection.ts';

const APP_ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };

export interface Running {
  url: string;
  close(): Promise<void>;
}

/** Hearth on a free port, with a superuser and the todos collection. */
export async function startHearth(): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-todo-'));
  const server = createServer({ dir, http: '127.0.0.1:0', logLevel: 'silent' });
  await upsertSuperuser(server.db, server.registry, ADMIN.email, ADMIN.password);
  const { url } = await server.listen();
  const admin = createClient(url);
  await admin.auth('_superusers').signIn(ADMIN.email, ADMIN.password);
  await defineTodos(admin);
  admin.close();
  return {
    url,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Builds the app for `hearthUrl` into a temp dir and serves it on a free port. */
export async function serveApp(hearthUrl: string): Promise<Running> {
  const outDir = mkdtempSync(join(tmpdir(), 'hearth-todo-dist-'));
  process.env.VITE_HEARTH_URL = hearthUrl; // Vite exposes VITE_* variables to the app
  await build({ root: APP_ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({ root: APP_ROOT, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, open: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('Vite preview did not report its URL.');
  return {
    url,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
