/**
 * Content type from the bytes, never from the client: `file-type` for binary formats (magic
 * numbers), then a small text classifier for what it does not cover (SVG, HTML, plain text).
 */
import { open } from 'node:fs/promises';
import { fileTypeFromBuffer } from 'file-type';

/** Enough for every magic number file-type checks in a sample, and for the text sniffing below. */
export const SNIFF_BYTES = 4100;

export interface Sniffed {
  mime: string;
  /** Without the dot; '' when unknown. */
  ext: string;
}

/** UTF-8 text without NUL bytes (a truncated trailing character is fine). */
function isText(sample: Buffer): boolean {
  if (sample.includes(0)) return false;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(sample);
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  return bad <= 1;
}

export function sniffText(sample: Buffer): Sniffed | null {
  if (!isText(sample)) return null;
  const head = sample.toString('utf8').replace(/^\uFEFF/, '').trimStart().slice(0, 1024).toLowerCase();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype svg[^>]*>\s*)?<svg[\s>]/.test(head)) return { mime: 'image/svg+xml', ext: 'svg' };
  if (/^(<!doctype html|<html|<head|<body|<script|<iframe|<!--)/.test(head)) return { mime: 'text/html', ext: 'html' };
  if (head.startsWith('<?xml')) return { mime: 'text/xml', ext: 'xml' };
  if (head.startsWith('{') || head.startsWith('[')) {
    try {
      JSON.parse(sample.toString('utf8'));
      return { mime: 'application/json', ext: 'json' };
    } catch {
      // not (complete) JSON: plain text
    }
  }
  return { mime: 'text/plain', ext: 'txt' };
}

export async function sniffBuffer(sample: Buffer): Promise<Sniffed> {
  if (sample.length === 0) return { mime: 'application/octet-stream', ext: '' };
  const bin = await fileTypeFromBuffer(sample).catch(() => undefined);
  if (bin) return { mime: bin.mime, ext: bin.ext };
  return sniffText(sample) ?? { mime: 'application/octet-stream', ext: '' };
}

export async function sniffFile(path: string): Promise<Sniffed> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return await sniffBuffer(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}
