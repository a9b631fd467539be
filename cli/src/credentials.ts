/**
 * Saved superuser tokens (`hearth login`): `<config dir>/hearth/credentials.json`, where the
 * config dir is $XDG_CONFIG_HOME, else %APPDATA% on Windows, else ~/.config. The folder is 0700
 * and the file 0600: only the user can read the tokens.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface SavedLogin {
  url: string;
  token: string;
  email: string;
  saved: string;
}

interface CredentialsFile {
  /** The most recent login, used when --url is not given. */
  current?: string;
  servers: Record<string, SavedLogin>;
}

export function credentialsPath(): string {
  const base = process.env.XDG_CONFIG_HOME || (process.platform === 'win32' && process.env.APPDATA) || join(homedir(), '.config');
  return join(base, 'hearth', 'credentials.json');
}

export const normalizeUrl = (url: string): string => url.replace(/\/+$/, '');

function read(): CredentialsFile {
  const path = credentialsPath();
  if (!existsSync(path)) return { servers: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as CredentialsFile;
    return { current: parsed.current, servers: parsed.servers ?? {} };
  } catch {
    return { servers: {} };
  }
}

function write(file: CredentialsFile): void {
  const path = credentialsPath();
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export function saveLogin(login: Omit<SavedLogin, 'saved'>): string {
  const file = read();
  const url = normalizeUrl(login.url);
  file.servers[url] = { ...login, url, saved: new Date().toISOString() };
  file.current = url;
  write(file);
  return credentialsPath();
}

/** The saved login for `url` (or the current one when url is undefined). */
export function findLogin(url?: string): SavedLogin | undefined {
  const file = read();
  const key = url ? normalizeUrl(url) : file.current;
  return key ? file.servers[key] : undefined;
}

export function removeLogin(url?: string): boolean {
  const file = read();
  const key = url ? normalizeUrl(url) : file.current;
  if (!key || !file.servers[key]) return false;
  delete file.servers[key];
  if (file.current === key) file.current = Object.keys(file.servers)[0];
  write(file);
  return true;
}
