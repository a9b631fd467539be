/** Reads a schema file: JSON, or a TypeScript/JavaScript module whose default export is `defineSchema({...})`. */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseSchemaDocument, toWire, type SchemaDocument } from '@hearth/server';
import { CliError } from './output.ts';
import { api, withDataDir, type Remote, type TargetOptions } from './target.ts';

export async function readSchemaFile(file: string): Promise<SchemaDocument> {
  const path = resolve(file);
  let value: unknown;
  if (['.ts', '.mts', '.js', '.mjs'].includes(extname(path))) {
    try {
      value = ((await import(pathToFileURL(path).href)) as { default?: unknown }).default;
    } catch (err) {
      throw new CliError(`Cannot load ${file}: ${(err as Error).message}`);
    }
  } else {
    try {
      value = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new CliError(`Cannot read ${file}: ${(err as Error).message}`);
    }
  }
  try {
    return parseSchemaDocument(value);
  } catch (err) {
    throw new CliError(`${file}: ${(err as Error).message}`);
  }
}

const VOLATILE = new Set(['created', 'updated']);
const strip = (c: Record<string, unknown>) => Object.fromEntries(Object.entries(c).filter(([k]) => !VOLATILE.has(k)));

/** The live schema document, from the data dir or a server. */
export async function liveSchema(o: TargetOptions, remote: Remote | null): Promise<SchemaDocument> {
  if (remote) {
    const res = await api<{ items: Record<string, unknown>[] }>(remote, 'GET', '/api/collections?perPage=1000');
    return { collections: res.items.map(strip) };
  }
  return withDataDir(o, (d) => ({ collections: d.collections.list().map((c) => strip(toWire(c))) }));
}
