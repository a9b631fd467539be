/**
 * The system-table migrations as SQL text per engine. Both engines have the same steps with the
 * same versions and names (`_migrations` means the same on both); a step may do nothing on one
 * engine. Postgres column types are those `hearth db copy` gives the SQLite columns (INTEGER →
 * BIGINT, REAL → DOUBLE PRECISION, an INTEGER PRIMARY KEY → an identity column), so a copied
 * database and a migrated one have the same tables. Append new steps; never edit old ones.
 */
import { WRITER_LOCK_KEY } from './postgres-engine.ts';

export interface MigrationInfo {
  version: number;
  name: string;
}

export const MIGRATION_NAMES: readonly MigrationInfo[] = [
  { version: 1, name: 'system tables' },
  { version: 2, name: 'auth: external auths, one-time codes, MFA sessions, single-use email tokens' },
  { version: 3, name: 'change log snapshots for realtime replay' },
  { version: 4, name: 'cron tick claims' },
  { version: 5, name: 'shared rate-limit buckets' },
  { version: 6, name: 'auth: updated column on one-time codes and MFA sessions' },
  { version: 7, name: 'change log: every update carries its before state, no secondary indexes' },
];

/** The channel each `_changes` insert notifies, with the highest new seq as the payload. */
export const CHANGES_CHANNEL = 'hearth_changes';
/** The channel for schema (`schema`) and settings (`settings`) changes; the payload is the kind. */
export const NOTES_CHANNEL = 'hearth_notes';

const AUTH_TABLES = `
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
`;

// `data`: the stored row after create/update, or the removed row for delete (secrets stripped);
// `previous`: the row before an update when the writer knows it. The record index finds a
// record's previous entry (the "before" of an update) without scanning the log.
const CHANGE_SNAPSHOTS = `
  ALTER TABLE "_changes" ADD COLUMN "data" TEXT;
  ALTER TABLE "_changes" ADD COLUMN "previous" TEXT;
  CREATE INDEX "_changes_record_idx" ON "_changes" ("collectionId", "recordId", "seq");
`;

const SESSIONS_AND_PARAMS = `
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
`;

const collectionsTable = (systemType: string, nameCollation: string) => `
  CREATE TABLE "_collections" (
    "id" TEXT PRIMARY KEY NOT NULL,
    "name" TEXT NOT NULL UNIQUE${nameCollation},
    "type" TEXT NOT NULL,
    "system" ${systemType} NOT NULL DEFAULT 0,
    "fields" TEXT NOT NULL DEFAULT '[]',
    "indexes" TEXT NOT NULL DEFAULT '[]',
    "listRule" TEXT, "viewRule" TEXT, "createRule" TEXT, "updateRule" TEXT, "deleteRule" TEXT,
    "options" TEXT NOT NULL DEFAULT '{}',
    "created" TEXT NOT NULL,
    "updated" TEXT NOT NULL
  );
`;

// Each `_changes` index was a page of every commit's WAL frames: `_changes_record_idx` a random
// leaf per write (recordId), `_changes_created_idx` the last leaf. The record index served only
// to find an update's before state when the writer stored none — every writer now stores it, and
// the rows written before get theirs here (JSON `null` when there was none, which reads as the
// unknown before state it was). Retention finds its age cut-off by seq (seqs and creation times
// grow together), so the created index goes too. The same SQL on both engines.
const CHANGE_LOG_WITHOUT_INDEXES = `
  UPDATE "_changes" SET "previous" = COALESCE((
    SELECT p."data" FROM "_changes" p
    WHERE p."collectionId" = "_changes"."collectionId" AND p."recordId" = "_changes"."recordId"
      AND p."seq" < "_changes"."seq" AND p."action" != 'delete'
    ORDER BY p."seq" DESC LIMIT 1
  ), 'null')
  WHERE "action" = 'update' AND "previous" IS NULL;
  DROP INDEX IF EXISTS "_changes_record_idx";
  DROP INDEX IF EXISTS "_changes_created_idx";
`;

/** SQLite statements of the steps that are plain SQL there (6 inspects the tables). */
export const SQLITE_SQL: Record<1 | 2 | 3 | 4 | 5 | 7, string> = {
  1: `${collectionsTable('INTEGER', ' COLLATE NOCASE')}${SESSIONS_AND_PARAMS}
    CREATE TABLE "_changes" (
      "seq" INTEGER PRIMARY KEY AUTOINCREMENT,
      "collectionId" TEXT NOT NULL,
      "recordId" TEXT NOT NULL,
      "action" TEXT NOT NULL,
      "created" TEXT NOT NULL
    );
    CREATE INDEX "_changes_created_idx" ON "_changes" ("created");`,
  2: AUTH_TABLES,
  3: CHANGE_SNAPSHOTS,
  // One row per (job, scheduled tick): the process whose INSERT wins runs that tick.
  4: `CREATE TABLE "_cronRuns" (
      "name" TEXT NOT NULL, "slot" INTEGER NOT NULL, "owner" TEXT NOT NULL, "claimed" INTEGER NOT NULL,
      PRIMARY KEY ("name", "slot")
    ) WITHOUT ROWID;`,
  // One row per (rule, key) token bucket, shared by every worker on the database.
  5: `CREATE TABLE "_rateLimits" ("id" TEXT PRIMARY KEY NOT NULL, "tokens" REAL NOT NULL, "updated" INTEGER NOT NULL) WITHOUT ROWID;
    CREATE INDEX "_rateLimits_updated_idx" ON "_rateLimits" ("updated");`,
  7: CHANGE_LOG_WITHOUT_INDEXES,
};

