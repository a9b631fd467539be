/** Timestamps in PocketBase's format: UTC, `2006-01-02 15:04:05.000Z`. */

export function formatDate(d: Date): string {
  return d.toISOString().replace('T', ' ');
}

let lastMs = -1;
let lastText = '';

/** The current time, formatted; the string is reused within one millisecond (busy paths call this per request). */
export function now(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastText = formatDate(new Date(ms));
  }
  return lastText;
}

/** Accepts ISO-8601 or the PocketBase format; returns the normalised string or null. */
export function parseDate(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed.replace(' ', 'T');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return formatDate(d);
}
