/**
 * System tables, defined with drizzle. Collection tables are not here: they are created at
 * run time from collection definitions (collections/ owns their DDL).
 */
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

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

/** The change log: one row per committed record change, written in the same transaction. */
export const changes = sqliteTable(
  '_changes',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    collectionId: text('collectionId').notNull(),
    recordId: text('recordId').notNull(),
    action: text('action').notNull(),
    created: text('created').notNull(),
  },
  (t) => [index('_changes_created_idx').on(t.created)],
);

export const migrations = sqliteTable('_migrations', {
  version: integer('version').primaryKey(),
  name: text('name').notNull(),
  applied: text('applied').notNull(),
});