/** Postgres statements of the steps that are plain SQL there (6 inspects the tables). */
export const POSTGRES_SQL: Record<1 | 2 | 3 | 4 | 5 | 7, string> = {
  1: `${collectionsTable('BIGINT', '')}${SESSIONS_AND_PARAMS}
    CREATE TABLE "_changes" (
      "seq" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      "collectionId" TEXT NOT NULL,
      "recordId" TEXT NOT NULL,
      "action" TEXT NOT NULL,
      "created" TEXT NOT NULL
    );
    CREATE INDEX "_changes_created_idx" ON "_changes" ("created");`,
  2: AUTH_TABLES,
  3: CHANGE_SNAPSHOTS,
  4: `CREATE TABLE "_cronRuns" (
      "name" TEXT NOT NULL, "slot" BIGINT NOT NULL, "owner" TEXT NOT NULL, "claimed" BIGINT NOT NULL,
      PRIMARY KEY ("name", "slot")
    );`,
  5: `CREATE TABLE "_rateLimits" ("id" TEXT PRIMARY KEY NOT NULL, "tokens" DOUBLE PRECISION NOT NULL, "updated" BIGINT NOT NULL);
    CREATE INDEX "_rateLimits_updated_idx" ON "_rateLimits" ("updated");`,
  7: CHANGE_LOG_WITHOUT_INDEXES,
};

/**
 * What Postgres needs beyond the versioned steps, for what SQLite has without a table: the schema
 * version (SQLite's `user_version`), names unique regardless of case (SQLite's NOCASE), and the
 * notifications that wake the other nodes — every `_changes` insert statement NOTIFYs the new
 * highest seq, every schema-version or settings write a note. NOTIFY is delivered at commit, so
 * a rolled-back write wakes nobody. Any insert into `_changes` first takes the writer lock
 * (re-entrant: a transaction of the engine already holds it), so even a writer that did not
 * begin with it — an autocommit statement, another tool — commits its seqs in seq order, which
 * the change feed's `seq > cursor` tail relies on. Not a versioned step: a database made by `hearth db copy`
 * carries SQLite's `_migrations` rows, and gets this on its first start all the same.
 */
export const POSTGRES_NODE_TRIGGERS = ['_changes_writer_lock', '_changes_notify', '_schemaVersion_notify', '_params_notify'] as const;
export const POSTGRES_NODE_SETUP = `
    CREATE TABLE IF NOT EXISTS "_schemaVersion" ("id" BIGINT PRIMARY KEY NOT NULL CHECK ("id" = 1), "version" BIGINT NOT NULL);
    INSERT INTO "_schemaVersion" ("id", "version") VALUES (1, 0) ON CONFLICT DO NOTHING;
    CREATE UNIQUE INDEX IF NOT EXISTS "_collections_name_nocase_idx" ON "_collections" (lower("name"));
    CREATE OR REPLACE FUNCTION "_hearth_notify_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('${CHANGES_CHANNEL}', m.s::text) FROM (SELECT MAX("seq") AS s FROM new_rows) m WHERE m.s IS NOT NULL;
      RETURN NULL;
    END $$;
    CREATE OR REPLACE FUNCTION "_hearth_notify_note"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('${NOTES_CHANNEL}', TG_ARGV[0]);
      RETURN NULL;
    END $$;
    CREATE OR REPLACE FUNCTION "_hearth_writer_lock"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(${WRITER_LOCK_KEY});
      RETURN NULL;
    END $$;
    DROP TRIGGER IF EXISTS "_changes_writer_lock" ON "_changes";
    CREATE TRIGGER "_changes_writer_lock" BEFORE INSERT ON "_changes"
      FOR EACH STATEMENT EXECUTE FUNCTION "_hearth_writer_lock"();
    DROP TRIGGER IF EXISTS "_changes_notify" ON "_changes";
    CREATE TRIGGER "_changes_notify" AFTER INSERT ON "_changes" REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "_hearth_notify_changes"();
    DROP TRIGGER IF EXISTS "_schemaVersion_notify" ON "_schemaVersion";
    CREATE TRIGGER "_schemaVersion_notify" AFTER UPDATE ON "_schemaVersion"
      FOR EACH STATEMENT EXECUTE FUNCTION "_hearth_notify_note"('schema');
    DROP TRIGGER IF EXISTS "_params_notify" ON "_params";
    CREATE TRIGGER "_params_notify" AFTER INSERT OR UPDATE OR DELETE ON "_params"
      FOR EACH STATEMENT EXECUTE FUNCTION "_hearth_notify_note"('settings');
`;

/** Step 6: the tables that still lack `updated` (a collection table may already have it). */
export const UPDATED_COLUMN_TABLES = ['_otps', '_mfas'] as const;
export const addUpdatedColumnSql = (table: string): string =>
  `ALTER TABLE "${table}" ADD COLUMN "updated" TEXT NOT NULL DEFAULT ''; UPDATE "${table}" SET "updated" = "created";`;
