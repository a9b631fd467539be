/**
 * `hearth gen types` against a real server with the SDK's fixture collections: the output from
 * `--url` and from `--dir` is identical and equals sdk/test/types/hearth-types.ts, the file the
 * SDK's type test compiles against (regenerate it with UPDATE_TYPES=1 npx vitest run cli/test/gen-types).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fieldType, genCommand, generateTypes, loadCollections } from '../src/commands/gen-types.ts';
import { createFixtureCollections, startHearth, type TestHearth } from '../../sdk/test/harness.ts';

const GOLDEN = resolve(import.meta.dirname, '../../sdk/test/types/hearth-types.ts');
let t: TestHearth;
let out: string;

beforeAll(async () => {
  t = await startHearth();
  await createFixtureCollections(t.admin);
  out = mkdtempSync(join(tmpdir(), 'hearth-gen-'));
});
afterAll(async () => {
  await t.close();
  rmSync(out, { recursive: true, force: true });
});

describe('hearth gen types', () => {
  it('maps every field type', () => {
    const cases: Array<[object, string]> = [
      [{ type: 'text' }, 'string'],
      [{ type: 'editor' }, 'string'],
      [{ type: 'email' }, 'string'],
      [{ type: 'url' }, 'string'],
      [{ type: 'date' }, 'string'],
      [{ type: 'autodate' }, 'string'],
      [{ type: 'number' }, 'number'],
      [{ type: 'bool' }, 'boolean'],
      [{ type: 'json' }, 'unknown'],
      [{ type: 'select', values: ['a', 'b"c'], maxSelect: 1 }, '"a" | "b\\"c"'],
      [{ type: 'select', values: ['a', 'b'], maxSelect: 2 }, 'Array<"a" | "b">'],
      [{ type: 'relation', maxSelect: 1 }, 'string'],
      [{ type: 'relation', maxSelect: 5 }, 'string[]'],
      [{ type: 'file', maxSelect: 1 }, 'FileName<"100x100">'],
      [{ type: 'file', maxSelect: 3, thumbs: ['70x50', '100x100', '0x50'] }, 'FileName<"100x100" | "70x50" | "0x50">[]'],
    ];
    for (const [field, ts] of cases) expect(fieldType({ name: 'f', ...field } as never)).toBe(ts);
  });

  it('reads the same schema from the server and from the data dir, equal to the golden file', async () => {
    const viaUrl = generateTypes(await loadCollections({ url: t.url, token: t.admin.token }));
    const viaDir = generateTypes(await loadCollections({ dir: t.dir }));
    expect(viaDir).toBe(viaUrl);
    if (process.env.UPDATE_TYPES === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, viaUrl);
    expect(viaUrl).toBe(readFileSync(GOLDEN, 'utf8'));
    expect(viaUrl).toContain('export type Schema = {');
    expect(viaUrl).toMatch(/status: "draft" \| "published";/);
    expect(viaUrl).toMatch(/labels: Array<"news" \| "tech" \| "fun">;/);
    expect(viaUrl).toMatch(/comments_via_post\?: CommentsRecord\[\];/);
    expect(viaUrl).not.toMatch(/password|tokenKey/);
    expect(viaUrl).toMatch(/cover: FileName<"100x100" \| "300x200">;/);
    expect(viaUrl).toContain('export type FileName<T extends string = string> = string & { readonly __hearthFile?: T };');
  });

  it('writes the file through the command, and fails with a message without a superuser token', async () => {
    const file = join(out, 'types.ts');
    await genCommand().parseAsync(['types', '--url', t.url, '--token', t.admin.token, '--out', file], { from: 'user' });
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(GOLDEN, 'utf8'));
    await expect(loadCollections({ url: t.url, token: 'nope' })).rejects.toThrow(/superuser|auth|allowed|401|403/i);
  });
});
