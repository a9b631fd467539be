/** Timestamps in PocketBase's format: UTC, `2006-01-02 15:04:05.000Z`. */

export function formatDate(d: Date): string {
  return d.toISOString().replace('T', ' ');
}

let lastMs = -1;
let lastText = '';
let lastSecond = -1;
/** `2006-01-02 15:04:05` of lastSecond. */
let secondText = '';

/**
 * The current time, formatted; the string is reused within one millisecond and its date-and-second
 * part within one second (busy paths call this per request, more often than once a millisecond).
 */
export function now(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    const second = Math.floor(ms / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      secondText = formatDate(new Date(second * 1000)).slice(0, 19);
    }
    const frac = ms - second * 1000;
    lastText = `${secondText}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}Z`;
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
