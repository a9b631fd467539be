/**
 * PocketBase's `apis/file_test.go` scenarios, replayed against Hearth on the auth fixture with
 * PocketBase's files recreated through the API: `users.avatar` (an image with the scenario
 * thumbs) on 4q1xlclmfloku33, `users.file` (a text file) on oap640cot4yru2s, a protected
 * `demo1.file_one` on al1h9ijdeojtsjy (image) and 84nmscqy84lsi1t (text), and the view `view1`
 * over demo1. Stored names carry a random suffix, so the URLs use the names Hearth gave; the
 * bytes PocketBase compares are checked as the uploaded bytes (originals) or by decoding the
 * thumb (dimensions and which half of the image it shows). Every download scenario also runs as
 * HEAD with an empty body, as in PocketBase.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueFileToken } from '../../src/auth/index.ts';
import { describeImage, twoToneImage } from '../files-fixture.ts';
import { useStorage, type TestStorage } from '../test-storage.ts';
import { OTHER_LOOPBACK, otherLoopbackUsable, requestFrom } from '../from-address.ts';
import { IDS, startAuthFixture, type AuthFixture } from './auth-fixture.ts';

const THUMBS = ['70x50', '70x50t', '70x50b', '70x50f', '0x50', '70x0'];
const USER = '4q1xlclmfloku33';
const USER2 = 'oap640cot4yru2s';
const DEMO_IMAGE = 'al1h9ijdeojtsjy';
const DEMO_TEXT = '84nmscqy84lsi1t';

let fx: AuthFixture;
let storage: TestStorage | undefined;
let png: Buffer;
const names = { avatar: '', text: '', demoImage: '', demoText: '' };
const TEXT = 'test';

async function must(res: Promise<{ status: number; body: any }>): Promise<any> {
  const r = await res;
  if (r.status !== 200) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Multipart create/update as the fixture's superuser. */
async function upload(method: 'POST' | 'PATCH', path: string, fields: Record<string, string>, files: Record<string, [Buffer | string, string]>): Promise<any> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [k, [bytes, name]] of Object.entries(files)) form.append(k, new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  const res = await fetch(fx.url + path, { method, headers: { authorization: fx.adminToken }, body: form });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return body;
}

beforeAll(async () => {
  fx = await startAuthFixture();
  storage = await useStorage(fx); // on PostgreSQL: S3, as a node there stores its uploads
  png = await twoToneImage();
  const su = fx.adminToken;
  const users = await must(fx.api('GET', '/api/collections/users', undefined, su));
  await fx.patchCollection('users', {
    fields: [
      ...users.fields,
      { name: 'avatar', type: 'file', maxSelect: 1, maxSize: 5_000_000, mimeTypes: ['image/png', 'image/jpeg'], thumbs: THUMBS },
      { name: 'file', type: 'file', maxSelect: 1, maxSize: 5_000_000 },
    ],
  });
  const demo1 = await must(fx.api('GET', '/api/collections/demo1', undefined, su));
  await fx.patchCollection('demo1', { fields: [...demo1.fields, { name: 'file_one', type: 'file', maxSelect: 1, maxSize: 5_000_000, protected: true }] });
  names.avatar = (await upload('PATCH', `/api/collections/users/records/${USER}`, {}, { avatar: [png, '300.png'] })).avatar;
  names.text = (await upload('PATCH', `/api/collections/users/records/${USER2}`, {}, { file: [TEXT, 'test.txt'] })).file;
  names.demoImage = (await upload('POST', '/api/collections/demo1/records', { id: DEMO_IMAGE, text: 'hidden' }, { file_one: [png, '300.png'] })).file_one;
  names.demoText = (await upload('POST', '/api/collections/demo1/records', { id: DEMO_TEXT, text: 'public' }, { file_one: [TEXT, 'test.txt'] })).file_one;
  await must(
    fx.api('POST', '/api/collections', {
      name: 'view1',
      type: 'view',
      viewQuery: 'SELECT id, text, file_one FROM demo1',
      listRule: '@request.auth.id != "" && text = "public"',
      viewRule: '@request.auth.id != "" && text = "public"',
    }, su),
  );
}, 120_000);
afterAll(async () => {
  await fx?.close();
  await storage?.close();
});

/** A file token from POST /api/files/token for `auth` (an auth token). */
async function fileToken(auth: string): Promise<string> {
  return (await must(fx.api('POST', '/api/files/token', undefined, auth))).token;
}

/** A file token of the fixture's superuser signed as if issued an hour ago (expired). */
async function expiredSuperuserToken(): Promise<string> {
  const collection = fx.server.registry.get('_superusers');
  const record = (await fx.server.engine.get<{ id: string; tokenKey: string }>(`SELECT "id", "tokenKey" FROM "_superusers" WHERE "email" = 'test@example.com'`))!;
  return issueFileToken(collection, record, Date.now() - 3_600_000)!;
}

