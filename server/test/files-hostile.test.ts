/**
 * Hostile uploads and downloads, on both storage drivers: path-traversal names, a PNG header on
 * an HTML body, SVG with script, HTML itself, a 100 MB upload to a 1 MB field (413 while memory
 * stays flat), traversal in download URLs. Every answer is a 4xx or a safe 200, never a 500.
 */
import { request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDrivers, MB, startFilesWorld, type FilesWorld } from './files-fixture.ts';

/** A multipart body built by hand, so names and bytes are exactly what an attacker sends. */
function rawMultipart(parts: Array<{ name: string; filename?: string; type?: string; data: string | Buffer }>) {
  const boundary = '----hearthBoundary' + Math.random().toString(16).slice(2);
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

/** A full collection, so what is measured after it is memory still held, not garbage not yet collected. */
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
/**
 * (Under the 24 MB bound below: a body held up to the 32 MiB record limit would not be.)
 * Bytes held by live objects: the JS heap and the Buffers outside it, after a full collection.
 * Two collections a short pause apart: Buffer memory is released by a background sweeper after a
 * collection, so one reading right after a single collection can still count dead Buffers.
 */
async function liveBytes(): Promise<number> {
  collect();
  await new Promise((r) => setTimeout(r, 50));
  collect();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * Streams `total` bytes of one file part to `path` (chunked, or with a Content-Length), stopping
 * as soon as the server answers. Resolves with the status and the peak growth of live memory seen meanwhile (server and client
 * share this process; RSS would also count collectable garbage, which is noise, not buffering).
 */
async function streamUpload(url: string, token: string, field: string, total: number, chunked: boolean): Promise<{ status: number; liveGrowth: number }> {
  const boundary = 'hearthBigUpload';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="owner"\r\n\r\n${field.split('|')[1]}\r\n--${boundary}\r\nContent-Disposition: form-data; name="${field.split('|')[0]}"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(256 * 1024, 7);
  const start = await liveBytes();
  let peak = start;
  let sampling: Promise<void> | null = null;
  const sampleOnce = (): Promise<void> => (sampling ??= liveBytes().then((v) => void (peak = Math.max(peak, v))).finally(() => (sampling = null)));
  // Every 200 ms is often enough to see a body held in memory (it would stay live for the time
  // the upload takes) and rare enough not to slow the upload.
  const sample = setInterval(() => void sampleOnce(), 200);
  const status = await new Promise<number>((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: token };
    if (!chunked) headers['content-length'] = head.length + total + tail.length;
    const req = request(url, { method: 'POST', headers });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      res.resume();
      res.on('end', () => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    let sent = 0;
    const pump = (): void => {
      if (answered) return;
      if (sent === 0) req.write(head);
      while (sent < total && !answered) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end(tail);
    };
    pump();
  });
  clearInterval(sample);
  await sampling;
  await sampleOnce();
  return { status, liveGrowth: peak - start };
}

describeDrivers('hostile files on %s storage', (driver) => {
  let w: FilesWorld;
  const url = () => `${w.t.url}/api/collections/albums/records`;
  const post = async (parts: Parameters<typeof rawMultipart>[0]) => {
    const { body, type } = rawMultipart([{ name: 'owner', data: w.users.alice }, ...parts]);
    const res = await fetch(url(), { method: 'POST', body, headers: { 'content-type': type, authorization: w.tokens.alice } });
    return { status: res.status, body: (await res.json()) as any };
  };
  const download = (rec: { id: string }, name: string) => fetch(`${w.t.url}/api/files/albums/${rec.id}/${name}`);

  beforeAll(async () => {
    w = await startFilesWorld(driver);
  });
  afterAll(() => w.close());

  it.each([
    ['../../etc/passwd', /^passwd_[A-Za-z0-9]{10}\.txt$/],
    ['..%2f..%2fetc%2fpasswd', /^2f_2fetc_2fpasswd_[A-Za-z0-9]{10}\.txt$/],
    ['..\\..\\windows\\win.ini', /^win_[A-Za-z0-9]{10}\.ini$/],
    ['.htaccess', /^htaccess_[A-Za-z0-9]{10}\.txt$/],
    ['...', /^[a-z0-9]{10}_[A-Za-z0-9]{10}\.txt$/],
  ])('stores the traversal name %j as a plain name inside the record', async (filename, expected) => {
    const res = await post([{ name: 'attachments', filename, data: 'root:x:0:0' }]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [name] = res.body.attachments as string[];
    expect(name).toMatch(expected);
    expect(await w.blobs()).toContain(`${w.albumsId}/${res.body.id}/${name}`);
    expect((await w.blobs()).every((k) => /^[A-Za-z0-9_]+\/[a-z0-9]+\/[^/]+(\/[^/]+)?$/.test(k))).toBe(true);
    expect(await download(res.body, name!).then((r) => r.text())).toBe('root:x:0:0');
  });

  it.each(['..%2f..%2fdata.db', '..%2fstorage', '%2e%2e%2f%2e%2e%2fdata.db', 'x%00.png'])('a download URL naming %s is a 404', async (name) => {
    const rec = (await post([{ name: 'attachments', filename: 'a.txt', data: 'a' }])).body;
    const res = await fetch(`${w.t.url}/api/files/albums/${rec.id}/${name}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: 404, data: {} });
  });

  it.each([
    // a real PNG signature and IHDR chunk: it is a (broken) PNG, served as one
    ['signature and IHDR', '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'image/png'],
    // the bare signature is not enough to be a PNG: served as the text it is
    ['bare signature', '89504e470d0a1a0a', 'text/plain; charset=utf-8'],
  ])('a PNG header (%s) on an HTML body is served as what it is, never as text/html', async (_name, header, type) => {
    const html = Buffer.concat([Buffer.from(header, 'hex'), Buffer.from('<html><script>alert(document.domain)</script></html>')]);
    const res = await post([{ name: 'attachments', filename: 'evil.html', type: 'text/html', data: html }]);
    expect(res.status).toBe(200);
    const served = await download(res.body, res.body.attachments[0]);
    expect(served.headers.get('content-type')).toBe(type);
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('an HTML upload is served as plain text, as an attachment, sandboxed', async () => {
    const res = await post([{ name: 'attachments', filename: 'page.png', type: 'image/png', data: '<!doctype html><script>alert(1)</script>' }]);
    const served = await download(res.body, res.body.attachments[0]);
    expect(served.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(served.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('an SVG with script is served as an attachment under a sandboxing CSP', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>';
    const res = await post([{ name: 'attachments', filename: 'logo.svg', type: 'image/svg+xml', data: svg }]);
    const served = await download(res.body, res.body.attachments[0]);
    expect(served.headers.get('content-type')).toBe('image/svg+xml');
    expect(served.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox");
    // an image field that allows only raster types refuses it outright
    const photo = await post([{ name: 'photo', filename: 'logo.png', type: 'image/png', data: svg }]);
    expect(photo.status).toBe(400);
    expect(photo.body.data.photo.code).toBe('validation_invalid_mime_type');
  });

  it('the client-declared type is ignored: sniffed from the bytes', async () => {
    const res = await post([{ name: 'attachments', filename: 'notes.exe', type: 'application/x-msdownload', data: 'just words' }]);
    const served = await download(res.body, res.body.attachments[0]);
    expect(served.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it.each([
    ['with a Content-Length', false],
    ['chunked, no length', true],
  ])('a 100 MB upload to a 1 MB field (%s) is a 413 and memory stays flat', async (_name, chunked) => {
    const before = await w.blobs();
    const { status, liveGrowth } = await streamUpload(url(), w.tokens.alice, `photo|${w.users.alice}`, 100 * MB, chunked);
    expect(status).toBe(413);
    expect(liveGrowth).toBeLessThan(24 * MB);
    expect(await w.blobs()).toEqual(before);
  });

  it('a 15 MB upload to a 1 MB field within the body limit is the field error, streamed not buffered', async () => {
    const { status, liveGrowth } = await streamUpload(url(), w.tokens.alice, `attachments|${w.users.alice}`, 15 * MB, true);
    expect(status).toBe(400);
    expect(liveGrowth).toBeLessThan(24 * MB);
  });

  it('malformed multipart is a 400', async () => {
    const res = await fetch(url(), { method: 'POST', body: '--x\r\nnonsense', headers: { 'content-type': 'multipart/form-data; boundary=x', authorization: w.tokens.alice } });
    expect(res.status).toBe(400);
    const noBoundary = await fetch(url(), { method: 'POST', body: 'a', headers: { 'content-type': 'multipart/form-data', authorization: w.tokens.alice } });
    expect(noBoundary.status).toBe(400);
  });

  it('files sent to a non-file field are refused, never stored', async () => {
    const before = await w.blobs();
    const res = await post([{ name: 'title', filename: 'a.txt', data: 'sneaky' }]);
    expect(res.status).toBe(400);
    expect(res.body.data.title.code).toBe('validation_invalid_value');
    expect(await w.blobs()).toEqual(before);
  });
});
