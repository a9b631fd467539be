/**
 * System tables, defined with drizzle. Collection tables are not here: they are created at
 * run time from collection definitions (collections/ owns their DDL).
 */
import { sqliteTable, text, integer, real, index, primaryKey } from 'drizzle-orm/sqlite-core';

/** Collection definitions; fields/indexes/options are JSON text. */
export const collections = sqliteTable('_collections', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  type: text('type').notNull(),
  system: integer('system', { mode: 'boolean' }).notNull().default(false),
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

/** Auth sessions: a token is valid only while its session row exists and is unexpired. */
export const sessions = sqliteTable(
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

/** Runtime settings as key → JSON value. */
export const params = sqliteTable('_params', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updated: text('updated').notNull(),
});

/**
 * The change log: one row per committed record change, written in the same transaction. Read by
 * seq only (no secondary index: each would be a page of every commit, see migration 7).
 */
export const changes = sqliteTable('_changes', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  collectionId: text('collectionId').notNull(),
  recordId: text('recordId').notNull(),
  action: text('action').notNull(),
  created: text('created').notNull(),
  /** JSON snapshot of the stored row (secrets stripped); for deletes, the removed row. */
  data: text('data'),
  /** JSON snapshot before an update (JSON `null` when it is unknown). */
  previous: text('previous'),
});

/** Links between auth records and OAuth2 provider accounts. */
export const externalAuths = sqliteTable('_externalAuths', {
  id: text('id').primaryKey(),
  collectionRef: text('collectionRef').notNull(),
  recordRef: text('recordRef').notNull(),
  provider: text('provider').notNull(),
  providerId: text('providerId').notNull(),
  created: text('created').notNull(),
  updated: text('updated').notNull(),
});

/** Email one-time passwords (hashed), for OTP sign-in and MFA. */
export const otps = sqliteTable('_otps', {
  id: text('id').primaryKey(),
  collectionRef: text('collectionRef').notNull(),
  recordRef: text('recordRef').notNull(),
  password: text('password').notNull(),
  sentTo: text('sentTo').notNull().default(''),
  created: text('created').notNull(),
  updated: text('updated').notNull().default(''),
});

/** A first factor passed, waiting for the second (PocketBase's `mfaId`). */
export const mfas = sqliteTable('_mfas', {
  id: text('id').primaryKey(),
  collectionRef: text('collectionRef').notNull(),
  recordRef: text('recordRef').notNull(),
  method: text('method').notNull(),
  created: text('created').notNull(),
  updated: text('updated').notNull().default(''),
});

/** Single-use email tokens (verification, password reset, email change), stored as hashes. */
export const authTokens = sqliteTable('_authTokens', {
  hash: text('hash').primaryKey(),
  type: text('type').notNull(),
  collectionRef: text('collectionRef').notNull(),
  recordRef: text('recordRef').notNull(),
  expires: text('expires').notNull(),
  created: text('created').notNull(),
});

export const migrations = sqliteTable('_migrations', {
  version: integer('version').primaryKey(),
  name: text('name').notNull(),
  applied: text('applied').notNull(),
});

/** One row per claimed cron tick: the process whose insert wins runs it (hooks/cron.ts). */
export const cronRuns = sqliteTable(
  '_cronRuns',
  {
    name: text('name').notNull(),
    slot: integer('slot').notNull(),
    owner: text('owner').notNull(),
    claimed: integer('claimed').notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.slot] })],
);

/** Token buckets shared by every worker on the database (http/rate-limit.ts). */
export const rateLimits = sqliteTable(
  '_rateLimits',
  {
    id: text('id').primaryKey(),
    tokens: real('tokens').notNull(),
    updated: integer('updated').notNull(),
  },
  (t) => [index('_rateLimits_updated_idx').on(t.updated)],
);
