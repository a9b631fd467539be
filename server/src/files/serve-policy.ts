/**
 * How a stored type is served from our origin. Only passive media and PDF are shown inline;
 * anything a browser could run as a page of this origin (HTML, XML, SVG) goes out as an
 * attachment, HTML even as plain text, always with `nosniff` and a sandboxing CSP.
 */

/** PocketBase's inline list. */
export const INLINE_TYPES = new Set([
  'image/png', 'image/jpg', 'image/jpeg', 'image/gif', 'image/webp', 'image/x-icon', 'image/bmp',
  'video/webm', 'video/mp4', 'video/3gpp', 'video/quicktime', 'video/x-ms-wmv',
  'audio/basic', 'audio/aiff', 'audio/mpeg', 'audio/midi', 'audio/mp3', 'audio/wave', 'audio/wav',
  'audio/x-wav', 'audio/x-mpeg', 'audio/x-m4a', 'audio/aac',
  'application/pdf', 'application/x-pdf',
]);

/** Types a browser would render as a document of our origin. */
const ACTIVE_TYPES = new Set(['text/html', 'application/xhtml+xml']);

export const FILE_CSP = "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox";

export interface ServeHeaders {
  contentType: string;
  disposition: 'inline' | 'attachment';
}

export function servePolicy(storedType: string, forceDownload: boolean): ServeHeaders {
  const type = storedType.split(';')[0]!.trim().toLowerCase();
  if (ACTIVE_TYPES.has(type)) return { contentType: 'text/plain; charset=utf-8', disposition: 'attachment' };
  const contentType = type.startsWith('text/') ? `${type}; charset=utf-8` : type || 'application/octet-stream';
  return { contentType, disposition: !forceDownload && INLINE_TYPES.has(type) ? 'inline' : 'attachment' };
}
