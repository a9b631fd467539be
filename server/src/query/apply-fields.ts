/**
 * Applies a `fields` projection to a response value: objects keep only the chosen keys,
 * arrays (e.g. `expand.comments_via_post`) are projected item by item, other values pass through.
 */
import type { FieldModifier, FieldsNode } from './fields.ts';
import { excerpt } from './excerpt.ts';

/**
 * Returns a new value; the input is not modified. A null tree means "no projection".
 * @example applyFields(record, parseFields('id,expand.author.name'))
 */
export function applyFields(value: unknown, tree: FieldsNode | null): unknown {
  if (!tree) return value;
  return project(value, tree);
}

function project(value: unknown, node: FieldsNode): unknown {
  if (Array.isArray(value)) return value.map((item) => (isPlainObject(item) ? pick(item, node) : item));
  if (isPlainObject(value)) return pick(value, node);
  // PocketBase leaves scalars alone when a path goes deeper than the data (`title.x`).
  return value;
}

function pick(record: Record<string, unknown>, node: FieldsNode): Record<string, unknown> {
  const star = node.children['*'];
  const entries: [string, unknown][] = [];
  for (const [key, value] of Object.entries(record)) {
    const child = Object.hasOwn(node.children, key) ? node.children[key]! : star;
    if (!child) continue;
    entries.push([key, child.keep ? modify(value, child.keep.modifier) : project(value, child)]);
  }
  // fromEntries defines own properties, so a json key `__proto__` stays a plain key.
  return Object.fromEntries(entries);
}

function modify(value: unknown, modifier: FieldModifier | undefined): unknown {
  if (!modifier || typeof value !== 'string') return value;
  return excerpt(value, modifier.maxLength, modifier.withEllipsis);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
