/**
 * Size limits of record writes, from the schema, as PocketBase: a create/update body may carry
 * RECORD_BODY_BASE (or the server's body limit, if larger) plus the collection's allowance (file
 * fields maxSize × maxSelect, json and editor fields their maxSize); one file part is kept up to
 * its field's maxSize. A batch may target any collection, so it gets the largest allowance and
 * the largest file size of all. Every other request keeps the server's body limit.
 */
import type { Context } from 'hono';
import type { CollectionRegistry } from '../collections/registry.ts';
import { findField, type Collection } from '../collections/model.ts';
import { fileMaxSize, RECORD_BODY_BASE, recordBodyAllowance } from '../records/index.ts';

const RECORD_PATH = /^\/api\/collections\/([^/]+)\/records(?:\/[^/]+)?\/?$/;
const PART_NAME = /^(?:requests\.\d+\.)?\+?([A-Za-z_][A-Za-z0-9_]*)[+-]?$/;

export interface UploadLimits {
  /** The body limit of this request. */
  bodyLimit(c: Context): number;
  /** The same, by the request's path. */
  bodyLimitFor(path: string): number;
  /** Bytes kept of a file part (`avatar`, `files+`, `requests.0.doc`) in a write to `collection` (null: batch). */
  partCap(collection: string | null, part: string): number;
}

export function createUploadLimits(registry: CollectionRegistry, base: number): UploadLimits {
  const all = (): Collection[] => registry.all().filter((c) => c.type !== 'view');
  const recordBase = Math.max(base, RECORD_BODY_BASE);
  const largestFile = (): number => Math.max(0, ...all().flatMap((c) => c.fields.filter((f) => f.type === 'file').map(fileMaxSize)));
  const limitFor = (path: string): number => {
    if (path === '/api/batch') return recordBase + Math.max(0, ...all().map(recordBodyAllowance));
    const m = RECORD_PATH.exec(path);
    if (!m) return base;
    let name: string;
    try {
      name = decodeURIComponent(m[1]!);
    } catch {
      return base;
    }
    const collection = registry.find(name);
    return collection ? recordBase + recordBodyAllowance(collection) : base;
  };
  return {
    bodyLimit: (c) => limitFor(c.req.path),
    bodyLimitFor: limitFor,
    partCap(collectionName, part) {
      if (collectionName === null) return largestFile();
      const collection = registry.find(collectionName);
      const fieldName = PART_NAME.exec(part)?.[1];
      const field = collection && fieldName ? findField(collection, fieldName) : undefined;
      return field?.type === 'file' ? fileMaxSize(field) : 0;
    },
  };
}
