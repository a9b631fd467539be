/**
 * Where a command acts: directly on a data dir (`--dir`, default HEARTH_DIR or ./hearth_data;
 * safe while the server runs) or on a running server (`--url` or HEARTH_URL, with `--token`,
 * HEARTH_TOKEN or the token saved by `hearth login`).
 */
import type { Command } from 'commander';
import { openDataDir } from '@hearth/server';
import { findLogin, normalizeUrl } from './credentials.ts';
import { describeError, resolveDir } from './data-dir.ts';
import { CliError } from './output.ts';

export interface TargetOptions {
  dir?: string;
  url?: string;
  token?: string;
  json?: boolean;
}

export function withTarget(cmd: Command): Command {
  return cmd
    .option('--dir <path>', 'data directory (default ./hearth_data, env HEARTH_DIR)')
    .option('--url <url>', 'a running server instead of the data dir (env HEARTH_URL)')
    .option('--token <token>', 'superuser token for --url (env HEARTH_TOKEN, else the one saved by `hearth login`)')
    .option('--json', 'machine-readable output');
}

export interface Remote {
  url: string;
  token: string;
}

/** The server to talk to, or null for data-dir mode. */
export function remoteOf(o: TargetOptions): Remote | null {
  const url = o.url ?? (o.dir ? undefined : process.env.HEARTH_URL);
  if (!url) return null;
  const token = o.token ?? process.env.HEARTH_TOKEN ?? findLogin(url)?.token;
  if (!token) throw new CliError(`No token for ${url}: pass --token, set HEARTH_TOKEN, or run \`hearth login --url ${url}\`.`);
  return { url: normalizeUrl(url), token };
}

/** One API call; throws a CliError with the server's message and field errors. */
export async function api<T = unknown>(remote: Remote, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(remote.url + path, {
      method,
      headers: { authorization: remote.token, ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
  } catch (err) {
    throw new CliError(`Cannot reach ${remote.url}: ${(err as Error).cause ? String((err as { cause: Error }).cause.message) : (err as Error).message}`);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new CliError(`Unexpected answer from ${remote.url}${path} (status ${res.status}).`);
  }
  if (!res.ok) throw new CliError(describeError(json));
  return json as T;
}

export type DataDir = ReturnType<typeof openDataDir>;

/** Opens the data dir for the length of `fn`; AppErrors become one-line CliErrors. */
export async function withDataDir<T>(o: TargetOptions, fn: (d: DataDir, dir: string) => T | Promise<T>): Promise<T> {
  const dir = resolveDir(o.dir);
  const data = openDataDir(dir);
  try {
    return await fn(data, dir);
  } catch (err) {
    if (err instanceof CliError) throw err;
    if (err && typeof err === 'object' && 'code' in err && 'data' in err) throw new CliError(describeError(err));
    throw err;
  } finally {
    await data.engine.close();
  }
}
