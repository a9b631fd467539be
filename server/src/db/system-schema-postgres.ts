/**
 * The system tables on PostgreSQL, defined with drizzle's Postgres dialect: the same tables and
 * columns as system-schema.ts (SQLite), with the types the Postgres migrations create, plus
 * `_schemaVersion` (SQLite keeps that number in its file header). Checked against the migrated
 * database by server/test/engines/migrate-postgres.test.ts.
 */
import { pgTable, text, bigint, doublePrecision, index, primaryKey } from 'drizzle-orm/pg-core';

const int = (name: string) => bigint(name, { mode: 'number' });

export const collections = pgTable('_collections', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  type: text('type').notNull(),
  system: int('system').notNull().default(0),
  fields: text('fields').notNull().default('[]'),
  indexes: text('indexes').notNull().default('[]'),
  listRule: text('listRule'),
  viewRule: text('viewRule'),
  createRule: text('createRule'),
  updateRule: text('updateRule'),
  deleteRule: text('deleteRule'),
  options: text('options').notNull().default('{}'),
  created: text('created').notNull(),
  updated: text('updated').notNull(),
});

export const sessions = pgTable(
  '_sessions',
  {
    id: text('id').primaryKey(),
    collectionId: text('collectionId').notNull(),
    recordId: text('recordId').notNull(),
    created: text('created').notNull(),
    expires: text('expires').notNull(),
    lastUsed: text('lastUsed').notNull(),
    userAgent: text('userAgent').notNull().default(''),
    ip: text('ip').notNull().default(''),
  },
  (t) => [index('_sessions_record_idx').on(t.collectionId, t.recordId)],
);

export const params = pgTable('_params', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updated: text('updated').notNull(),
});

export const changes = pgTable('_changes', {
  seq: int('seq').primaryKey().generatedByDefaultAsIdentity(),
  collectionId: text('collectionId').notNull(),
  recordId: text('recordId').notNull(),
  action: text('action').notNull(),
  created: text('created').notNull(),
  data: text('data'),
  previous: text('previous'),
});

export const externalAuths = pgTable('_externalAuths', {
  id: text('id').primaryKey(),
  collectionRef: text('collectionRef').notNull(),
  recordRef: text('recordRef').notNull(),
  provider: text('provider').notNull(),
  providerId: text('providerId').notNull(),
  created: text('created').notNull(),
  updated: text('updated').notNull(),
});

export const otps = pgTable('_otps', {
  id: text('id').primaryKey(),
  collectionRef: text('collectionRef').notNull(),
  recordRef: text('recordRef').notNull(),
  password: text('password').notNull(),
  sentTo: text('sentTo').notNull().default(''),
  created: text('created').notNull(),
  updated: text('updated').notNull().default(''),
});

export const mfas = pgTable('_mfas', {
  id: text('id').primaryKey(),
  collectionRef: text('collectionRef').notNull(),
  recordRef: text('recordRef').notNull(),
  method: text('method').notNull(),
  created: text('created').notNull(),
  updated: text('updated').notNull().default(''),
});

export const authTokens = pgTable('_authTokens', {
  hash: text('hash').primaryKey(),
  type: text('type').notNull(),
  collectionRef: text('collectionRef').notNull(),
  recordRef: text('recordRef').notNull(),
  expires: text('expires').notNull(),
  created: text('created').notNull(),
});

export const migrations = pgTable('_migrations', {
  version: int('version').primaryKey(),
  name: text('name').notNull(),
  applied: text('applied').notNull(),
});

export const cronRuns = pgTable(
  '_cronRuns',
  {
    name: text('name').notNull(),
    slot: int('slot').notNull(),
    owner: text('owner').notNull(),
    claimed: int('claimed').notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.slot] })],
);

export const rateLimits = pgTable(
  '_rateLimits',
  {
    id: text('id').primaryKey(),
    tokens: doublePrecision('tokens').notNull(),
    updated: int('updated').notNull(),
  },
  (t) => [index('_rateLimits_updated_idx').on(t.updated)],
);

/** One row (id 1): bumped in the transaction of each collection change; its update NOTIFYs `schema`. */
export const schemaVersion = pgTable('_schemaVersion', {
  id: int('id').primaryKey(),
  version: int('version').notNull(),
});
