/**
 * Versioned migrations of the system tables. Each runs once, in its own transaction, in order;
 * the applied versions are recorded in `_migrations`. Append new steps; never edit old ones.
 */
import type { SqlDb } from './database.ts';

export interface Migration {
  version: number;
  name: string;
  up: (db: SqlDb) => void;
}

export const SYSTEM_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'system tables',
    up: (db) =>
      db.exec(`
        CREATE TABLE "_collections" (
          "id" TEXT PRIMARY KEY NOT NULL,
          "name" TEXT NOT NULL UNIQUE COLLATE NOCASE,
          "type" TEXT NOT NULL,
          "system" INTEGER NOT NULL DEFAULT 0,
          "fields" TEXT NOT NULL DEFAULT '[]',
          "indexes" TEXT NOT NULL DEFAULT '[]',
          "listRule" TEXT, "viewRule" TEXT, "createRule" TEXT, "updateRule" TEXT, "deleteRule" TEXT,
          "options" TEXT NOT NULL DEFAULT '{}',
          "created" TEXT NOT NULL,
          "updated" TEXT NOT NULL
        );
        CREATE TABLE "_sessions" (
          "id" TEXT PRIMARY KEY NOT NULL,
          "collectionId" TEXT NOT NULL,
          "recordId" TEXT NOT NULL,
          "created" TEXT NOT NULL,
          "expires" TEXT NOT NULL,
          "lastUsed" TEXT NOT NULL,
          "userAgent" TEXT NOT NULL DEFAULT '',
          "ip" TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX "_sessions_record_idx" ON "_sessions" ("collectionId", "recordId");
        CREATE TABLE "_params" ("key" TEXT PRIMARY KEY NOT NULL, "value" TEXT NOT NULL, "updated" TEXT NOT NULL);
        CREATE TABLE "_changes" (
          "seq" INTEGER PRIMARY KEY AUTOINCREMENT,
          "collectionId" TEXT NOT NULL,
          "recordId" TEXT NOT NULL,
          "action" TEXT NOT NULL,
          "created" TEXT NOT NULL
        );
        CREATE INDEX "_changes_created_idx" ON "_changes" ("created");
      `),
  },
  {
    version: 2,
    name: 'auth: external auths, one-time codes, MFA sessions, single-use email tokens',
    up: (db) =>
      db.exec(`
        CREATE TABLE "_externalAuths" (
          "id" TEXT PRIMARY KEY NOT NULL,
          "collectionRef" TEXT NOT NULL,
          "recordRef" TEXT NOT NULL,
          "provider" TEXT NOT NULL,
          "providerId" TEXT NOT NULL,
          "created" TEXT NOT NULL,
          "updated" TEXT NOT NULL
        );
        CREATE UNIQUE INDEX "_externalAuths_provider_idx" ON "_externalAuths" ("collectionRef", "provider", "providerId");
        CREATE UNIQUE INDEX "_externalAuths_record_idx" ON "_externalAuths" ("collectionRef", "recordRef", "provider");
        CREATE TABLE "_otps" (
          "id" TEXT PRIMARY KEY NOT NULL,
          "collectionRef" TEXT NOT NULL,
          "recordRef" TEXT NOT NULL,
          "password" TEXT NOT NULL,
          "sentTo" TEXT NOT NULL DEFAULT '',
          "created" TEXT NOT NULL
        );
        CREATE INDEX "_otps_record_idx" ON "_otps" ("collectionRef", "recordRef");
        CREATE TABLE "_mfas" (
          "id" TEXT PRIMARY KEY NOT NULL,
          "collectionRef" TEXT NOT NULL,
          "recordRef" TEXT NOT NULL,
          "method" TEXT NOT NULL,
          "created" TEXT NOT NULL
        );
        CREATE INDEX "_mfas_record_idx" ON "_mfas" ("collectionRef", "recordRef");
        CREATE TABLE "_authTokens" (
          "hash" TEXT PRIMARY KEY NOT NULL,
          "type" TEXT NOT NULL,
          "collectionRef" TEXT NOT NULL,
          "recordRef" TEXT NOT NULL,
          "expires" TEXT NOT NULL,
          "created" TEXT NOT NULL
        );
        CREATE INDEX "_authTokens_record_idx" ON "_authTokens" ("collectionRef", "recordRef", "type");
      `),
  },
  {
    version: 3,
    name: 'change log snapshots for realtime replay',
    // `data`: the stored row after create/update, or the removed row for delete (secrets stripped);
    // `previous`: the row before an update when the writer knows it. The record index finds a
    // record's previous entry (the "before" of an update) without scanning the log.
    up: (db) =>
      db.exec(`
        ALTER TABLE "_changes" ADD COLUMN "data" TEXT;
        ALTER TABLE "_changes" ADD COLUMN "previous" TEXT;
        CREATE INDEX "_changes_record_idx" ON "_changes" ("collectionId", "recordId", "seq");
      `),
  },
  {
    version: 4,
    name: 'cron tick claims',
    // One row per (job, scheduled tick): the process whose INSERT wins runs that tick.
    up: (db) =>
      db.exec(`
        CREATE TABLE "_cronRuns" (
          "name" TEXT NOT NULL, "slot" INTEGER NOT NULL, "owner" TEXT NOT NULL, "claimed" INTEGER NOT NULL,
          PRIMARY KEY ("name", "slot")
        ) WITHOUT ROWID;
      `),
  },
  {
    version: 5,
    name: 'shared rate-limit buckets',
    // One row per (rule, key) token bucket, shared by every worker on the database.
    up: (db) =>
      db.exec(`
        CREATE TABLE "_rateLimits" ("id" TEXT PRIMARY KEY NOT NULL, "tokens" REAL NOT NULL, "updated" INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX "_rateLimits_updated_idx" ON "_rateLimits" ("updated");
      `),
  },
  {
    version: 6,
    name: 'auth: updated column on one-time codes and MFA sessions',
    // They become system collections (collections/auth-system-collections.ts), whose rows carry
    // `updated` like every record. Skipped where a collection table already has the column.
    up: (db) => {
      for (const table of ['_otps', '_mfas']) {
        const cols = db.all<{ name: string }>(`PRAGMA table_info("${table}")`).map((c) => c.name);
        if (cols.length === 0 || cols.includes('updated')) continue;
        db.exec(`ALTER TABLE "${table}" ADD COLUMN "updated" TEXT NOT NULL DEFAULT ''; UPDATE "${table}" SET "updated" = "created";`);
      }
    },
  },
];

export function runMigrations(db: SqlDb, migrations: Migration[] = SYSTEM_MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS "_migrations" ("version" INTEGER PRIMARY KEY, "name" TEXT NOT NULL, "applied" TEXT NOT NULL)`);
  const done = new Set(db.pluck<number>('SELECT "version" FROM "_migrations"'));
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      m.up(db);
      db.run('INSERT INTO "_migrations" ("version", "name", "applied") VALUES (?, ?, ?)', [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
    });
    applied.push(m.version);
  }
  return applied;
}
