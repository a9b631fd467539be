/**
 * The safe filter helper: ``filter`title = ${t} && views > ${n}` `` renders every interpolated
 * value as a filter literal, so user input can never change the expression's structure.
 *
 * @example
 *   client.collection('posts').list({ filter: filter`author = ${userId} && created > ${since}` });
 */

/** A value accepted inside `filter`…``. */
export type FilterValue = string | number | bigint | boolean | null | undefined | Date | readonly unknown[] | object;

/** `2024-01-02 03:04:05.678Z`: the server's date format (SPEC §2), compared as text. */
export function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TypeError('filter: invalid Date');
  return date.toISOString().replace('T', ' ');
}

/** A double-quoted filter string: `\` and `"` escaped (the only escapes the lexer knows). */
export function quoteString(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** Decimal notation only: the filter lexer has no exponent syntax (`1e21`, `1.5e-7`). */
function plainNumber(n: number): string {
  const text = String(Object.is(n, -0) ? 0 : n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, lead, rest = '', expText] = m;
  const digits = lead! + rest;
  const exp = Number(expText);
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  return sign + digits + '0'.repeat(Math.max(0, exp - rest.length));
}

/** One value as a filter literal. */
export function filterLiteral(value: FilterValue): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`filter: ${value} is not a finite number`);
    return plainNumber(value);
  }
  if (value instanceof Date) return quoteString(formatDate(value));
  return quoteString(JSON.stringify(value));
}

/** Tagged template: the literal parts are kept, every `${value}` becomes a safe literal. */
export function filter(strings: TemplateStringsArray, ...values: FilterValue[]): string {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += filterLiteral(v) + (strings[i + 1] ?? '');
  });
  return out;
}
