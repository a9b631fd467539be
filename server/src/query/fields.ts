/**
 * The `fields` parameter: `*,id,expand.author.name,description:excerpt(200,true)` → a projection
 * tree. `*` keeps every key of its level not named more precisely; a path ending at a key keeps
 * that whole value (PocketBase's picker semantics). Applying the tree is apply-fields.ts.
 */
import { MAX_FIELDS_LENGTH } from './limits.ts';
import { queryError, quote } from './query-error.ts';

export interface ExcerptModifier {
  name: 'excerpt';
  maxLength: number;
  withEllipsis: boolean;
}
export type FieldModifier = ExcerptModifier;

/** One level of the projection. Null-prototype `children`: keys are user input. */
export interface FieldsNode {
  /** Set when a listed path ends here: keep the whole value (transformed by `modifier`). */
  keep?: { modifier?: FieldModifier };
  /** Keys to keep below this one; `*` means every key not listed. */
  children: { [key: string]: FieldsNode };
}

/** A record key or a json sub-key; `*` only as the last segment of a path. */
const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** `excerpt(max)` or `excerpt(max, withEllipsis)`; 9 digits keeps `max` a safe small integer. */
const EXCERPT = /^excerpt\(\s*([0-9]{1,9})\s*(?:,\s*(true|false|1|0)\s*)?\)$/i;

/**
 * Returns null for empty text (no projection). Throws a 400 on invalid syntax, an unknown
 * modifier or text longer than MAX_FIELDS_LENGTH.
 * @example parseFields('*,expand.author.name') // { children: { '*': keep, expand: { children: { author: … } } } }
 */
export function parseFields(text: string): FieldsNode | null {
  if (text.length > MAX_FIELDS_LENGTH) throw queryError('fields', `longer than ${MAX_FIELDS_LENGTH} characters`);
  const root = newNode();
  let any = false;
  for (const item of splitTopLevel(text)) {
    const entry = item.trim();
    if (entry === '') continue;
    const colon = entry.indexOf(':');
    const path = (colon === -1 ? entry : entry.slice(0, colon)).trim().split('.');
    const modifier = colon === -1 ? undefined : parseModifier(entry.slice(colon + 1).trim(), entry);
    let node = root;
    path.forEach((segment, i) => {
      const last = i === path.length - 1;
      if (!(SEGMENT.test(segment) || (segment === '*' && last))) {
        throw queryError('fields', `invalid field path ${quote(entry)}`);
      }
      node = node.children[segment] ??= newNode();
    });
    node.keep = modifier ? { modifier } : {};
    any = true;
  }
  return any ? root : null;
}

function newNode(): FieldsNode {
  return { children: Object.create(null) as FieldsNode['children'] };
}

/** Splits on commas outside parentheses, so `excerpt(200,true)` stays one item. */
function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) throw queryError('fields', 'unbalanced ")"', i);
    else if (ch === ',' && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw queryError('fields', 'missing ")"');
  items.push(text.slice(start));
  return items;
}

function parseModifier(text: string, entry: string): FieldModifier {
  const m = EXCERPT.exec(text);
  if (!m) {
    const name = /^[A-Za-z]+/.exec(text)?.[0];
    if (name?.toLowerCase() !== 'excerpt') throw queryError('fields', `unknown modifier ${quote(text)} in ${quote(entry)}`);
    throw queryError('fields', `invalid excerpt in ${quote(entry)} (expected excerpt(maxLength, withEllipsis?))`);
  }
  const maxLength = Number(m[1]);
  if (maxLength <= 0) throw queryError('fields', `excerpt maxLength must be > 0 in ${quote(entry)}`);
  const flag = m[2]?.toLowerCase();
  return { name: 'excerpt', maxLength, withEllipsis: flag === 'true' || flag === '1' };
}
