/**
 * Files join the access matrix: the world of auth-access-fixture.ts with two file fields on
 * `docs` — `cover` (public to whoever has its URL, as PocketBase) and `attachment` (protected,
 * thumbs `50x50`) — uploaded by the superuser on every doc. Each row is actor × path; a protected
 * file is served exactly to the actors the docs viewRule admits (CAN_VIEW), on every way of asking
 * (GET, HEAD, thumb, download), only through a file token in `?token=`; file names — the capability
 * of a public file — appear only in answers about docs the actor may see; uploads, `files-`,
 * batches and deletes under the write rules store or remove nothing they should not.
 */
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTORS, buildAccessWorld, CAN_LIST, CAN_VIEW, DELETE_ANSWERS, DOCS, UPDATE_ANSWERS, type AccessWorld, type Actor, type DocKey } from './auth-access-fixture.ts';
import { twoToneImage } from './files-fixture.ts';
import { startServer } from './harness.ts';
import { useStorage, type TestStorage } from './test-storage.ts';

type Path = 'protected get' | 'protected head' | 'protected thumb' | 'protected download' | 'auth header only' | 'auth token as ?token' | 'public file' | 'names in list' | 'names in expand' | 'upload create' | 'upload update' | 'files- remove' | 'batch upload' | 'delete';

interface Case {
  path: Path;
  actor: Actor;
  name: string;
  run: () => Promise<void>;
}

let w: AccessWorld;
let docsId = '';
let png: Buffer;
const files = {} as Record<DocKey, { cover: string; attachment: string }>;
const fileTokens = {} as Record<Actor, string>;
const DOCS_URL = '/api/collections/docs/records';

let storage: TestStorage;

/** The names of a doc's stored files (not its thumbs), on the disk on SQLite, on S3 on PostgreSQL. */
const blobsOf = async (recordId: string): Promise<string[]> => {
  const prefix = `${docsId}/${recordId}/`;
  return (await storage.blobs(prefix)).map((k) => k.slice(prefix.length)).filter((n) => !n.includes('/')).sort();
};

function multipart(fields: Record<string, string>, uploads: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [k, name] of Object.entries(uploads)) form.append(k, new Blob([new Uint8Array(png)]), name);
  return form;
}

async function send(method: string, url: string, actor: Actor | null, body?: FormData): Promise<{ status: number; text: string; bytes: Buffer }> {
  const token = actor ? w.tokens[actor] : undefined;
  const res = await fetch(w.t.url + url, { method, headers: token ? { authorization: token } : {}, body });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, text: bytes.toString('latin1'), bytes };
}

/** No name of a file of a doc outside `sees` in `text`. */
function assertNoNameLeak(text: string, sees: DocKey[]): void {
  for (const d of DOCS) {
    if (sees.includes(d)) continue;
    expect(text, `${d}'s cover name leaked`).not.toContain(files[d].cover);
    expect(text, `${d}'s attachment name leaked`).not.toContain(files[d].attachment);
  }
}

beforeAll(async () => {
  w = await buildAccessWorld(await startServer());
  storage = await useStorage(w.t); // on PostgreSQL: S3, as a node there stores its uploads
  png = await twoToneImage();
  const su = w.tokens.super!;
  const docs = await w.t.api('GET', '/api/collections/docs', undefined, su);
  docsId = docs.body.id;
  const patched = await w.t.api('PATCH', '/api/collections/docs', {
    fields: [
      ...docs.body.fields,
      { name: 'cover', type: 'file', maxSelect: 1, maxSize: 1_000_000 },
      { name: 'attachment', type: 'file', maxSelect: 1, maxSize: 1_000_000, protected: true, thumbs: ['50x50'] },
    ],
  }, su);
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  for (const d of DOCS) {
    const res = await fetch(`${w.t.url}${DOCS_URL}/${w.docs[d]}`, { method: 'PATCH', headers: { authorization: su }, body: multipart({}, { cover: `cover-${d}.png`, attachment: `attachment-${d}.png` }) });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    files[d] = { cover: body.cover, attachment: body.attachment };
  }
  for (const actor of ACTORS) {
    if (!w.tokens[actor]) continue;
    const res = await w.t.api('POST', '/api/files/token', undefined, w.tokens[actor]);
    expect(res.status).toBe(200);
    fileTokens[actor] = res.body.token;
  }
}, 120_000);
afterAll(async () => {
  await w.t.close();
  await storage?.close();
});

const fileUrl = (d: DocKey, name: string, query = '') => `/api/files/docs/${w.docs[d]}/${name}${query}`;
const tokenQuery = (actor: Actor) => (fileTokens[actor] ? `token=${fileTokens[actor]}` : '');

