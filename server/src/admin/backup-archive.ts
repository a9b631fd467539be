/**
 * The backup archive: a `.zip` with `data.db` (an online SQLite snapshot) and the stored files
 * under `storage/`, the layout PocketBase uses for its data dir. Writing streams from disk;
 * extraction refuses entries that would land outside the target folder.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import yauzl from 'yauzl';
import { badRequest } from '../shared/errors.ts';

export const DB_ENTRY = 'data.db';
export const STORAGE_ENTRY = 'storage';

/** Every file under `root`, as paths relative to it (forward slashes). */
function walk(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile()) out.push(relative(root, full).split(sep).join('/'));
    }
  };
  if (existsSync(root)) visit(root);
  return out;
}

export interface ArchiveInput {
  /** The snapshot of the database. */
  dbFile: string;
  /** The storage folder to include (skipped when missing). */
  storageDir?: string;
  /** false stores entries uncompressed (faster for large databases). Default true. */
  compress?: boolean;
}

/** Writes the archive to `target`; resolves when the file is complete. */
export async function writeArchive(target: string, input: ArchiveInput): Promise<void> {
  const zip = new yazl.ZipFile();
  const compress = input.compress ?? true;
  zip.addFile(input.dbFile, DB_ENTRY, { compress });
  if (input.storageDir) {
    const files = walk(input.storageDir);
    // The folder is always there, as in a data dir, even before the first upload.
    if (files.length === 0) zip.addEmptyDirectory(STORAGE_ENTRY);
    for (const file of files) {
      const full = join(input.storageDir, file);
      // A file removed between listing and reading is skipped, not a failed backup.
      if (!existsSync(full)) continue;
      zip.addReadStream(createReadStream(full), `${STORAGE_ENTRY}/${file}`, { compress, mtime: statSync(full).mtime });
    }
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(target));
}

const invalidArchive = (why: string) => badRequest(`Invalid backup archive: ${why}`);

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((ok, fail) =>
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: true }, (err, zip) => (err ? fail(invalidArchive(err.message)) : ok(zip))),
  );
}

/** Extracts every entry under `target`; refuses paths escaping it. Returns the entry names. */
export async function extractArchive(archive: string, target: string): Promise<string[]> {
  const zip = await openZip(archive);
  const root = resolve(target);
  mkdirSync(root, { recursive: true });
  const names: string[] = [];
  await new Promise<void>((ok, fail) => {
    zip.on('error', (err: Error) => fail(invalidArchive(err.message)));
    zip.on('end', () => ok());
    zip.on('entry', (entry: yauzl.Entry) => {
      const dest = resolve(root, entry.fileName);
      if (dest !== root && !dest.startsWith(root + sep)) {
        zip.close();
        fail(invalidArchive(`entry "${entry.fileName}" points outside the archive.`));
        return;
      }
      names.push(entry.fileName);
      if (entry.fileName.endsWith('/')) {
        mkdirSync(dest, { recursive: true });
        zip.readEntry();
        return;
      }
      mkdirSync(dirname(dest), { recursive: true });
      zip.openReadStream(entry, (err, stream) => {
        if (err) return fail(invalidArchive(err.message));
        pipeline(stream, createWriteStream(dest)).then(
          () => zip.readEntry(),
          (e: Error) => fail(invalidArchive(e.message)),
        );
      });
    });
    zip.readEntry();
  });
  return names;
}
