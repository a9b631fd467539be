/**
 * Realtime test helpers: a real server on the run's engine (like harness.ts, but with realtime options), users, a raw
 * `ws` client that records every message, and waiting with a timeout — never sleeping.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { upsertSuperuser, type HearthServer } from '../src/index.ts';
import type { RealtimeOptionsInput } from '../src/realtime/index.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, openTestServer, TEST_ENGINE } from './harness.ts';

export const WAIT_MS = 10_000;

export interface RtServer {
  url: string;
  wsUrl: string;
  server: HearthServer;
  adminToken: string;
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  signUp(name: string): Promise<{ id: string; token: string; email: string }>;
  close(): Promise<void>;
}

export async function startRealtimeServer(realtime: RealtimeOptionsInput = {}): Promise<RtServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-rt-'));
  const server = await openTestServer({ dir, http: '127.0.0.1:0', logLevel: 'silent', realtime });
  await upsertSuperuser(TEST_ENGINE === 'sqlite' ? server.db : server.engine, server.registry, ADMIN_EMAIL, ADMIN_PASSWORD);
  const { url } = await server.listen();
  const api: RtServer['api'] = async (method, path, body, token) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = token;
    const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const admin = await api('POST', '/api/collections/_superusers/auth-with-password', { identity: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  if (admin.status !== 200) throw new Error('superuser auth failed');
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws') + '/api/realtime/ws',
    server,
    adminToken: admin.body.token,
    api,
    async signUp(name) {
      const email = `${name.toLowerCase()}@example.com`;
      const created = await api('POST', '/api/collections/users/records', { email, password: 'password123', passwordConfirm: 'password123' });
      if (created.status !== 200) throw new Error(`sign-up failed: ${JSON.stringify(created.body)}`);
      const auth = await api('POST', '/api/collections/users/auth-with-password', { identity: email, password: 'password123' });
      if (auth.status !== 200) throw new Error('auth failed');
      return { id: created.body.id, token: auth.body.token, email };
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `check()` returns a value other than undefined/false; re-checked on every `poke()`. */
export class Waiter {
  private waiters = new Set<() => void>();

  poke(): void {
    for (const w of [...this.waiters]) w();
  }

  until<T>(check: () => T | undefined | false, what: string, timeoutMs = WAIT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const attempt = () => {
        let v: T | undefined | false;
        try {
          v = check();
        } catch (err) {
          done();
          reject(err);
          return;
        }
        if (v !== undefined && v !== false) {
          done();
          resolve(v as T);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(attempt);
      };
      this.waiters.add(attempt);
      attempt();
    });
  }
}

export type Msg = Record<string, any>;

/** A raw WebSocket client that keeps every message it received. */
export class WsClient {
  readonly ws: WebSocket;
  readonly messages: Msg[] = [];
  closeCode: number | null = null;
  /** The headers of the server's upgrade response. */
  upgradeHeaders: Record<string, string | string[] | undefined> = {};
  private readonly waiter = new Waiter();

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('upgrade', (res) => {
      this.upgradeHeaders = res.headers;
    });
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)));
      this.waiter.poke();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.waiter.poke();
    });
    ws.on('error', () => this.waiter.poke());
  }

  static async open(url: string, headers?: Record<string, string>): Promise<WsClient> {
    const client = new WsClient(new WebSocket(url, { headers }));
    await client.next((m) => m.type === 'ready', 'ready');
    return client;
  }

  send(msg: Msg): void {
    this.ws.send(JSON.stringify(msg));
  }

  async auth(token: string): Promise<void> {
    const before = this.messages.length;
    this.send({ type: 'auth', token });
    await this.until(() => this.messages.slice(before).some((m) => m.type === 'ready' || m.type === 'error'), 'auth answer');
    const err = this.messages.slice(before).find((m) => m.type === 'error');
    if (err) throw new Error(`auth failed: ${err.message}`);
  }

  /** Subscribes and waits for `subscribed` (returned) or an error (returned too). */
  async subscribe(sub: Msg): Promise<Msg> {
    const from = this.messages.length;
    this.send({ type: 'subscribe', ...sub });
    const answer = (m: Msg) => (m.type === 'subscribed' || m.type === 'error') && m.id === sub.id;
    return this.until(() => this.messages.slice(from).find(answer), `subscribe ${sub.id}`);
  }

  changes(id?: string): Msg[] {
    return this.messages.filter((m) => m.type === 'change' && (id === undefined || m.id === id));
  }

  /** The first message matching `pred` (already received or future). */
  next(pred: (m: Msg) => boolean, what: string): Promise<Msg> {
    return this.until(() => this.messages.find(pred), what);
  }

  until<T>(check: () => T | undefined | false, what: string, timeoutMs?: number): Promise<T> {
    return this.waiter.until(() => {
      const v = check();
      if ((v === undefined || v === false) && this.closeCode !== null) throw new Error(`socket closed (${this.closeCode}) while waiting for ${what}`);
      return v;
    }, what, timeoutMs);
  }

  waitClosed(what = 'close'): Promise<number> {
    return this.waiter.until(() => this.closeCode ?? undefined, what);
  }

  close(): void {
    this.ws.close();
  }
}
