/**
 * `npm run bench:files [-- --mb 32 --rounds 5]`: file upload throughput and thumbnail generation,
 * each beside a raw baseline measured in the same run on the same machine.
 *   upload   a multipart record create with one --mb file (Hearth: streamed, sniffed, stored, row
 *            written) vs a plain node:http server piping the same request body to a file.
 *   thumb    the first `?thumb=` request of a photo-like 2400×1600 JPEG (Hearth: generate, store, serve) vs
 *            sharp resizing the same bytes in process; and the cached second request.
 * Medians of --rounds; prints one table. Temp dirs are removed at the end.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { createServer, upsertSuperuser } from '../server/src/index.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const MB = flag('mb', 32);
const ROUNDS = flag('rounds', 5);
const THUMB_SIZES = ['160x120', '320x240', '640x480', '100x0', '0x300', '200x200f', '240x180t'];
const work = mkdtempSync(join(tmpdir(), 'hearth-bench-files-'));
const log = (m: string) => process.stderr.write(`[bench:files] ${m}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function form(bytes: Buffer, fields: Record<string, string> = {}): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  f.append('doc', new Blob([new Uint8Array(bytes)]), 'upload.bin');
  return f;
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** node:http writing each request body to disk: the floor of any upload path. */
async function rawUploadServer(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  let n = 0;
  const server = createHttpServer((req, res) => {
    pipeline(req, createWriteStream(join(dir, `raw-${n++}.bin`))).then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise((ok) => server.close(() => ok())) };
}

async function main() {
  const before = loadavg()[0]!.toFixed(1);
  const dir = join(work, 'data');
  const server = createServer({ dir, http: '127.0.0.1:0', logLevel: 'silent' });
  await upsertSuperuser(server.db, server.registry, 'bench@example.com', 'bench password 123');
  const { url } = await server.listen();
  const auth = await fetch(`${url}/api/collections/_superusers/auth-with-password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identity: 'bench@example.com', password: 'bench password 123' }),
  }).then((r) => r.json() as Promise<{ token: string }>);
  const headers = { authorization: auth.token };
  const created = await fetch(`${url}/api/collections`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'uploads', fields: [{ name: 'title', type: 'text' }, { name: 'doc', type: 'file', maxSelect: 1, maxSize: (MB + 1) * 1024 * 1024, thumbs: THUMB_SIZES }] }),
  });
  if (created.status !== 200) throw new Error(`collection: ${await created.text()}`);

  const raw = await rawUploadServer(work);
  const payload = Buffer.alloc(MB * 1024 * 1024, 7);
  const upload = { hearth: [] as number[], raw: [] as number[] };
  log(`uploading ${MB} MB × ${ROUNDS} rounds (interleaved)`);
  for (let r = 0; r < ROUNDS; r++) {
    upload.raw.push(await timed(async () => void (await fetch(raw.url, { method: 'POST', body: form(payload) }).then((x) => x.arrayBuffer()))));
    upload.hearth.push(
      await timed(async () => {
        const res = await fetch(`${url}/api/collections/uploads/records`, { method: 'POST', headers, body: form(payload, { title: `r${r}` }) });
        if (res.status !== 200) throw new Error(`upload: ${res.status} ${await res.text()}`);
      }),
    );
  }
  await raw.close();

  // A photo-like JPEG: noise at 600×400 scaled up, so decoding has real work (a flat colour has none).
  const noise = await sharp(randomBytes(600 * 400 * 3), { raw: { width: 600, height: 400, channels: 3 } }).resize(2400, 1600).jpeg({ quality: 90 }).toBuffer();
  const image = noise;
  const thumbs = { first: [] as number[], cached: [] as number[], sharp: [] as number[] };
  log(`thumbs of a 2400×1600 JPEG (${(image.length / 1024).toFixed(0)} KB): ${THUMB_SIZES.length} sizes × ${ROUNDS} records`);
  for (let r = 0; r < ROUNDS; r++) {
    const res = await fetch(`${url}/api/collections/uploads/records`, { method: 'POST', headers, body: form(image) });
    const rec = (await res.json()) as { id: string; collectionId: string; doc: string };
    for (const size of THUMB_SIZES) {
      const fileUrl = `${url}/api/files/${rec.collectionId}/${rec.id}/${rec.doc}?thumb=${size}`;
      thumbs.first.push(await timed(async () => void (await fetch(fileUrl).then((x) => x.arrayBuffer()))));
      thumbs.cached.push(await timed(async () => void (await fetch(fileUrl).then((x) => x.arrayBuffer()))));
      const [w, h] = size.replace(/[tbf]$/, '').split('x').map(Number) as [number, number];
      thumbs.sharp.push(await timed(async () => void (await sharp(image).resize(w || null, h || null, { fit: size.endsWith('f') ? 'inside' : 'cover' }).toBuffer())));
    }
  }
  await server.close();
  const after = loadavg()[0]!.toFixed(1);

  const mbps = (ms: number) => (MB / (ms / 1000)).toFixed(0);
  const rows: Array<[string, string]> = [
    [`upload ${MB} MB, Hearth (multipart record create)`, `${mbps(median(upload.hearth))} MB/s (${median(upload.hearth).toFixed(0)} ms)`],
    [`upload ${MB} MB, raw node:http → file`, `${mbps(median(upload.raw))} MB/s (${median(upload.raw).toFixed(0)} ms)`],
    ['upload, Hearth / raw', (median(upload.raw) / median(upload.hearth)).toFixed(2)],
    ['thumb first request (generate + store + serve)', `${median(thumbs.first).toFixed(0)} ms`],
    ['thumb, sharp alone (same resize, in process)', `${median(thumbs.sharp).toFixed(0)} ms`],
    ['thumb, Hearth / sharp time', (median(thumbs.first) / median(thumbs.sharp)).toFixed(2)],
    ['thumb cached request', `${median(thumbs.cached).toFixed(1)} ms`],
    ['load average (1 min) before / after', `${before} / ${after}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n');
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`${String(err)}${(err as { cause?: unknown }).cause ? ` (${String((err as { cause?: unknown }).cause)})` : ""}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
