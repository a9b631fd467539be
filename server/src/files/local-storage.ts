/**
 * The local-filesystem driver: blobs under `{dataDir}/storage/`, each with a small
 * `{name}.attrs` JSON sidecar holding its content type (the bytes are sniffed once, at upload).
 */
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { isPrefix, keySegments, type BlobInfo, type ByteRange, type FileStorage } from './storage.ts';

const ATTRS = '.attrs';

export function createLocalStorage(root: string): FileStorage {
  const pathOf = (key: string): string => {
    const p = join(root, ...keySegments(key));
    if (p.endsWith(ATTRS)) throw new Error(`Invalid storage key "${key}".`);
    return p;
  };

  async function writeAttrs(path: string, contentType: string): Promise<void> {
    await writeFile(path + ATTRS, JSON.stringify({ contentType }));
  }

  /**
   * Write beside the target, then rename: readers never see a half-written blob. A folder emptied
   * (and removed) by a concurrent delete between mkdir and write is made again, once.
   */
  async function place(path: string, write: (tmp: string) => Promise<void>, contentType: string, retry = true): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await write(tmp);
      await writeAttrs(path, contentType);
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      if (retry && (err as { code?: string }).code === 'ENOENT') return place(path, write, contentType, false);
      throw err;
    }
  }

  return {
    put: (key, sourcePath, contentType) => place(pathOf(key), (tmp) => copyFile(sourcePath, tmp), contentType),
    putBuffer: (key, data, contentType) => place(pathOf(key), (tmp) => writeFile(tmp, data), contentType),

    async head(key): Promise<BlobInfo | null> {
      const path = pathOf(key);
      const st = await stat(path).catch(() => null);
      if (!st || !st.isFile()) return null;
      let contentType = 'application/octet-stream';
      try {
        const attrs = JSON.parse(await readFile(path + ATTRS, 'utf8')) as { contentType?: unknown };
        if (typeof attrs.contentType === 'string') contentType = attrs.contentType;
      } catch {
        // no sidecar: served as opaque bytes
      }
      return { size: st.size, contentType, modified: st.mtime, etag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"` };
    },

    async read(key, range?: ByteRange): Promise<Readable | null> {
      const path = pathOf(key);
      const st = await stat(path).catch(() => null);
      if (!st || !st.isFile()) return null;
      return createReadStream(path, range ? { start: range.start, end: range.end } : {});
    },

    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true });
      await rm(path + ATTRS, { force: true });
      // The record's folder goes with its last file (rmdir refuses a folder that is not empty).
      await rmdir(dirname(path)).catch(() => {});
    },

    async deletePrefix(prefix) {
      if (!isPrefix(prefix)) throw new Error(`Invalid storage prefix "${prefix}".`);
      await rm(pathOf(prefix.slice(0, -1)), { recursive: true, force: true });
    },

    async list(prefix) {
      if (!isPrefix(prefix)) throw new Error(`Invalid storage prefix "${prefix}".`);
      const base = pathOf(prefix.slice(0, -1));
      const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch(() => []);
      return entries
        .filter((e) => e.isFile() && !e.name.endsWith(ATTRS) && !e.name.endsWith('.tmp'))
        .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
        .sort();
    },

    close() {},
  };
}