async function setViewRule(rule: string | null): Promise<void> {
  await fx.patchCollection('demo1', { viewRule: rule });
}

interface Download {
  name: string;
  url: () => string | Promise<string>;
  status: number;
  /** The original bytes expected back (`'image'`, `'text'`), a decoded thumb, or PocketBase's JSON error. */
  body?: 'image' | 'text' | { width: number; height: number; top: string; bottom: string } | 'error';
  before?: () => Promise<void>;
  after?: () => Promise<void>;
}

const avatarUrl = (q = '') => `/api/files/${IDS.users}/${USER}/${names.avatar}${q}`;
const demoUrl = (id: string, name: () => string, q = '') => `/api/files/demo1/${id}/${name()}${q}`;
const thumb = (width: number, height: number, top: string, bottom: string) => ({ width, height, top, bottom });

const rateLimited = (label: string): Download => ({
  name: `RateLimit rule - ${label}`,
  url: () => avatarUrl(),
  // PocketBase blocks with maxRequests 0; Hearth's minimum is 1, so one request spends the budget.
  before: async () => {
    await must(fx.api('PATCH', '/api/settings', { rateLimits: { enabled: true, rules: [{ label: 'abc', maxRequests: 100, duration: 60 }, { label, maxRequests: 1, duration: 60 }] } }, fx.adminToken));
    await fetch(fx.url + avatarUrl());
  },
  after: async () => void (await must(fx.api('PATCH', '/api/settings', { rateLimits: { enabled: false } }, fx.adminToken))),
  status: 429,
  body: 'error',
});

const DOWNLOADS: Download[] = [
  { name: 'missing collection', url: () => `/api/files/missing/${USER}/${names.avatar}`, status: 404, body: 'error' },
  { name: 'missing record', url: () => `/api/files/${IDS.users}/missing/${names.avatar}`, status: 404, body: 'error' },
  { name: 'missing file', url: () => `/api/files/${IDS.users}/${USER}/missing.png`, status: 404, body: 'error' },
  { name: 'existing image', url: () => avatarUrl(), status: 200, body: 'image' },
  { name: 'existing image - missing thumb (should fallback to the original)', url: () => avatarUrl('?thumb=999x999'), status: 200, body: 'image' },
  // The fixture image is 200×300, red on top and blue below: each crop shows which part it kept.
  { name: 'existing image - existing thumb (crop center)', url: () => avatarUrl('?thumb=70x50'), status: 200, body: thumb(70, 50, 'red', 'blue') },
  { name: 'existing image - existing thumb (crop top)', url: () => avatarUrl('?thumb=70x50t'), status: 200, body: thumb(70, 50, 'red', 'red') },
  { name: 'existing image - existing thumb (crop bottom)', url: () => avatarUrl('?thumb=70x50b'), status: 200, body: thumb(70, 50, 'blue', 'blue') },
  { name: 'existing image - existing thumb (fit)', url: () => avatarUrl('?thumb=70x50f'), status: 200, body: thumb(33, 50, 'red', 'blue') },
  { name: 'existing image - existing thumb (zero width)', url: () => avatarUrl('?thumb=0x50'), status: 200, body: thumb(33, 50, 'red', 'blue') },
  { name: 'existing image - existing thumb (zero height)', url: () => avatarUrl('?thumb=70x0'), status: 200, body: thumb(70, 105, 'red', 'blue') },
  { name: 'existing non image file - thumb parameter should be ignored', url: () => `/api/files/${IDS.users}/${USER2}/${names.text}?thumb=100x100`, status: 200, body: 'text' },

  // protected file access checks
  { name: 'protected file - superuser with expired file token', url: async () => demoUrl(DEMO_IMAGE, () => names.demoImage, `?token=${await expiredSuperuserToken()}`), status: 404, body: 'error' },
  {
    name: 'protected file - superuser with valid file token',
    url: async () => demoUrl(DEMO_IMAGE, () => names.demoImage, `?token=${await fileToken(fx.adminToken)}`),
    status: 200,
    body: 'image',
  },
  { name: 'protected file - guest without view access', url: () => demoUrl(DEMO_IMAGE, () => names.demoImage), status: 404, body: 'error' },
  {
    name: 'protected file - guest with view access',
    url: () => demoUrl(DEMO_IMAGE, () => names.demoImage),
    before: () => setViewRule(''),
    after: () => setViewRule(null),
    status: 200,
    body: 'image',
  },
  {
    name: 'protected file - auth record without view access',
    url: async () => demoUrl(DEMO_IMAGE, () => names.demoImage, `?token=${await fileToken(fx.token('users', 'test@example.com'))}`),
    before: () => setViewRule('@request.auth.verified = true'),
    after: () => setViewRule(null),
    status: 404,
    body: 'error',
  },
  {
    name: 'protected file - auth record with view access',
    url: async () => demoUrl(DEMO_IMAGE, () => names.demoImage, `?token=${await fileToken(fx.token('users', 'test@example.com'))}`),
    before: () => setViewRule('@request.auth.verified = false'),
    after: () => setViewRule(null),
    status: 200,
    body: 'image',
  },
  {
    name: "protected file in view (view's View API rule failure)",
    url: async () => `/api/files/view1/${DEMO_IMAGE}/${names.demoImage}?token=${await fileToken(fx.token('users', 'test@example.com'))}`,
    status: 404,
    body: 'error',
  },
  {
    name: "protected file in view (view's View API rule success)",
    url: async () => `/api/files/view1/${DEMO_TEXT}/${names.demoText}?token=${await fileToken(fx.token('users', 'test@example.com'))}`,
    status: 200,
    body: 'text',
  },

  // rate limit checks
  rateLimited('users:file'),
  rateLimited('*:file'),
];


