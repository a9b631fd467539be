/** `--dev`: a changed hooks file is reloaded while serving; a broken one keeps the previous hooks. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';

let t: TestServer;
let hooksDir: string;
const file = () => join(hooksDir, 'version.ts');
const source = (v: string) => `export default (hearth: { routerAdd: Function }) => { hearth.routerAdd('GET', '/api/version', () => ({ v: ${v} })); };\n`;

async function versionOnceItIs(expected: number): Promise<number> {
  let last = -1;
  for (let i = 0; i < 100; i++) {
    last = (await t.api('GET', '/api/version')).body?.v ?? -1;
    if (last === expected) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return last;
}

beforeAll(async () => {
  hooksDir = mkdtempSync(join(tmpdir(), 'hearth-reload-'));
  writeFileSync(file(), source('1'));
  t = await startServer({ hooksDir, dev: true });
});

afterAll(async () => {
  await t?.close();
  rmSync(hooksDir, { recursive: true, force: true });
});

it('serves the new version of a changed hooks file', async () => {
  expect((await t.api('GET', '/api/version')).body).toEqual({ v: 1 });
  writeFileSync(file(), source('2'));
  expect(await versionOnceItIs(2)).toBe(2);
});

it('keeps the previous hooks when the changed file fails to load', async () => {
  writeFileSync(join(hooksDir, 'broken.ts'), 'export default () => { throw new Error("boom"); };\n');
  writeFileSync(file(), source('3'));
  // The reload of both files fails as a whole, so version 2 stays in force.
  for (let i = 0; i < 100 && !t.server.hooks.reloadError; i++) await new Promise((r) => setTimeout(r, 50));
  expect(t.server.hooks.reloadError).toContain('boom');
  expect((await t.api('GET', '/api/version')).body).toEqual({ v: 2 });
  rmSync(join(hooksDir, 'broken.ts'));
  expect(await versionOnceItIs(3)).toBe(3);
});
