/**
 * `hearth collections list|get|create|update|delete`: admin CRUD of collections, either on the
 * data dir directly or against a running server (`--url` with `--token` / HEARTH_TOKEN).
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { openDataDir, toWire } from '@hearth/server';
import { describeError, resolveDir } from '../data-dir.ts';
import { remoteOf, withTarget as targetOptions } from '../target.ts';

interface Target {
  dir?: string;
  url?: string;
  token?: string;
  json?: boolean;
}

type Action = 'list' | 'get' | 'create' | 'update' | 'delete';

async function viaServer(t: Target, action: Action, name?: string, body?: unknown): Promise<unknown> {
  const remote = remoteOf(t)!;
  const base = remote.url;
  const path = name ? `/api/collections/${encodeURIComponent(name)}` : '/api/collections';
  const method = { list: 'GET', get: 'GET', create: 'POST', update: 'PATCH', delete: 'DELETE' }[action];
  const res = await fetch(base + path + (action === 'list' ? '?perPage=1000' : ''), {
    method,
    headers: { 'content-type': 'application/json', authorization: remote.token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(describeError(json));
  return action === 'list' ? (json as { items: unknown[] }).items : json;
}

async function viaDir(t: Target, action: Action, name?: string, body?: unknown): Promise<unknown> {
  const { engine, collections } = openDataDir(resolveDir(t.dir));
  try {
    switch (action) {
      case 'list':
        return collections.list().map(toWire);
      case 'get':
        return toWire(collections.get(name!));
      case 'create':
        return toWire(await collections.create(body));
      case 'update':
        return toWire(await collections.update(name!, body));
      case 'delete':
        await collections.delete(name!);
        return null;
    }
  } catch (err) {
    throw new Error(describeError(err));
  } finally {
    await engine.close();
  }
}

function readJson(source: string): unknown {
  const text = source === '-' ? readFileSync(0, 'utf8') : source.trim().startsWith('{') ? source : readFileSync(source, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('Invalid JSON: pass a file path, inline JSON, or - for stdin.');
  }
}

const withTarget = targetOptions;

async function exec(action: Action, t: Target, name?: string, body?: unknown): Promise<void> {
  const out = remoteOf(t) ? await viaServer(t, action, name, body) : await viaDir(t, action, name, body);
  if (t.json) {
    process.stdout.write(JSON.stringify(out ?? { deleted: name }, null, 2) + '\n');
  } else if (action === 'list') {
    for (const c of out as Array<{ name: string; type: string; fields: unknown[] }>) {
      process.stdout.write(`${c.name}\t${c.type}\t${c.fields.length} fields\n`);
    }
  } else if (out !== null) {
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    process.stdout.write(`Collection ${name} deleted.\n`);
  }
}

export function collectionsCommand(): Command {
  const cmd = new Command('collections').description('Manage collections');
  withTarget(cmd.command('list').description('List collections')).action((o: Target) => exec('list', o));
  withTarget(cmd.command('get').description('Show one collection as JSON').argument('<name>')).action((n: string, o: Target) =>
    exec('get', o, n),
  );
  withTarget(cmd.command('create').description('Create a collection from JSON (file, inline, or - for stdin)').argument('<json>')).action(
    (src: string, o: Target) => exec('create', o, undefined, readJson(src)),
  );
  withTarget(cmd.command('update').description('Update a collection with JSON').argument('<name>').argument('<json>')).action(
    (n: string, src: string, o: Target) => exec('update', o, n, readJson(src)),
  );
  withTarget(cmd.command('delete').description('Delete a collection and its table').argument('<name>')).action((n: string, o: Target) =>
    exec('delete', o, n),
  );
  return cmd;
}
