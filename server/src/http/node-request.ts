/**
 * Reading a Node `IncomingMessage` exactly as the app's adapter and Hono would read it — the
 * request URL (verbatim or normalised, as `@hono/node-server` builds it), headers as
 * `c.req.header()` returns them, `@request.headers`, and a declared-length body decoded as
 * `Request.text()` decodes it — for the fast lane (fast-lane.ts), which answers before the app.
 */
import type { IncomingMessage } from 'node:http';

/** The Host the adapter builds a URL from without normalising it (its own check). */
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;
/** A request target the adapter keeps verbatim (else it normalises it through `new URL`). */
const VERBATIM_TARGET = /^\/[!$&-;=?-\[\]_a-z~]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)/;
/** Headers Node keeps only once, which the adapter reads from the raw list, joined (`, `). */
const RAW_READ = new Set(['authorization', 'referer', 'user-agent', 'host', 'content-type', 'content-length']);
const FORBIDDEN_VALUE = /[\0\r\n]/;
const isHttpWhitespace = (code: number): boolean => code === 9 || code === 10 || code === 13 || code === 32;
/** `Request.text()`'s decoding: UTF-8, a leading BOM dropped, invalid bytes replaced. */
const utf8 = new TextDecoder();

function trimHttp(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isHttpWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/**
 * A request header as the app's `c.req.header()` reads it; null when a value holds a character
 * the adapter would refuse (then the app answers).
 */
export function readHeader(req: IncomingMessage, name: string): string | undefined | null {
  let value: string | undefined;
  if (RAW_READ.has(name)) {
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const rawName = raw[i]!;
      if (rawName.length !== name.length || rawName.toLowerCase() !== name) continue;
      const v = trimHttp(raw[i + 1]!);
      value = value === undefined ? v : `${value}, ${v}`;
    }
  } else {
    const v = req.headers[name];
    if (typeof v === 'string') value = trimHttp(v);
  }
  return value !== undefined && FORBIDDEN_VALUE.test(value) ? null : value;
}

/** Every header as the adapter materialises them (what `@request.headers` is built from). */
export function materialised(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (!raw[i]!.startsWith(':')) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/** The request's path and query as the app sees them (`c.req.path`, `c.req.url`'s `?…`). */
export interface RequestTarget {
  /** `http://host/path?query`, the URL Hono parses the query from. */
  url: string;
  path: string;
  /** `?…`, or ''. */
  search: string;
}

/**
 * `new URL(url).href` by URL text (null where it throws): clients repeat a few targets with
 * escapes (every SDK filter is percent-encoded), and parsing one showed in the list profile.
 * Bounded in entries and in the length of what it keeps; a full memo is dropped whole.
 */
const NORMALISED_MEMO_SIZE = 512;
const NORMALISED_MEMO_MAX_URL = 2048;
const normalised = new Map<string, string | null>();

function normalisedUrl(url: string): string | null {
  let href = normalised.get(url);
  if (href !== undefined) return href;
  try {
    href = new URL(url).href;
  } catch {
    href = null;
  }
  if (url.length > NORMALISED_MEMO_MAX_URL) return href;
  if (normalised.size >= NORMALISED_MEMO_SIZE) normalised.clear();
  normalised.set(url, href);
  return href;
}

/**
 * The URL the adapter builds for this request, or null where it would do more than build it
 * (an unusual Host, a backslash, a fragment, a target it rejects): the app answers those.
 */
export function requestTarget(req: IncomingMessage, host: string): RequestTarget | null {
  const target = req.url ?? '';
  if (!PLAIN_HOST.test(host) || target.charCodeAt(0) !== 47 || target.includes('#') || target.includes('\\')) return null;
  let url: string | null = `http://${host}${target}`;
  if (!VERBATIM_TARGET.test(target) || DOT_SEGMENT.test(target)) {
    url = normalisedUrl(url);
    if (url === null) return null;
  }
  const start = url.indexOf('/', 7);
  const q = url.indexOf('?', start);
  return q < 0 ? { url, path: url.slice(start), search: '' } : { url, path: url.slice(start, q), search: url.slice(q) };
}

/** The whole body of a request that declared its length (Node's parser holds it to that), as text. */
export function readDeclaredBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
    });
    req.on('end', () => resolve(utf8.decode(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))));
    req.on('error', reject);
  });
}