/** One row per actor × doc for a way of downloading the protected attachment. */
function protectedRows(path: Path, method: 'GET' | 'HEAD', extra: string, admitted: (actor: Actor, d: DocKey) => boolean, check?: (bytes: Buffer) => void): Case[] {
  return ACTORS.flatMap((actor) =>
    DOCS.map((d): Case => ({
      path,
      actor,
      name: d,
      run: async () => {
        const query = [tokenQuery(actor), extra].filter(Boolean).join('&');
        const res = await send(method, fileUrl(d, files[d].attachment, query ? `?${query}` : ''), null);
        const ok = admitted(actor, d);
        expect(res.status, res.text.slice(0, 200)).toBe(ok ? 200 : 404);
        if (method === 'HEAD') expect(res.bytes.length).toBe(0);
        else if (ok) check?.(res.bytes);
        else expect(res.text).toContain('"data":{}');
      },
    })),
  );
}

const canView = (actor: Actor, d: DocKey) => CAN_VIEW[actor].includes(d);
const pbAs = (actor: Actor): PocketBase => {
  const pb = new PocketBase(w.t.url);
  pb.autoCancellation(false);
  if (w.tokens[actor]) pb.authStore.save(w.tokens[actor]!, null);
  return pb;
};

const CASES: Case[] = [
  ...protectedRows('protected get', 'GET', '', canView, (bytes) => expect(bytes.equals(png)).toBe(true)),
  ...protectedRows('protected head', 'HEAD', '', canView),
  ...protectedRows('protected thumb', 'GET', 'thumb=50x50', canView, (bytes) => expect(bytes.length).toBeLessThan(png.length)),
  ...protectedRows('protected download', 'GET', 'download=1', canView, (bytes) => expect(bytes.equals(png)).toBe(true)),
  // the Authorization header is not a file token: nobody passes the docs viewRule without ?token=
  ...ACTORS.flatMap((actor) =>
    DOCS.map((d): Case => ({
      path: 'auth header only',
      actor,
      name: d,
      run: async () => expect((await send('GET', fileUrl(d, files[d].attachment), actor)).status).toBe(404),
    })),
  ),
  // an auth token in ?token= is refused (file tokens are signed apart)
  ...ACTORS.map((actor): Case => ({
    path: 'auth token as ?token',
    actor,
    name: 'own doc',
    run: async () => {
      const token = w.tokens[actor];
      const d = CAN_VIEW[actor][0] ?? 'dA';
      expect((await send('GET', fileUrl(d, files[d].attachment, token ? `?token=${token}` : ''), null)).status).toBe(404);
    },
  })),
  // an unprotected file is public to whoever has its URL (its random name), as in PocketBase
  ...ACTORS.map((actor): Case => ({
    path: 'public file',
    actor,
    name: 'every cover',
    run: async () => {
      for (const d of DOCS) expect((await send('GET', fileUrl(d, files[d].cover), actor)).status).toBe(200);
    },
  })),
  // ... so its name is only ever sent with a doc the actor may see
  ...ACTORS.map((actor): Case => ({
    path: 'names in list',
    actor,
    name: `list and each view`,
    run: async () => {
      const list = await send('GET', `${DOCS_URL}?perPage=100`, actor);
      expect(list.status).toBe(200);
      assertNoNameLeak(list.text, CAN_LIST[actor]);
      for (const d of CAN_LIST[actor]) expect(list.text).toContain(files[d].cover);
      for (const d of DOCS) assertNoNameLeak((await send('GET', `${DOCS_URL}/${w.docs[d]}`, actor)).text, CAN_VIEW[actor]);
    },
  })),
  ...ACTORS.map((actor): Case => ({
    path: 'names in expand',
    actor,
    name: 'public comments → docs',
    run: async () => {
      const res = await send('GET', '/api/collections/comments/records?expand=doc&perPage=100', actor);
      expect(res.status).toBe(200);
      assertNoNameLeak(res.text, CAN_VIEW[actor]);
    },
  })),
  // uploads follow the write rules; a refused write stores no blob
  ...(
    [
      ['anon', 'A', 400],
      ['A', 'A', 200],
      ['A', 'B', 400],
      ['B', 'B', 200],
      ['super', 'carl', 200],
    ] as const
  ).map(([actor, owner, status]): Case => ({
    path: 'upload create',
    actor,
    name: `owned by ${owner}`,
    run: async () => {
      const before = (await storage.recordDirs(docsId)).length;
      const res = await send('POST', DOCS_URL, actor, multipart({ title: `UP-${actor}-${owner}`, owner: w.users[owner] }, { attachment: 'a.png', cover: 'c.png' }));
      expect(res.status, res.text.slice(0, 200)).toBe(status);
      if (status === 200) expect(await blobsOf(JSON.parse(res.text).id)).toHaveLength(2);
      else {
        const after = await storage.recordDirs(docsId);
        expect(after.length, `left behind: ${JSON.stringify(await storage.blobs(`${docsId}/`))}`).toBe(before);
      }
    },
  })),
  ...UPDATE_ANSWERS.map(([actor, d, status]): Case => ({
    path: 'upload update',
    actor,
    name: `${d}: replace the attachment`,
    run: async () => {
      const before = await blobsOf(w.docs[d]);
      const res = await send('PATCH', `${DOCS_URL}/${w.docs[d]}`, actor, multipart({}, { attachment: 'new.png' }));
      expect(res.status, res.text.slice(0, 200)).toBe(status);
      if (status === 200) {
        files[d].attachment = JSON.parse(res.text).attachment;
        expect(await blobsOf(w.docs[d])).toEqual([files[d].attachment, files[d].cover].sort());
      } else expect(await blobsOf(w.docs[d])).toEqual(before);
    },
  })),
  ...(
    [
      ['anon', 404],
      ['B', 404],
      ['A', 200],
      ['super', 200],
    ] as const
  ).map(([actor, status]): Case => ({
    path: 'files- remove',
    actor,
    name: "a scratch doc of A's: cover-",
    run: async () => {
      const su = w.tokens.super!;
      const made = await fetch(`${w.t.url}${DOCS_URL}`, { method: 'POST', headers: { authorization: su }, body: multipart({ title: 'scratch', owner: w.users.A }, { cover: 'c.png' }) }).then((r) => r.json());
      const res = await w.t.api('PATCH', `${DOCS_URL}/${made.id}`, { 'cover-': [made.cover] }, w.tokens[actor]);
      expect(res.status).toBe(status);
      expect(await blobsOf(made.id)).toEqual(status === 200 ? [] : [made.cover]);
    },
  })),
  ...(
    [
      ['anon', 400],
      ['B', 400],
      ['A', 200],
      ['super', 200],
    ] as const
  ).map(([actor, status]): Case => ({
    path: 'batch upload',
    actor,
    name: 'a new doc of A + an upload to dA',
    run: async () => {
      const batch = pbAs(actor).createBatch();
      batch.collection('docs').create({ title: `BATCH-${actor}`, owner: w.users.A, cover: new Blob([new Uint8Array(png)]) });
      batch.collection('docs').update(w.docs.dA, { cover: new Blob([new Uint8Array(png)]) });
      const before = await blobsOf(w.docs.dA);
      const dirs = (await storage.recordDirs(docsId)).length;
      const result = await batch.send().then(
        (r) => ({ status: 200, body: r as any }),
        (e: { status: number }) => ({ status: e.status, body: null }),
      );
      expect(result.status).toBe(status);
      if (status === 200) {
        files.dA.cover = result.body[1].body.cover;
        expect(await blobsOf(w.docs.dA)).toEqual([files.dA.attachment, files.dA.cover].sort());
      } else {
        expect(await blobsOf(w.docs.dA)).toEqual(before);
        expect((await storage.recordDirs(docsId)).length).toBe(dirs);
      }
    },
  })),
  ...DELETE_ANSWERS.map(([actor, status]): Case => ({
    path: 'delete',
    actor,
    name: "a scratch doc of A's with files",
    run: async () => {
      const su = w.tokens.super!;
      const made = await fetch(`${w.t.url}${DOCS_URL}`, { method: 'POST', headers: { authorization: su }, body: multipart({ title: 'scratch', owner: w.users.A }, { cover: 'c.png', attachment: 'a.png' }) }).then((r) => r.json());
      const res = await send('DELETE', `${DOCS_URL}/${made.id}`, actor);
      expect(res.status).toBe(status);
      expect(await blobsOf(made.id)).toHaveLength(status === 204 ? 0 : 2);
    },
  })),
];

describe('files × actors × paths', () => {
  it('covers every path for every actor', () => {
    for (const p of new Set(CASES.map((c) => c.path))) expect(new Set(CASES.filter((c) => c.path === p).map((c) => c.actor)), p).toEqual(new Set(ACTORS));
  });
  it.each(CASES.map((c) => [`${c.path}: ${c.actor} — ${c.name}`, c] as const))('%s', async (_label, c) => {
    await c.run();
  });
});
