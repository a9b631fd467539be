/**
 * Imports a CSV file into a collection through the SDK, in batches, with a progress line.
 * Usage: HEARTH_ADMIN_EMAIL=… HEARTH_ADMIN_PASSWORD=… node import-csv.ts FILE --collection NAME [--chunk 50]
 */
import { parseArgs } from 'node:util';
import { createClient } from '@hearth/sdk';
import { importCsvFile } from './src/import-csv-file.ts';
import { DEFAULT_CHUNK, ImportError } from './src/import-rows.ts';
import { progressLine } from './src/progress.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: process.env.HEARTH_URL ?? 'http://127.0.0.1:8090' },
    email: { type: 'string', default: process.env.HEARTH_ADMIN_EMAIL },
    password: { type: 'string', default: process.env.HEARTH_ADMIN_PASSWORD },
    collection: { type: 'string' },
    chunk: { type: 'string', default: String(DEFAULT_CHUNK) },
  },
});

const file = positionals[0];
const chunk = Number(values.chunk);
if (!file || !values.collection || !values.email || !values.password || !(chunk >= 1 && chunk <= DEFAULT_CHUNK)) {
  console.error(`Usage: node import-csv.ts FILE --collection NAME [--chunk 1-${DEFAULT_CHUNK}] [--url URL]`);
  console.error('Credentials: HEARTH_ADMIN_EMAIL and HEARTH_ADMIN_PASSWORD (or --email, --password).');
  process.exit(2);
}

const hearth = createClient(values.url);
const line = progressLine();
const started = Date.now();
try {
  await hearth.auth('_superusers').signIn(values.email, values.password);
  const total = await importCsvFile(hearth, {
    file,
    collection: values.collection,
    chunk,
    onProgress: ({ rows, fileRead }) => {
      const perSecond = Math.round(rows / Math.max(0.001, (Date.now() - started) / 1000));
      line.update(`${values.collection}: ${rows} rows written · ${Math.round(fileRead * 100)}% of ${file} · ${perSecond} rows/s`);
    },
  });
  line.done(`Imported ${total} rows into ${values.collection} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} catch (err) {
  const kept = err instanceof ImportError ? ` (${err.written} rows before them were written)` : '';
  line.done(`Import stopped: ${err instanceof Error ? err.message : String(err)}${kept}`);
  process.exitCode = 1;
} finally {
  hearth.close();
}
