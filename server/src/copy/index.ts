/**
 * copy/ — moves a Hearth database between engines: `copySqliteToPostgres` copies every system
 * and collection table of a SQLite data dir into an empty PostgreSQL database and checks row
 * counts. Used by `hearth db copy`.
 */
export { copySqliteToPostgres, COPY_BATCH_ROWS, type CopyOptions, type CopyReport, type CopyTableCount } from './sqlite-to-postgres.ts';
