/**
 * Test-only helpers for auth/: a real SQLite file in a temp dir, hand-made auth collections and
 * tables (plain SQL, independent of collections/), and a tiny registry. Not exported by index.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEngine, quoteIdent, runMigrations, type SqlDb, type SqlEngine } from '../db/index.ts';
import type { Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { hashPassword, type ScryptParams } from './password.ts';
import { newTokenKey } from './tokens.ts';
import type { AuthRecord } from './auth-records.ts';

/** 1 MiB, ~1 ms: keeps the suite fast while exercising the same code path. */
export const FAST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

export interface TestDb {
  engine: SqlEngine;
  /** The synchronous interface on the same connections. */
  db: SqlDb;
  cleanup(): void;
}

export function openTestDb(): TestDb {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-auth-'));
  const engine = openSqliteEngine(join(dir, 'data.db'));
  const { db } = engine;
  runMigrations(db);
  return {
    engine,
    db,
    cleanup() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function makeAuthCollection(name: string, identityFields = ['email']): Collection {
  return {
    id: `pbc_${newId(10, '0123456789')}`,
    name,
    type: 'auth',
    system: name.startsWith('_'),
    fields: [{ id: 'f_username', name: 'username', type: 'text', system: false, hidden: false, presentable: false, required: false }],
    indexes: [],
    listRule: null,
    viewRule: null,
    createRule: null,
    updateRule: null,
    deleteRule: null,
    auth: {
      authRule: '',
      manageRule: null,
      passwordAuth: { enabled: true, identityFields },
      authToken: { duration: 7 * 24 * 3600 },
      tokenSecret: newId(50),
    },
    created: '2024-01-01 00:00:00.000Z',
    updated: '2024-01-01 00:00:00.000Z',
  };
}

/** The columns collections/ gives every auth table, plus a `username` text column. */
export function createAuthTable(db: SqlDb, collection: Collection): void {
  db.exec(`CREATE TABLE ${quoteIdent(collection.name)} (
    "id" TEXT PRIMARY KEY NOT NULL,
    "email" TEXT NOT NULL DEFAULT '',
    "emailVisibility" INTEGER NOT NULL DEFAULT 0,
    "verified" INTEGER NOT NULL DEFAULT 0,
    "password" TEXT NOT NULL DEFAULT '',
    "tokenKey" TEXT NOT NULL DEFAULT '',
    "username" TEXT NOT NULL DEFAULT '',
    "created" TEXT NOT NULL DEFAULT '',
    "updated" TEXT NOT NULL DEFAULT ''
  )`);
}

export function createTestRegistry(collections: Collection[]): CollectionRegistry & { bump(): void } {
  let version = 1;
  const find = (nameOrId: string): Collection | undefined =>
    collections.find((c) => c.id === nameOrId || c.name.toLowerCase() === nameOrId.toLowerCase());
  return {
    find,
    get(nameOrId) {
      const c = find(nameOrId);
      if (!c) throw notFound();
      return c;
    },
    all: () => [...collections],
    get version() {
      return version;
    },
    async reload() {
      version++;
    },
    bump() {
      version++;
    },
  };
}

export async function insertAuthRecord(
  db: SqlDb,
  collection: Collection,
  values: { email: string; password?: string; username?: string },
): Promise<AuthRecord> {
  const id = newId();
  const hash = values.password === undefined ? '' : await hashPassword(values.password, FAST_SCRYPT);
  db.run(
    `INSERT INTO ${quoteIdent(collection.name)} ("id", "email", "password", "tokenKey", "username") VALUES (?, ?, ?, ?, ?)`,
    [id, values.email, hash, newTokenKey(), values.username ?? ''],
  );
  return db.get<AuthRecord>(`SELECT * FROM ${quoteIdent(collection.name)} WHERE "id" = ?`, [id])!;
}
