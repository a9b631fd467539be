/**
 * Rules compiled once per collection version and bound per request. A rule's SQL depends on the
 * request only through the values its `@request.*` (and date) macros resolve to; a non-empty
 * string among them only ever becomes a bound parameter of its own, so for a given rule text,
 * alias and caller collection the SQL is the same for every request whose macro values have the
 * same shape. The first compile of a shape records which macros it resolved and compiles again
 * with a distinct marker in place of each non-empty string value: the parameters that come back
 * as exactly a marker are the slots that value fills, every other parameter is a constant of the
 * shape. A rule whose values are transformed (a `~` pattern built from `@request.body.x`), lists,
 * or macros that resolve to SQL (`@request.auth.rel.field`, `:changed`) is compiled per request,
 * as before. Entries live with the collection object (a new one per schema change).
 */
import { versionMemo } from '../collections/version-memo.ts';
import type { FieldResolver, Identifier, Resolved, SqlFragment, SqlValue } from '../query/resolver.ts';
import { compileExpression, type CompileOptions } from './compile-expression.ts';
import { RecordFieldResolver } from './field-resolver.ts';

/** Shapes kept per rule text, alias and caller collection (values such as numbers are part of a shape). */
export const MAX_RULE_SHAPES = 64;
/** Rule texts kept per collection version, and aliases with caller collections per rule text. */
export const MAX_RULE_ENTRIES = 64;

interface Template {
  sql: string;
  /** Per parameter: a constant, or the index of the macro value that fills it. */
  params: Array<{ value: SqlValue } | { slot: number }>;
}

interface Entry {
  /** The macro identifiers a compile resolved to values, in order; null: not memoisable. */
  macros: Identifier[] | null;
  shapes: Map<string, Template | null>;
}

/**
 * Per collection version: by rule text, alias, then caller collection id ('' for none) — strings
 * that are the same objects request after request, so no key is built and hashed per lookup.
 */
const byCollection = versionMemo<string, Map<string, Map<string, Entry>>>(MAX_RULE_ENTRIES);

const isMacro = (id: Identifier): boolean => id.path[0]?.startsWith('@') === true && id.path[0] !== '@collection';

/** A value's part of the shape key; undefined when it cannot be bound into a kept template. */
function shapeOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? 'e' : 's';
  if (value === null) return 'z';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value}:${String(value)}`;
  return undefined;
}

const marker = (i: number): string => `\u0000hearth-rule-slot-${i}\u0000`;

/** Records the macros a compile resolves (to values only; anything else makes the rule unmemoisable). */
function recording(inner: FieldResolver, seen: Array<{ id: Identifier; value: unknown }>, state: { plain: boolean }): FieldResolver {
  return {
    resolve(id) {
      const out = inner.resolve(id);
      if (isMacro(id)) {
        if (out.kind === 'value') seen.push({ id, value: out.value });
        else state.plain = false;
      }
      return out;
    },
  };
}

/** Replaces the i-th macro's value with its marker (non-empty strings only). */
function marking(inner: FieldResolver, seen: Array<{ id: Identifier; value: unknown }>): FieldResolver {
  let i = 0;
  return {
    resolve(id): Resolved {
      const out = inner.resolve(id);
      if (!isMacro(id)) return out;
      const k = i++;
      return out.kind === 'value' && shapeOf(seen[k]?.value) === 's' ? { kind: 'value', value: marker(k) } : out;
    },
  };
}

function templateOf(real: SqlFragment, marked: SqlFragment | null, count: number): Template | null {
  if (!marked || marked.sql !== real.sql || marked.params.length !== real.params.length) return null;
  const params: Template['params'] = [];
  for (let i = 0; i < real.params.length; i++) {
    const m = marked.params[i];
    let slot = -1;
    for (let k = 0; k < count && slot < 0; k++) if (m === marker(k)) slot = k;
    if (slot >= 0) params.push({ slot });
    else if (typeof m === 'string' && m.includes('\u0000hearth-rule-slot-')) return null; // a value transformed, not bound as given
    else if (m === real.params[i]) params.push({ value: m ?? null });
    else return null;
  }
  return { sql: real.sql, params };
}

function bind(template: Template, values: unknown[]): SqlFragment {
  const params: SqlValue[] = new Array(template.params.length);
  for (let i = 0; i < params.length; i++) {
    const p = template.params[i]!;
    params[i] = 'slot' in p ? (values[p.slot] as SqlValue) : p.value;
  }
  return { sql: template.sql, params };
}

/**
 * `compileExpression` for a trusted rule (authorize's), through the memo; `opts.counter` must be
 * absent (aliases then start at the same number every time).
 */
export function compileRule(text: string, opts: Omit<CompileOptions, 'trusted' | 'counter' | 'wrapResolver'>): SqlFragment | null {
  const { collection, info } = opts;
  let aliases = byCollection.get(collection, text);
  if (!aliases) byCollection.set(collection, text, (aliases = new Map()));
  let entries = aliases.get(opts.alias);
  if (!entries) aliases.set(opts.alias, (entries = new Map()));
  const key = info.auth ? info.auth.collection.id : '';
  const entry = entries.get(key);
  if (entry?.macros === null) return compileExpression(text, { ...opts, trusted: true });
  if (entry) {
    const resolver = new RecordFieldResolver({ ...opts, trusted: true, counter: { n: 0 } });
    const values: unknown[] = new Array(entry.macros.length);
    let shape = '';
    for (let i = 0; i < entry.macros.length; i++) {
      const out = resolver.resolve(entry.macros[i]!);
      const part = out.kind === 'value' ? shapeOf(out.value) : undefined;
      if (part === undefined || out.kind !== 'value') return compileExpression(text, { ...opts, trusted: true });
      values[i] = out.value;
      shape += `${part};`;
    }
    const template = entry.shapes.get(shape);
    if (template) return bind(template, values);
    if (template === null) return compileExpression(text, { ...opts, trusted: true });
  }
  return compileAndKeep(text, opts, entries, key, entry);
}

function compileAndKeep(
  text: string,
  opts: Omit<CompileOptions, 'trusted' | 'counter' | 'wrapResolver'>,
  entries: Map<string, Entry>,
  key: string,
  known: Entry | undefined,
): SqlFragment | null {
  const seen: Array<{ id: Identifier; value: unknown }> = [];
  const state = { plain: true };
  const real = compileExpression(text, { ...opts, trusted: true, wrapResolver: (r) => recording(r, seen, state) });
  if (!real) return real;
  if (!state.plain) {
    // A macro that resolves to SQL: compiled per request, always.
    if (!known) keep(entries, key, { macros: null, shapes: new Map() });
    return real;
  }
  const entry: Entry = known ?? { macros: seen.map((s) => s.id), shapes: new Map() };
  if (!known) keep(entries, key, entry);
  const parts = seen.map((s) => shapeOf(s.value));
  // A list among the values: this request is compiled as it is; other shapes may still be kept.
  if (parts.some((p) => p === undefined) || entry.macros?.length !== seen.length) return real;
  const marked = compileExpression(text, { ...opts, trusted: true, wrapResolver: (r) => marking(r, seen) });
  if (entry.shapes.size < MAX_RULE_SHAPES) entry.shapes.set(`${parts.join(';')};`, templateOf(real, marked, seen.length));
  return real;
}

function keep(entries: Map<string, Entry>, key: string, entry: Entry): void {
  if (entries.size >= MAX_RULE_ENTRIES) entries.clear();
  entries.set(key, entry);
}

