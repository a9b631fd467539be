/**
 * admin/logs — the request log in its own SQLite file: batched writes, retention, and the
 * PocketBase-compatible queries behind /api/logs. Imports db/, query/, records/ (paging rules)
 * and shared/. Entry points: createLogStore, listLogs, viewLog, logsStats.
 */
export * from './log-store.ts';
export * from './log-query.ts';
