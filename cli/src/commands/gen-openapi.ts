/**
 * `hearth gen openapi`: writes the OpenAPI 3.1 document — from a running server's
 * GET /api/openapi.json (`--url`, with a superuser `--token` for the full document, custom routes
 * included) or built from the data dir's collections (`--dir`; custom routes need a running server).
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { buildOpenApi, openDataDir } from '@hearth/server';
import { describeError, resolveDir } from '../data-dir.ts';

interface Options {
  url?: string;
  token?: string;
  dir?: string;
  out: string;
}

async function loadDocument(o: Options): Promise<Record<string, unknown>> {
  if (o.url) {
    const token = o.token ?? process.env.HEARTH_TOKEN;
    const res = await fetch(`${o.url.replace(/\/+$/, '')}/api/openapi.json`, { headers: token ? { authorization: token } : {} });
    const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (!res.ok || !body) throw new Error(body ? describeError(body) : `Unexpected answer from ${o.url} (status ${res.status}).`);
    return body;
  }
  const { db, registry } = openDataDir(resolveDir(o.dir));
  try {
    return buildOpenApi({ collections: registry.all(), routes: [], superuser: true, version: '0.1.0' });
  } finally {
    db.close();
  }
}

export function addGenOpenApi(gen: Command): void {
  gen
    .command('openapi')
    .description('Write the OpenAPI 3.1 document of the live schema')
    .option('--url <url>', 'a running Hearth server, e.g. http://127.0.0.1:8090')
    .option('--token <token>', 'superuser token for --url (or env HEARTH_TOKEN)')
    .option('--dir <path>', 'data directory (used when --url is not given)')
    .option('--out <file>', 'output file, or - for stdout', 'openapi.json')
    .action(async (o: Options) => {
      const doc = await loadDocument(o);
      const text = JSON.stringify(doc, null, 2) + '\n';
      if (o.out === '-') {
        process.stdout.write(text);
        return;
      }
      writeFileSync(o.out, text);
      process.stdout.write(`Wrote the OpenAPI document (${Object.keys(doc.paths as object).length} paths) to ${o.out}\n`);
    });
}
