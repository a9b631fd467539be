/** The CSV import against a real Hearth: every row arrives converted, in chunks; a bad chunk writes nothing. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type HearthClient } from '@hearth/sdk';
import { createServer, upsertSuperuser, type HearthServer } from '@hearth/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineBooks } from '../books-collection.ts';
import { importCsvFile } from '../src/import-csv-file.ts';
import { ImportError } from '../src/import-rows.ts';

const SAMPLE = fileURLToPath(new URL('../data/books.csv', import.meta.url));
const SAMPLE_ROWS = 40;

describe('CSV import', () => {
  let dir: string;
  let server: HearthServer;
  let admin: HearthClient;

  const count = async (collection: string) => (await admin.collection(collection).list({ perPage: 1 })).totalItems;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-import-'));
    server = createServer({ dir, http: '127.0.0.1:0', logLevel: 'silent' });
    await upsertSuperuser(server.db, server.registry, 'admin@example.com', 'correct horse battery');
    const { url } = await server.listen();
    admin = createClient(url);
    await admin.auth('_superusers').signIn('admin@example.com', 'correct horse battery');
    expect(await defineBooks(admin)).toBe('created');
    expect(await defineBooks(admin)).toBe('exists');
  });

  afterAll(async () => {
    admin?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the sample file in chunks, converting by field type', async () => {
    const progress: number[] = [];
    const total = await importCsvFile(admin, { file: SAMPLE, collection: 'books', chunk: 7, onProgress: (p) => progress.push(p.rows) });
    expect(total).toBe(SAMPLE_ROWS);
    expect(progress).toEqual([7, 14, 21, 28, 35, 40]);
    expect(await count('books')).toBe(SAMPLE_ROWS);

    const grass = await admin.collection('books').first('title = "Leaves of Grass"');
    expect(grass).toMatchObject({ author: 'Walt Whitman', year: 1855, pages: 95, in_print: true, genres: ['poetry'] });
    expect(grass.notes).toBe('First edition: 12 poems,\nno author name on the title page');
    const odyssey = await admin.collection('books').first('title = "The Odyssey"');
    expect(odyssey).toMatchObject({ year: 0, genres: ['poetry', 'classic'] });
    const gibbon = await admin.collection('books').first('author = "Edward Gibbon"');
    expect(gibbon.in_print).toBe(false);
  });

  it('stops at a refused chunk, keeping the chunks before it and nothing of it', async () => {
    const file = join(dir, 'bad.csv');
    const good = (i: number) => `Book ${i},Someone,2000`;
    writeFileSync(file, ['title,author,year', good(1), good(2), good(3), good(4), ',Nobody,2001', good(6)].join('\n'));
    await admin.send('/api/collections/books/truncate', { method: 'DELETE' });
    const failure = await importCsvFile(admin, { file, collection: 'books', chunk: 3 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ImportError);
    expect(failure).toMatchObject({ written: 3, message: expect.stringContaining('Rows 4–6') });
    expect(await count('books')).toBe(3);
  });

  it('upserts rows that carry an id, so running it again changes nothing', async () => {
    const file = join(dir, 'ids.csv');
    writeFileSync(file, 'id,title,author\nbook00000000001,One,A\nbook00000000002,Two,B\n');
    await admin.send('/api/collections/books/truncate', { method: 'DELETE' });
    await importCsvFile(admin, { file, collection: 'books' });
    await importCsvFile(admin, { file, collection: 'books' });
    expect(await count('books')).toBe(2);
  });

  it('refuses a column that is not a field before writing anything', async () => {
    const file = join(dir, 'unknown.csv');
    writeFileSync(file, 'title,isbn\nX,123\n');
    await expect(importCsvFile(admin, { file, collection: 'books' })).rejects.toThrow('Column "isbn" is not a field');
  });
});
