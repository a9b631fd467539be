/** Preflight response checks shared by the scenarios: status and the JSON shape's key fields. */

function parse(body: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const short = (body: string): string => (body.length > 300 ? `${body.slice(0, 300)}…` : body);

/** A record response: 200 and `{id, collectionName, …keys}`. */
export function expectRecord(status: number, body: string, keys: string[]): string | null {
  if (status !== 200) return `status ${status}: ${short(body)}`;
  const rec = parse(body);
  if (!rec || typeof rec.id !== 'string') return `not a record: ${short(body)}`;
  const missing = ['collectionId', 'collectionName', ...keys].filter((k) => !(k in rec));
  return missing.length ? `record lacks ${missing.join(', ')}: ${short(body)}` : null;
}

/** A list response with `perPage` items, each satisfying `item`. */
export function expectList(
  status: number,
  body: string,
  perPage: number,
  item: (rec: Record<string, unknown>) => string | null,
): string | null {
  if (status !== 200) return `status ${status}: ${short(body)}`;
  const list = parse(body);
  if (!list || !Array.isArray(list.items) || typeof list.totalItems !== 'number') return `not a list: ${short(body)}`;
  if (list.items.length !== perPage) return `expected ${perPage} items, got ${list.items.length}`;
  for (const rec of list.items as Record<string, unknown>[]) {
    const why = item(rec);
    if (why) return `${why}: ${short(JSON.stringify(rec))}`;
  }
  return null;
}

export function expectNoContent(status: number, body: string): string | null {
  return status === 204 ? null : `status ${status}: ${short(body)}`;
}
