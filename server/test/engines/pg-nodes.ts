/**
 * Hearth nodes on one PostgreSQL for a test file: `start(url)` opens a real server on a free port
 * (its own temp dir, cheap password hashing, node ids 1, 2, …) and `closeAll()` closes them and
 * removes their dirs. `nodeApi` is a JSON request to one node's base URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openServer, type HearthServer } from '../../src/index.ts';

export const CHEAP = { N: 1024, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

export interface PgNode {
  server: HearthServer;
  url: string;
  dir: string;
}

export interface PgNodes {
  readonly list: readonly PgNode[];
  /** Opens and listens a node on the database at `db`. */
  start(db: string): Promise<PgNode>;
  closeAll(): Promise<void>;
}

export function pgNodes(prefix: string): PgNodes {
  const list: PgNode[] = [];
  return {
    list,
    async start(db) {
      const dir = mkdtempSync(join(tmpdir(), `hearth-${prefix}-`));
      const server = await openServer({ dir, db, http: '127.0.0.1:0', logLevel: 'silent', passwordParams: CHEAP, node: { id: list.length + 1 } });
      const listening = await server.listen();
      const node = { server, url: listening.url, dir };
      list.push(node);
      return node;
    },
    async closeAll() {
      for (const n of list.splice(0)) {
        await n.server.close();
        rmSync(n.dir, { recursive: true, force: true });
      }
    },
  };
}

export interface NodeResponse {
  status: number;
  body: any;
  headers: Headers;
}

export async function nodeApi(base: string, method: string, path: string, body?: unknown, token?: string): Promise<NodeResponse> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = token;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}
