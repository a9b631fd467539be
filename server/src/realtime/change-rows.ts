/**
 * Reading `_changes` rows into ChangeEntry values, the same on both engines: the SELECT (with
 * the "before" of an update taken from the record's preceding entry when the writer stored
 * none) and the JSON snapshots parsed back into rows.
 */
import type { ChangeEntry, Row } from './change-feed.ts';

export interface LogRow {
  seq: number;
  collectionId: string;
  recordId: string;
  action: ChangeEntry['action'];
  created: string;
  data: string | null;
  previous: string | null;
}

/** Entries after `?` (a seq), ascending, at most `?` of them. */
export const READ_SQL = `
  SELECT c."seq", c."collectionId", c."recordId", c."action", c."created", c."data",
    COALESCE(c."previous", CASE WHEN c."action" = 'update' THEN (
      SELECT p."data" FROM "_changes" p
      WHERE p."collectionId" = c."collectionId" AND p."recordId" = c."recordId" AND p."seq" < c."seq" AND p."action" != 'delete'
      ORDER BY p."seq" DESC LIMIT 1
    ) END) AS "previous"
  FROM "_changes" c WHERE c."seq" > ? ORDER BY c."seq" LIMIT ?`;

function parseRow(text: string | null): Row | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Row) : null;
  } catch {
    return null;
  }
}

export const toEntry = (r: LogRow): ChangeEntry => ({
  seq: r.seq,
  collectionId: r.collectionId,
  recordId: r.recordId,
  action: r.action,
  created: r.created,
  record: parseRow(r.data),
  previous: parseRow(r.previous),
});
