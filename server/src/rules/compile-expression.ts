/**
 * Compiles a filter or rule expression for one collection and request into a WHERE fragment.
 * Parsed ASTs are cached by text (rules and popular filters repeat); `@collection.*` references
 * are wrapped in one EXISTS over those collections, so `@collection.m.user ?= @request.auth.id &&
 * @collection.m.room ?= @request.body.room` means "some row of m matches both".
 */
import { compileFilter, parseFilter, type Expr } from '../query/index.ts';
import type { FieldResolver } from '../query/resolver.ts';
import type { SqlFragment } from '../query/resolver.ts';
import type { Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { quoteIdent } from '../db/sql.ts';
import { RecordFieldResolver, type AliasCounter, type JoinGuard } from './field-resolver.ts';
import type { RequestInfo } from './request-info.ts';

/** Distinct filter texts kept parsed; bounded so hostile clients cannot grow it. */
const AST_CACHE_SIZE = 500;
const astCache = new Map<string, Expr | null>();

export function parseCached(text: string): Expr | null {
  let ast = astCache.get(text);
  if (ast !== undefined) return ast;
  ast = parseFilter(text) ?? null;
  if (astCache.size >= AST_CACHE_SIZE) astCache.delete(astCache.keys().next().value as string);
  astCache.set(text, ast);
  return ast;
}

export interface CompileOptions {
  registry: CollectionRegistry;
  collection: Collection;
  /** SQL alias of the collection's table in the surrounding query. */
  alias: string;
  info: RequestInfo;
  /** true for admin-written rules; false for client filters. */
  trusted: boolean;
  counter?: AliasCounter;
  /** Sees every identifier resolution of this expression (rule-memo.ts records and replaces values). */
  wrapResolver?: (resolver: FieldResolver) => FieldResolver;
}

/** Returns null for an empty expression (no condition). Throws a 400 AppError on bad input. */
export function compileExpression(text: string, opts: CompileOptions): SqlFragment | null {
  const ast = parseCached(text);
  if (!ast) return null;
  const counter = opts.counter ?? { n: 0 };
  const resolver = new RecordFieldResolver({ ...opts, counter, guard: listGuard(opts, counter) });
  const inner = compileFilter(ast, opts.wrapResolver ? opts.wrapResolver(resolver) : resolver, { dialect: opts.registry.dialect });
  const scopes = resolver.scopes();
  if (scopes.length === 0) return inner;
  const from = scopes.map((s) => `${quoteIdent(s.table)} ${s.alias}`).join(', ');
  const guards = resolver.scopeConditions();
  const conds = [...guards.map((g) => `(${g.sql})`), `(${inner.sql})`].join(' AND ');
  return {
    sql: `EXISTS (SELECT 1 FROM ${from} WHERE ${conds})`,
    params: [...guards.flatMap((g) => g.params), ...inner.params],
  };
}

/** For untrusted input: a joined collection contributes only rows its listRule admits. */
function listGuard(opts: CompileOptions, counter: AliasCounter): JoinGuard {
  return (collection, alias) => {
    const rule = collection.listRule;
    if (rule === null) return 'deny';
    if (rule.trim() === '') return null;
    return compileExpression(rule, { ...opts, collection, alias, trusted: true, counter, wrapResolver: undefined }) ?? null;
  };
}