async function checkBody(d: Download, bytes: Buffer, method: string): Promise<void> {
  if (method === 'HEAD' || d.body === undefined) return expect(bytes.length).toBe(0);
  if (d.body === 'error') return expect(bytes.toString()).toContain('"data":{}');
  if (d.body === 'image') return expect(bytes.equals(png), 'the original image bytes').toBe(true);
  if (d.body === 'text') return expect(bytes.toString()).toBe(TEXT);
  expect(await describeImage(bytes)).toEqual(d.body);
}

describe('PocketBase file: POST /api/files/token', () => {
  it('unauthorized', async () => {
    const res = await fx.api('POST', '/api/files/token');
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).toContain('"data":{}');
  });
  for (const [who, auth] of [['regular user', () => fx.token('users', 'test@example.com')], ['superuser', () => fx.adminToken]] as const) {
    it(who, async () => {
      const res = await fx.api('POST', '/api/files/token', undefined, auth());
      expect(res.status).toBe(200);
      expect(res.body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    });
  }
  it.skip('hook token overwrite (not replayable: binds a Go hook in-process)', () => {});
});

describe('PocketBase file: GET/HEAD /api/files/{collection}/{recordId}/{filename}', () => {
  for (const d of DOWNLOADS) {
    for (const method of ['HEAD', 'GET']) {
      it(`${method === 'HEAD' ? '(HEAD) ' : ''}${d.name}`, async () => {
        await d.before?.();
        try {
          const url = await d.url();
          const res = await fetch(fx.url + url, { method });
          const bytes = Buffer.from(await res.arrayBuffer());
          expect(res.status, `${method} ${url} → ${bytes.toString().slice(0, 300)}`).toBe(d.status);
          await checkBody(d, bytes, method);
        } finally {
          await d.after?.();
        }
      });
    }
  }
  // PocketBase fakes the client address with a trusted-proxy header; here the download really
  // comes from 127.0.0.2 (outside the list) or 127.0.0.1 (in it).
  for (const [name, from, status] of [
    ['protected file - superuser with non-whitelisted IP', OTHER_LOOPBACK, 404],
    ['protected file - superuser with whitelisted IP', '127.0.0.1', 200],
  ] as const) {
    it.runIf(from === '127.0.0.1' || otherLoopbackUsable)(name, async () => {
      const url = demoUrl(DEMO_IMAGE, () => names.demoImage, `?token=${await fileToken(fx.adminToken)}`);
      await must(fx.api('PATCH', '/api/settings', { superuserIPs: ['127.0.0.1'] }, fx.adminToken));
      try {
        const res = await requestFrom(from, fx.url + url);
        expect(res.status, res.text.slice(0, 300)).toBe(status);
        if (status === 200) expect(res.text).toContain('PNG');
        else expect(res.text).toContain('"data":{}');
      } finally {
        await must(fx.api('PATCH', '/api/settings', { superuserIPs: [] }, fx.adminToken));
      }
    });
  }
});

describe('PocketBase file: concurrent thumbs generation', () => {
  it('concurrent first requests make each listed thumb once, and all of them', async () => {
    const demo1 = await must(fx.api('GET', '/api/collections/demo1', undefined, fx.adminToken));
    const fields = demo1.fields.map((f: any) => (f.name === 'file_one' ? { ...f, protected: false, thumbs: ['111x111', '111x222', '111x333'] } : f));
    await fx.patchCollection('demo1', { fields });
    const base = `/api/files/${IDS.demo1}/${DEMO_IMAGE}/${names.demoImage}`;
    const sizes = ['111x111', '111x111', '111x222', '111x333'];
    const answers = await Promise.all(sizes.map((s) => fetch(`${fx.url}${base}?thumb=${s}`).then(async (r) => ({ status: r.status, image: await describeImage(Buffer.from(await r.arrayBuffer())) }))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.map((a) => `${a.image.width}x${a.image.height}`)).toEqual(sizes);
    const dir = `${IDS.demo1}/${DEMO_IMAGE}/thumbs_${names.demoImage}/`;
    const stored = await storage!.blobs(dir);
    for (const s of new Set(sizes)) expect(stored, `thumb ${s}`).toContain(`${dir}${s}_${names.demoImage}`);
  });
});
