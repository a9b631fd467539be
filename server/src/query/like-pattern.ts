/**
 * `~` / `!~` pattern building, matching PocketBase: a value without an unescaped `%` means
 * "contains" — it is wrapped in `%…%` with its unescaped `%`, `_`, `\` escaped; a value with an
 * unescaped `%` is the pattern as written. Patterns are used with `ESCAPE '\'`.
 */

const SPECIAL = new Set(['\\', '%', '_']);

/** `likePattern('a_b')` → `%a\_b%`; `likePattern('a%')` → `a%`; `likePattern('50\%')` → `%50\%%`. */
export function likePattern(value: string): string {
  if (hasUnescapedPercent(value)) return value;
  return `%${escapeUnescaped(value)}%`;
}

function hasUnescapedPercent(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\') i++;
    else if (value[i] === '%') return true;
  }
  return false;
}

/** Escapes `\`, `%`, `_` unless already escaped (`\%` stays `\%`, a lone `\` becomes `\\`). */
function escapeUnescaped(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const next = value[i + 1];
    if (ch === '\\' && next !== undefined && SPECIAL.has(next)) {
      out += ch + next;
      i++;
    } else {
      out += SPECIAL.has(ch) ? `\\${ch}` : ch;
    }
  }
  return out;
}
