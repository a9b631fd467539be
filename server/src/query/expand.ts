/**
 * The `expand` parameter: `author,comments_via_post.author` → a tree of relation names
 * `{ author: {}, comments_via_post: { author: {} } }`. Names are validated here; whether they
 * exist (and the expanded collection's rules) is records/'s job.
 */
import { MAX_EXPAND_DEPTH, MAX_EXPAND_LENGTH, MAX_EXPAND_PATHS } from './limits.ts';
import { queryError } from './query-error.ts';

/** Relation name → what to expand inside it. Null-prototype objects: keys are user input. */
export interface ExpandTree {
  [name: string]: ExpandTree;
}

/** A relation field name or a back-relation `<collection>_via_<field>`. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** PocketBase's deprecated back-relation form `<collection>(<field>)`. */
const OLD_BACK_RELATION = /^([A-Za-z_][A-Za-z0-9_]*)\(([A-Za-z_][A-Za-z0-9_]*)\)$/;

/**
 * Lenient like PocketBase: empty items and empty names (`a,,b`, `author.`) are ignored, a path
 * is cut after MAX_EXPAND_DEPTH levels, and a name that cannot be a relation ends its path there
 * (whether a name exists is records/'s job, which ignores unknown ones too). `posts(author)` is
 * read as `posts_via_author`. Only the size limits are a 400: too long, or too many paths.
 * @example parseExpand('author,comments_via_post.author')
 */
export function parseExpand(text: string): ExpandTree {
  const root: ExpandTree = Object.create(null) as ExpandTree;
  if (text.length > MAX_EXPAND_LENGTH) throw queryError('expand', `longer than ${MAX_EXPAND_LENGTH} characters`);
  const paths = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (paths.length > MAX_EXPAND_PATHS) throw queryError('expand', `more than ${MAX_EXPAND_PATHS} paths`);
  for (const path of paths) {
    const names = path.split('.').map((n) => n.trim()).filter((n) => n !== '').slice(0, MAX_EXPAND_DEPTH);
    let node = root;
    for (const raw of names) {
      const old = OLD_BACK_RELATION.exec(raw);
      const name = old ? `${old[1]}_via_${old[2]}` : raw;
      if (!NAME.test(name)) break;
      node = node[name] ??= Object.create(null) as ExpandTree;
    }
  }
  return root;
}
