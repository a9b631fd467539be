/**
 * PocketBase's `apis/extensions_test.go` scenarios: the dashboard extensions at
 * `/_/extensions.js` (every extension's `main.js`, joined) and `/_/extensions/{name}/{path}`.
 * PocketBase's extensions are registered in Go; Hearth's are the folders of
 * `<data dir>/hearth_extensions/`. "Disabled UI" (PocketBase built without its UI) is a server
 * whose dashboard is not built.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../harness.ts';
import { runScenarios, target, type ScenarioTarget } from './scenario.ts';

const LIGHT_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };
const temp: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-ext-'));
  temp.push(dir);
  return dir;
};

/** PocketBase's createTestExtensions(): ext1 (main.js, test.txt), ext2 (test.txt), "ext3 with spaces" (both). */
function writeExtensions(dir: string): void {
  const files: Record<string, Record<string, string>> = {
    ext1: { 'main.js': 'ext1_main', 'test.txt': 'ext1_txt' },
    ext2: { 'test.txt': 'ext2_txt' },
    'ext3 with spaces': { 'main.js': 'ext3_main', 'test.txt': 'ext3_txt' },
  };
  for (const [name, entries] of Object.entries(files)) {
    mkdirSync(join(dir, name), { recursive: true });
    for (const [file, text] of Object.entries(entries)) writeFileSync(join(dir, name, file), text);
  }
}

let built: string;
let noUi: TestServer;
let plain: TestServer;
let withExt: TestServer;

beforeAll(async () => {
  built = tempDir();
  writeFileSync(join(built, 'index.html'), '<!doctype html><title>dashboard</title>');
  [noUi, plain, withExt] = await Promise.all([
    startServer({ passwordParams: LIGHT_SCRYPT, dashboardDir: tempDir() }),
    startServer({ passwordParams: LIGHT_SCRYPT, dashboardDir: built }),
    startServer({ passwordParams: LIGHT_SCRYPT, dashboardDir: built }),
  ]);
  writeExtensions(join(withExt.dir, 'hearth_extensions'));
  writeFileSync(join(withExt.dir, 'secret.txt'), 'outside');
});
afterAll(async () => {
  await Promise.all([noUi, plain, withExt].map((s) => s?.close()));
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

const on = (s: () => TestServer) => (): ScenarioTarget => target(s().url, {});
const javascript = async (res: { headers: Headers }) => expect(res.headers.get('content-type')).toBe('text/javascript');

describe('GET /_/extensions.js (TestUIExtensions_Mainjs)', () => {
  runScenarios([{ name: 'disabled UI', method: 'GET', url: '/_/extensions.js', status: 404, expect: ['"data":{}'] }], on(() => noUi));
  runScenarios([{ name: 'no extensions', method: 'GET', url: '/_/extensions.js', status: 200, after: javascript }], on(() => plain));
  runScenarios(
    [
      {
        name: 'with extensions',
        method: 'GET',
        url: '/_/extensions.js',
        status: 200,
        expect: ['await (async function(){ext1_main})();await (async function(){ext3_main})();'],
        after: javascript,
      },
    ],
    on(() => withExt),
  );
});

describe('GET /_/extensions/{name}/{path} (TestUIExtensions_Files)', () => {
  runScenarios([{ name: 'no extensions', method: 'GET', url: '/_/extensions/ext1/test.txt', status: 404, expect: ['"data":{}'] }], on(() => plain));
  runScenarios(
    [
      { name: 'with missing extension file', method: 'GET', url: '/_/extensions/ext1/missing', status: 404, expect: ['"data":{}'] },
      { name: 'with existing extension file (ext1)', method: 'GET', url: '/_/extensions/ext1/test.txt', status: 200, expect: ['ext1_txt'] },
      { name: 'with existing extension file (extension name escape)', method: 'GET', url: '/_/extensions/ext3%20with%20spaces/test.txt', status: 200, expect: ['ext3_txt'] },
    ],
    on(() => withExt),
  );
});

describe('dashboard extensions: Hearth specifics', () => {
  it('serves nothing outside an extension folder', async () => {
    for (const path of ['/_/extensions/ext1/..%2f..%2fsecret.txt', '/_/extensions/..%2f/secret.txt', '/_/extensions/ext1', '/_/extensions/ext1/', '/_/extensions/%ff/x']) {
      const res = await fetch(withExt.url + path);
      const text = await res.text();
      expect(text, path).not.toContain('outside');
      expect(res.status, path).toBe(404);
    }
  });

  it('reads extensions on every request: an edit shows without a restart', async () => {
    const main = join(withExt.dir, 'hearth_extensions', 'ext2', 'main.js');
    writeFileSync(main, 'ext2_main');
    try {
      const res = await fetch(withExt.url + '/_/extensions.js');
      expect(await res.text()).toBe('await (async function(){ext1_main})();await (async function(){ext2_main})();await (async function(){ext3_main})();');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    } finally {
      rmSync(main);
    }
  });

  it('a dangling symlink in the extensions folder hides no extension', async () => {
    const link = join(withExt.dir, 'hearth_extensions', 'broken');
    symlinkSync(join(withExt.dir, 'nowhere'), link);
    try {
      const res = await fetch(withExt.url + '/_/extensions.js');
      expect(await res.text()).toBe('await (async function(){ext1_main})();await (async function(){ext3_main})();');
    } finally {
      rmSync(link);
    }
  });

  it('serves extension files under the dashboard security headers', async () => {
    const res = await fetch(withExt.url + '/_/extensions/ext1/test.txt');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
