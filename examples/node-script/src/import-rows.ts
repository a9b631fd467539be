/**
 * Writes records through the SDK in batches: each chunk is one `POST /api/batch`, a transaction,
 * so a bad row fails its whole chunk and nothing of it is written; earlier chunks stay.
 * Rows that carry an `id` are upserted, so re-running an import with ids does not duplicate.
 */
import type { HearthClient } from '@hearth/sdk';
import type { RowBody } from './to-record.ts';

/** The server's batch limit (MAX_BATCH_REQUESTS); smaller chunks mean more round trips. */
export const DEFAULT_CHUNK = 50;

export interface ImportProgress {
  /** Rows written so far. */
  rows: number;
}

export class ImportError extends Error {
  override name = 'ImportError';
  /** Rows written before the failing chunk. */
  readonly written: number;

  constructor(message: string, written: number, cause: unknown) {
    super(message, { cause });
    this.written = written;
  }
}

async function writeChunk(hearth: HearthClient, collection: string, chunk: RowBody[]): Promise<void> {
  const batch = hearth.batch();
  const target = batch.collection(collection);
  for (const body of chunk) {
    if (typeof body.id === 'string') target.upsert(body as RowBody & { id: string });
    else target.create(body);
  }
  await batch.send();
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const data = (err as { data?: unknown }).data;
  return data && typeof data === 'object' && Object.keys(data).length ? `${err.message} ${JSON.stringify(data)}` : err.message;
}

/** Imports every row; calls `onProgress` after each chunk. Resolves with the number of rows written. */
export async function importRows(
  hearth: HearthClient,
  collection: string,
  rows: AsyncIterable<RowBody>,
  options: { chunk?: number; onProgress?: (progress: ImportProgress) => void } = {},
): Promise<number> {
  const size = options.chunk ?? DEFAULT_CHUNK;
  let written = 0;
  let chunk: RowBody[] = [];
  const flush = async () => {
    try {
      await writeChunk(hearth, collection, chunk);
    } catch (err) {
      throw new ImportError(`Rows ${written + 1}–${written + chunk.length} were refused: ${describe(err)}`, written, err);
    }
    written += chunk.length;
    chunk = [];
    options.onProgress?.({ rows: written });
  };
  for await (const row of rows) {
    chunk.push(row);
    if (chunk.length >= size) await flush();
  }
  if (chunk.length > 0) await flush();
  return written;
}
