/**
 * GET /api/openapi.json: a valid OpenAPI 3.1 document (checked by @seriousme/openapi-schema-validator)
 * of the live collections and declared custom routes; a client generated from it
 * (openapi-typescript types + openapi-fetch) type-checks against them and calls a record endpoint.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Validator } from '@seriousme/openapi-schema-validator';
import openapiTS, { astToString } from 'openapi-typescript';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '../..');
let t: TestServer;
let hooksDir: string;

const HOOKS = `export default (hearth: any) => {
  hearth.routerAdd('GET', '/api/hello/{name}', (e: any) => ({ message: 'Hello ' + e.params.name }), {
    openapi: { operationId: 'hello', parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': { description: 'A greeting', content: { 'application/json': { schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] } } } } } },
  });
  hearth.routerAdd('GET', '/api/undocumented', () => ({}));
};\n`;

beforeAll(async () => {
  hooksDir = mkdtempSync(join(tmpdir(), 'hearth-openapi-hooks-'));
  writeFileSync(join(hooksDir, 'routes.ts'), HOOKS);
  t = await startServer({ hooksDir });
  const tags = await t.api('POST', '/api/collections', { name: 'tags', fields: [{ name: 'label', type: 'text' }], listRule: '' }, t.adminToken);
  const posts = await t.api(
    'POST',
    '/api/collections',
    {
      name: 'posts',
      fields: [
        { name: 'title', type: 'text', required: true },
        { name: 'views', type: 'number', onlyInt: true },
        { name: 'draft', type: 'bool' },
        { name: 'kind', type: 'select', values: ['news', 'blog'], maxSelect: 1 },
        { name: 'tags', type: 'relation', collectionId: tags.body.id, maxSelect: 5 },
        { name: 'secret', type: 'text', hidden: true },
        { name: 'meta', type: 'json' },
      ],
      listRule: '',
      viewRule: '',
      createRule: '',
    },
    t.adminToken,
  );
  expect(posts.status, JSON.stringify(posts.body)).toBe(200);
  await t.api('POST', '/api/collections', { name: 'internal', fields: [{ name: 'x', type: 'text' }] }, t.adminToken);
  await t.api('POST', '/api/collections/posts/records', { title: 'First', views: 3, kind: 'news' }, t.adminToken);
});

afterAll(async () => {
  await t?.close();
  rmSync(hooksDir, { recursive: true, force: true });
});

describe('GET /api/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    for (const token of [undefined, t.adminToken]) {
      const { status, body } = await t.api('GET', '/api/openapi.json', undefined, token);
      expect(status).toBe(200);
      expect(body.openapi).toBe('3.1.0');
      const result = await new Validator().validate(body);
      expect(result.errors ?? null).toBeNull();
      expect(result.valid).toBe(true);
    }
  });

  it('describes every record endpoint with the fields’ JSON schemas, auth, files, batch and declared routes', async () => {
    const { body } = await t.api('GET', '/api/openapi.json');
    const p = body.paths;
    expect(Object.keys(p['/api/collections/posts/records']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(p['/api/collections/posts/records/{id}']).sort()).toEqual(['delete', 'get', 'patch']);
    expect(p['/api/collections/users/auth-with-password'].post).toBeDefined();
    expect(p['/api/files/{collection}/{recordId}/{filename}'].get).toBeDefined();
    expect(p['/api/batch'].post).toBeDefined();
    expect(p['/api/hello/{name}'].get.operationId).toBe('hello');
    expect(p['/api/undocumented']).toBeUndefined();
    const record = body.components.schemas.postsRecord.properties;
    expect(record.views).toEqual({ type: 'integer' });
    expect(record.draft).toEqual({ type: 'boolean' });
    expect(record.kind).toEqual({ type: 'string', enum: ['news', 'blog', ''] });
    expect(record.tags).toMatchObject({ type: 'array', items: { type: 'string' }, maxItems: 5 });
    expect(record.secret).toBeUndefined();
    expect(body.components.schemas.postsCreate.required).toEqual(['title']);
    expect(body.components.schemas.usersRecord.properties.password).toBeUndefined();
  });

  it('shows superuser-only collections and hidden fields to superusers only', async () => {
    const anon = (await t.api('GET', '/api/openapi.json')).body;
    expect(anon.paths['/api/collections/internal/records']).toBeUndefined();
    expect(anon.paths['/api/collections/_superusers/records']).toBeUndefined();
    const admin = (await t.api('GET', '/api/openapi.json', undefined, t.adminToken)).body;
    expect(admin.paths['/api/collections/internal/records']).toBeDefined();
    expect(admin.components.schemas.postsRecord.properties.secret).toEqual({ type: 'string' });
  });
});

describe('a client generated from the document', () => {
  it('type-checks against the generated types and calls a record endpoint', { timeout: 120_000 }, async () => {
    const { body: doc } = await t.api('GET', '/api/openapi.json');
    const types = astToString(await openapiTS(doc));
    // Inside the repo (not node_modules: Node strips types only outside it) so the generated
    // project resolves openapi-fetch from the repo's node_modules.
    const dir = mkdtempSync(join(ROOT, '.openapi-client-'));
    try {
      writeFileSync(join(dir, 'api.d.ts'), types);
      writeFileSync(
        join(dir, 'client.ts'),
        `import createClient from 'openapi-fetch';
import type { paths } from './api.d.ts';
export async function titles(baseUrl: string): Promise<string[]> {
  const client = createClient<paths>({ baseUrl });
  const { data, error } = await client.GET('/api/collections/posts/records', { params: { query: { perPage: 5, sort: 'title' } } });
  if (error) throw new Error(error.message);
  const views: number | undefined = data.items[0]?.views;
  void views;
  // @ts-expect-error 'nope' is not a field of posts
  void data.items[0]?.nope;
  return data.items.map((p) => p.title);
}\n`,
      );
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, allowImportingTsExtensions: true, lib: ['es2022', 'dom'], types: [] }, files: ['client.ts'] }),
      );
      const tsc = await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir]).catch((e: { stdout: string }) => e);
      expect(tsc.stdout).toBe('');
      // The generated client at run time (Node strips the types), against the running server.
      writeFileSync(join(dir, 'run.ts'), "import { titles } from './client.ts';\nconsole.log(JSON.stringify(await titles(process.argv[2]!)));\n");
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      const out = await promisify(execFile)(process.execPath, [join(dir, 'run.ts'), t.url], { cwd: dir });
      expect(JSON.parse(out.stdout)).toEqual(['First']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
