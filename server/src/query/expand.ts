/**
 * The `expand` parameter: `author,comments_via_post.author` → a tree of relation names
 * `{ author: {}, comments_via_post: { author: {} } }`. Names are validated here; whether they
 * exist (and the expanded collection's rules) is records/'s job.
 */
import { MAX_EXPAND_DEPTH, MAX_EXPAND_LENGTH, MAX_EXPAND_PATHS } from './limits.ts';
import { queryError, quote } from './query-error.ts';

/** Relation name → what to expand inside it. Null-prototype objects: keys are user input. */
export interface ExpandTree {
  [name: string]: ExpandTree;
}

/** A relation field name or a back-relation `<collection>_via_<field>`. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Empty text or empty items are ignored (`a,,b` = `a,b`); duplicates merge.
 * Throws a 400 on an invalid name, a path deeper than MAX_EXPAND_DEPTH, too many paths or too long.
 * @example parseExpand('author,comments_via_post.author')
 */
export function parseExpand(text: string): ExpandTree {
  const root: ExpandTree = Object.create(null) as ExpandTree;
  if (text.length > MAX_EXPAND_LENGTH) throw queryError('expand', `longer than ${MAX_EXPAND_LENGTH} characters`);
  const paths = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (paths.length > MAX_EXPAND_PATHS) throw queryError('expand', `more than ${MAX_EXPAND_PATHS} paths`);
  for (const path of paths) {
    const names = path.split('.');
    if (names.length > MAX_EXPAND_DEPTH) {
      throw queryError('expand', `${quote(path)} is deeper than ${MAX_EXPAND_DEPTH} levels`);
    }
    let node = root;
    for (const name of names) {
      if (!NAME.test(name)) throw queryError('expand', `invalid relation name ${quote(name)} in ${quote(path)}`);
      node = node[name] ??= Object.create(null) as ExpandTree;
    }
  }
  return root;
}
