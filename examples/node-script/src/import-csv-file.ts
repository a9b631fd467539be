/**
 * A CSV file into a collection: reads the collection's fields (superuser), streams the file,
 * converts each row by field type and writes the rows in batches. The first row is the header.
 */
import { createReadStream, statSync } from 'node:fs';
import type { HearthClient } from '@hearth/sdk';
import { csvRows } from './csv.ts';
import { importRows, type ImportProgress } from './import-rows.ts';
import { rowConverter, type FieldInfo, type RowBody } from './to-record.ts';

export interface CsvImport {
  file: string;
  collection: string;
  chunk?: number;
  /** After each chunk, with the share of the file read so far (0–1). */
  onProgress?: (progress: ImportProgress & { fileRead: number }) => void;
}

export async function importCsvFile(hearth: HearthClient, job: CsvImport): Promise<number> {
  const { fields } = await hearth.send<{ fields: FieldInfo[] }>(`/api/collections/${encodeURIComponent(job.collection)}`);
  const size = statSync(job.file).size || 1;
  const stream = createReadStream(job.file, { encoding: 'utf8' });
  try {
    const rows = csvRows(stream);
    const header = await rows.next();
    if (header.done) return 0;
    const toBody = rowConverter(header.value, fields);
    async function* bodies(): AsyncGenerator<RowBody> {
      for await (const row of rows) yield toBody(row);
    }
    return await importRows(hearth, job.collection, bodies(), {
      chunk: job.chunk,
      onProgress: (p) => job.onProgress?.({ ...p, fileRead: Math.min(1, stream.bytesRead / size) }),
    });
  } finally {
    stream.destroy();
  }
}
