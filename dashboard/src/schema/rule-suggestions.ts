/**
 * Autocomplete for rule and filter expressions: the word being typed at the caret, and the
 * completions that fit it — this collection's fields and relation paths, the `@request.*`
 * macros (with the auth collection's fields), `@collection.<name>.<field>` and date macros.
 */
import type { CollectionModel } from '@hearth/sdk';

const MACROS = ['@now', '@second', '@minute', '@hour', '@weekday', '@day', '@month', '@year', '@todayStart', '@todayEnd', '@monthStart', '@monthEnd', '@yearStart', '@yearEnd'];
const REQUEST = ['@request.auth.', '@request.body.', '@request.query.', '@request.headers.', '@request.method', '@request.context', '@collection.'];
const AUTH_FIELDS = ['id', 'email', 'verified', 'emailVisibility', 'collectionId', 'collectionName'];
const MODIFIERS = [':isset', ':changed', ':length', ':each', ':lower'];

/** The identifier-ish text ending at the caret (`@request.auth.i`, `author.na`). */
export function wordAt(text: string, caret: number): { start: number; word: string } {
  const before = text.slice(0, caret);
  const m = /[@A-Za-z0-9_.:]*$/.exec(before);
  const word = m ? m[0] : '';
  return { start: caret - word.length, word };
}

function fieldPaths(collection: CollectionModel, all: CollectionModel[], depth: number, prefix: string): string[] {
  const out: string[] = [];
  for (const f of collection.fields) {
    out.push(prefix + f.name);
    if (f.type === 'relation' && depth > 0) {
      const target = all.find((c) => c.id === f.collectionId);
      if (target) out.push(...fieldPaths(target, all, depth - 1, `${prefix}${f.name}.`));
    }
  }
  return out;
}

/** Up to `limit` completions for `word` in a rule of `collection`. */
export function suggest(word: string, collection: CollectionModel | null, all: CollectionModel[], limit = 12): string[] {
  if (word === '') return [];
  let pool: string[];
  if (word.startsWith('@request.auth.')) pool = AUTH_FIELDS.map((f) => `@request.auth.${f}`);
  else if (word.startsWith('@request.body.')) pool = (collection?.fields ?? []).map((f) => `@request.body.${f.name}`);
  else if (word.startsWith('@collection.')) {
    pool = all.flatMap((c) => [`@collection.${c.name}.`, ...c.fields.map((f) => `@collection.${c.name}.${f.name}`)]);
  } else if (word.startsWith('@')) pool = [...REQUEST, ...MACROS];
  else if (word.includes(':')) pool = MODIFIERS.map((m) => word.slice(0, word.indexOf(':')) + m);
  else pool = collection ? fieldPaths(collection, all, 2, '') : [];
  const lower = word.toLowerCase();
  return pool.filter((p) => p.toLowerCase().startsWith(lower) && p !== word).slice(0, limit);
}
