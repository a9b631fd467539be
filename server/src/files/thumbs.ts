/**
 * Thumbnails in PocketBase's size forms, made with sharp on first request and stored next to
 * the original (`thumbs_{name}/{size}_{name}`). Concurrent first requests for one thumb share a
 * single generation; at most MAX_THUMB_WORKERS run at once.
 *   WxH crop to fill from the center · WxHt from the top · WxHb from the bottom
 *   WxHf fit inside without cropping · 0xH / Wx0 resize keeping the aspect ratio
 */
import { availableParallelism } from 'node:os';
import type { Sharp, SharpOptions } from 'sharp';
import type { FileStorage } from './storage.ts';

export const THUMB_SIZE = /^(\d{1,4})x(\d{1,4})([tbf])?$/;
/** Served to every image field, listed or not (PocketBase's default). */
export const DEFAULT_THUMBS = ['100x100'];
/** Thumbs are made for these stored types only; anything else is served as the original. */
export const THUMB_SOURCE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
/** sharp runs on the libuv pool; more parallel jobs only queue there. */
export const MAX_THUMB_WORKERS = Math.max(1, availableParallelism());
/** Sources larger than this (in pixels) are not decoded: a small file can claim huge dimensions. */
export const MAX_THUMB_INPUT_PIXELS = 50_000_000;

export interface ThumbSpec {
  width: number;
  height: number;
  mode: 'center' | 'top' | 'bottom' | 'fit';
}

export function parseThumb(size: string): ThumbSpec | null {
  const m = THUMB_SIZE.exec(size);
  if (!m) return null;
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width === 0 && height === 0) return null;
  const mode = m[3] === 't' ? 'top' : m[3] === 'b' ? 'bottom' : m[3] === 'f' ? 'fit' : 'center';
  return { width, height, mode };
}

export const thumbKey = (originalKey: string, size: string): string => {
  const i = originalKey.lastIndexOf('/');
  const dir = originalKey.slice(0, i);
  const name = originalKey.slice(i + 1);
  return `${dir}/thumbs_${name}/${size}_${name}`;
};

/** The prefix holding every thumb of one original. */
export const thumbsPrefix = (originalKey: string): string => {
  const i = originalKey.lastIndexOf('/');
  return `${originalKey.slice(0, i)}/thumbs_${originalKey.slice(i + 1)}/`;
};

type SharpFactory = (input: Buffer, options: SharpOptions) => Sharp;
let sharpLoad: Promise<SharpFactory> | undefined;

/**
 * sharp is a native addon loaded on the first thumb, so a build that cannot load it (the single
 * executable carries only the SQLite addon) still serves every file: thumbs fall back to the original.
 */
function loadSharp(): Promise<SharpFactory> {
  sharpLoad ??= import('sharp').then((m) => m.default as unknown as SharpFactory);
  return sharpLoad;
}

export async function renderThumb(input: Buffer, spec: ThumbSpec): Promise<Buffer> {
  const sharp = await loadSharp();
  const img = sharp(input, { limitInputPixels: MAX_THUMB_INPUT_PIXELS, animated: false }).rotate();
  const { width, height, mode } = spec;
  if (width === 0 || height === 0) {
    img.resize({ width: width || undefined, height: height || undefined });
  } else if (mode === 'fit') {
    img.resize({ width, height, fit: 'inside', withoutEnlargement: true });
  } else {
    img.resize({ width, height, fit: 'cover', position: mode === 'center' ? 'centre' : mode });
  }
  return img.toBuffer();
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export interface Thumbnailer {
  /** The thumb's key, generated and stored if missing; null when it cannot be made (serve the original). */
  ensure(originalKey: string, size: string, contentType: string): Promise<string | null>;
  /** How many thumbs this process rendered (concurrent first requests count once). */
  readonly stats: { generated: number };
}

export function createThumbnailer(storage: () => FileStorage, onError: (err: unknown) => void): Thumbnailer {
  const pending = new Map<string, Promise<string | null>>();
  const stats = { generated: 0 };
  let running = 0;
  const waiting: Array<() => void> = [];
  const acquire = async (): Promise<void> => {
    if (running < MAX_THUMB_WORKERS) {
      running++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  async function generate(originalKey: string, key: string, spec: ThumbSpec, contentType: string): Promise<string | null> {
    const store = storage();
    if (await store.head(key)) return key;
    await acquire();
    try {
      const source = await store.read(originalKey);
      if (!source) return null;
      const out = await renderThumb(await readAll(source), spec);
      await store.putBuffer(key, out, contentType);
      stats.generated++;
      return key;
    } catch (err) {
      onError(err);
      return null;
    } finally {
      release();
    }
  }

  return {
    stats,
    ensure(originalKey, size, contentType) {
      const spec = parseThumb(size);
      if (!spec || !THUMB_SOURCE_TYPES.includes(contentType)) return Promise.resolve(null);
      const key = thumbKey(originalKey, size);
      let job = pending.get(key);
      if (!job) {
        job = generate(originalKey, key, spec, contentType).finally(() => pending.delete(key));
        pending.set(key, job);
      }
      return job;
    },
  };
}
