/** `hearth gen openapi --dir`: writes a valid OpenAPI 3.1 document of the data dir's collections. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { expect, it } from 'vitest';
import { openDataDir } from '@hearth/server';

const ROOT = resolve(import.meta.dirname, '../..');

it('writes a valid document with the record endpoints of every collection', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-gen-openapi-'));
  try {
    const data = openDataDir(dir);
    await data.collections.create({ name: 'notes', fields: [{ name: 'body', type: 'text', required: true }] } as never);
    await data.engine.close();
    const out = join(dir, 'openapi.json');
    execFileSync(process.execPath, [join(ROOT, 'cli/bin/hearth.js'), 'gen', 'openapi', '--dir', dir, '--out', out], { cwd: ROOT });
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect((await new Validator().validate(doc)).valid).toBe(true);
    expect(doc.paths['/api/collections/notes/records'].post.requestBody).toBeDefined();
    expect(doc.components.schemas.notesCreate.required).toEqual(['body']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
