/**
 * The schema-aware FieldResolver: turns identifiers of the filter language into SQL against
 * collection tables — plain fields, json sub-paths, relation paths (`author.team.name`),
 * back-relations (`comments_via_post.text`), `@request.*`, date macros and `@collection.*`.
 *
 * Trusted input (rules, written by admins) may read hidden fields and any collection. Untrusted
 * input (a client's filter/sort) may not: hidden fields resolve as if absent, and every joined
 * collection's listRule is applied inside the join so a filter cannot probe rows the caller
 * cannot list.
 */
import { badRequest } from '../shared/errors.ts';
import { quoteIdent } from '../db/sql.ts';
import { sqliteDialect, type Dialect } from '../shared/dialect/index.ts';
import type { Collection, Field } from '../collections/model.ts';
import { findField, isMultiValued } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { FieldResolver, Identifier, Resolved, SqlFragment, SqlValue } from '../query/resolver.ts';
import { MAX_FILTER_BACK_RELATIONS, MAX_FILTER_JOINS } from '../query/limits.ts';
import type { RequestInfo } from './request-info.ts';
import { dateMacro } from './macros.ts';

/** Relation hops one identifier may take; mirrors the expand depth limit. */
export const MAX_RELATION_HOPS = 6;
const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const JSON_SEGMENT = /^[A-Za-z0-9_]+$/;
const NEVER_FILTERABLE = new Set(['password', 'tokenKey']);

export interface Scope {
  alias: string;
  table: string;
}

/** Shared between nested resolvers of one compilation so aliases never collide. */
export interface AliasCounter {
  n: number;
}

/** Restriction of a joined collection for untrusted input: SQL over `alias`, 'deny', or null (none). */
export type JoinGuard = (collection: Collection, alias: string) => SqlFragment | 'deny' | null;

export interface ResolverOptions {
  registry: CollectionRegistry;
  collection: Collection;
  alias: string;
  info: RequestInfo;
  trusted: boolean;
  counter?: AliasCounter;
  guard?: JoinGuard;
  now?: Date;
}

interface Cursor {
  collection: Collection;
  alias: string;
}

interface Chain {
  from: string[];
  where: string[];
  whereParams: SqlValue[];
  multi: boolean;
}

/** As PocketBase: a 400 with no field data (the filter is a query parameter, not a body field). */
const unknownField = (raw: string) => badRequest(`Invalid filter: unknown or inaccessible field "${raw}".`);

export class RecordFieldResolver implements FieldResolver {
  private readonly opts: ResolverOptions;
  /** The SQL dialect of the registry's database (SQLite's when it names none). */
  private get dialect(): Dialect {
    return this.opts.registry.dialect ?? sqliteDialect;
  }

  /** `SELECT value FROM json_each(col)` (SQLite's text, as before) or the dialect's form. */
  private jsonItems(column: string, alias: string): string {
    if (this.dialect.name === 'sqlite') return `SELECT value FROM json_each(${column})`;
    const je = `${alias}_items`;
    return `SELECT ${je}.value FROM ${this.dialect.jsonEach(column, je)}`;
  }
  private readonly counter: AliasCounter;
  private readonly hoisted = new Map<string, Scope>();
  private readonly now: Date;
  /** Tables joined so far by untrusted input (limits: MAX_FILTER_JOINS, MAX_FILTER_BACK_RELATIONS). */
  private joins = 0;
  private backRelations = 0;

  constructor(opts: ResolverOptions) {
    this.opts = opts;
    this.counter = opts.counter ?? { n: 0 };
    this.now = opts.now ?? new Date();
  }

  /** `@collection.*` scopes the compiled expression must be wrapped in (EXISTS over each). */
  scopes(): Scope[] {
    return [...this.hoisted.values()];
  }

  private nextAlias(prefix: string): string {
    this.counter.n += 1;
    return `${prefix}${this.counter.n}`;
  }

  /** Client filters and sorts pay for each join; admin-written rules are not bounded here. */
  private countJoin(backRelation: boolean): void {
    if (this.opts.trusted) return;
    this.joins += 1;
    if (backRelation) this.backRelations += 1;
    if (this.joins > MAX_FILTER_JOINS) {
      throw badRequest(`Invalid filter: it joins more than ${MAX_FILTER_JOINS} tables (MAX_FILTER_JOINS); every relation path, back-relation and @collection reference counts.`);
    }
    if (this.backRelations > MAX_FILTER_BACK_RELATIONS) {
      throw badRequest(`Invalid filter: it uses more than ${MAX_FILTER_BACK_RELATIONS} back-relations (MAX_FILTER_BACK_RELATIONS).`);
    }
  }

  private get privileged(): boolean {
    return this.opts.trusted || this.opts.info.auth?.isSuperuser === true;
  }

  resolve(id: Identifier): Resolved {
    const [head, ...rest] = id.path;
    if (!head) throw unknownField(id.raw);
    if (head.startsWith('@')) return this.resolveMacro(id, head, rest);
    return this.resolvePath({ collection: this.opts.collection, alias: this.opts.alias }, id.path, id, null);
  }

  private resolveMacro(id: Identifier, head: string, rest: string[]): Resolved {
    const info = this.opts.info;
    if (head === '@request') {
      const [kind, ...tail] = rest;
      if (kind === 'method' && tail.length === 0) return { kind: 'value', value: info.method };
      if (kind === 'context' && tail.length === 0) return { kind: 'value', value: info.context ?? 'default' };
      if (kind === 'auth') return this.resolveAuth(id, tail);
      if ((kind === 'query' || kind === 'headers') && tail.length === 1 && SEGMENT.test(tail[0]!)) {
        const bag = kind === 'query' ? info.query : info.headers;
        const present = Object.prototype.hasOwnProperty.call(bag, tail[0]!);
        const value = present ? bag[tail[0]!]! : null;
        if (id.modifier === 'isset') return { kind: 'value', value: present };
        if (id.modifier === 'lower') return { kind: 'value', value: value === null ? null : value.toLowerCase() };
        if (id.modifier !== undefined) throw unknownField(id.raw);
        return { kind: 'value', value };
      }
      if (kind === 'body' && tail.length === 1 && SEGMENT.test(tail[0]!)) return this.resolveBody(id, tail[0]!);
      throw unknownField(id.raw);
    }
    if (head === '@collection') {
      const [name, ...tail] = rest;
      if (!name || tail.length === 0) throw unknownField(id.raw);
      const target = this.opts.registry.find(name);
      if (!target || target.name !== name) throw unknownField(id.raw);
      let scope = this.hoisted.get(target.name);
      if (!scope) {
        this.countJoin(false);
        scope = { alias: this.nextAlias('__c'), table: target.name };
        this.hoisted.set(target.name, scope);
        if (!this.privileged) this.applyScopeGuard(target, scope, id);
      }
      return this.resolvePath({ collection: target, alias: scope.alias }, tail, id, null);
    }
    if (rest.length === 0 && id.modifier === undefined) {
      const value = dateMacro(head, this.now);
      if (value !== undefined) return { kind: 'value', value };
    }
    throw unknownField(id.raw);
  }

  /** Untrusted `@collection.X` refs see only the rows of X the caller could list. */
  private scopeGuards: SqlFragment[] = [];
  private applyScopeGuard(target: Collection, scope: Scope, id: Identifier): void {
    const g = this.opts.guard ? this.opts.guard(target, scope.alias) : 'deny';
    if (g === 'deny') throw unknownField(id.raw);
    if (g) this.scopeGuards.push(g);
  }

  /** Extra conditions the caller must AND inside the `@collection` EXISTS wrapper. */
  scopeConditions(): SqlFragment[] {
    return this.scopeGuards;
  }

  private resolveAuth(id: Identifier, tail: string[]): Resolved {
    const auth = this.opts.info.auth;
    const [name, ...more] = tail;
    if (!name || !SEGMENT.test(name)) throw unknownField(id.raw);
    if (!auth) return { kind: 'value', value: name === 'id' || name === 'collectionId' || name === 'collectionName' ? '' : null };
    if (NEVER_FILTERABLE.has(name)) throw unknownField(id.raw);
    if (more.length === 0 && name === 'collectionId') return { kind: 'value', value: auth.collection.id };
    if (more.length === 0 && name === 'collectionName') return { kind: 'value', value: auth.collection.name };
    const field = findField(auth.collection, name);
    // A caller from another auth collection simply lacks the field: null, like PocketBase, so one
    // rule can serve several auth collections (`@request.auth.team` for users, not superusers).
    if (!field) return { kind: 'value', value: null };
    if (field.hidden && !this.privileged) throw unknownField(id.raw);
    if (more.length === 0) {
      const raw = auth.record[name];
      if (isMultiValued(field)) return { kind: 'value', value: parseJsonArray(raw) };
      return { kind: 'value', value: toSqlValue(raw) };
    }
    // A relation path from the caller's own record: start a chain at their row.
    const alias = this.nextAlias('__a');
    const chain: Chain = { from: [`${quoteIdent(auth.collection.name)} ${alias}`], where: [`${alias}."id" = ?`], whereParams: [String(auth.record.id)], multi: false };
    return this.resolvePath({ collection: auth.collection, alias }, tail, id, chain);
  }

  private resolveBody(id: Identifier, name: string): Resolved {
    const body = this.opts.info.body;
    const present = Object.prototype.hasOwnProperty.call(body, name);
    const value = body[name];
    switch (id.modifier) {
      case 'isset':
        return { kind: 'value', value: present };
      case 'length':
        return { kind: 'value', value: Array.isArray(value) ? value.length : present && value !== null && value !== '' ? 1 : 0 };
      case 'each':
        return { kind: 'value', value: Array.isArray(value) ? value.map(toSqlValue) : [toSqlValue(value)] };
      case 'changed': {
        const field = findField(this.opts.collection, name);
        if (!field) throw unknownField(id.raw);
        const stored = Array.isArray(value) ? JSON.stringify(value) : toSqlValue(value);
        const differs = this.dialect.same({ sql: '?', params: [] }, { sql: `${this.opts.alias}.${quoteIdent(name)}`, params: [] }, false).sql;
        return { kind: 'expr', sql: `(? AND ${differs})`, params: [present, stored] };
      }
      case 'lower':
        return { kind: 'value', value: typeof value === 'string' ? value.toLowerCase() : toSqlValue(value) };
      default:
        if (Array.isArray(value)) return { kind: 'value', value: value.map(toSqlValue) };
        return { kind: 'value', value: present ? toSqlValue(value) : null };
    }
  }

  /**
   * Walks a field path from `start`. Each relation hop adds a join; the last segment is a field
   * (or a json sub-path). Without joins the result is a plain column expression.
   */
  private resolvePath(start: Cursor, path: string[], id: Identifier, initial: Chain | null): Resolved {
    const chain: Chain = initial ?? { from: [], where: [], whereParams: [], multi: false };
    let cur = start;
    let i = 0;
    for (; i < path.length - 1; i++) {
      if (chain.from.length >= MAX_RELATION_HOPS * 2) throw badRequest(`Invalid filter: "${id.raw}" has too many relation hops.`);
      const seg = path[i]!;
      if (!SEGMENT.test(seg)) throw unknownField(id.raw);
      const field = this.visibleField(cur.collection, seg, id);
      if (field?.type === 'json') break;
      const next = field ? this.joinRelation(chain, cur, field, id) : this.joinBackRelation(chain, cur, seg, id);
      cur = next;
    }
    const last = path[i]!;
    if (!SEGMENT.test(last)) throw unknownField(id.raw);
    const field = this.visibleField(cur.collection, last, id);
    if (!field) throw unknownField(id.raw);
    const column = `${cur.alias}.${quoteIdent(field.name)}`;
    const jsonTail = path.slice(i + 1);
    const valueParams: SqlValue[] = [];
    let value: string;
    let multi = chain.multi;
    if (field.type === 'json' && jsonTail.length > 0) {
      if (!jsonTail.every((s) => JSON_SEGMENT.test(s))) throw unknownField(id.raw);
      if (this.dialect.name === 'sqlite') {
        value = `json_extract(${column}, ?)`;
        valueParams.push('$' + jsonTail.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${JSON.stringify(s)}`)).join(''));
      } else {
        value = this.dialect.jsonExtract(column, jsonTail);
      }
    } else if (jsonTail.length > 0) {
      throw unknownField(id.raw);
    } else if (isMultiValued(field) && id.modifier === 'length') {
      value = this.dialect.jsonArrayLength(column);
    } else if (isMultiValued(field)) {
      const je = this.nextAlias('__j');
      chain.from.push(this.dialect.jsonEach(column, je));
      value = `${je}.value`;
      multi = true;
    } else {
      value = this.maskedColumn(cur, field, column, valueParams);
    }
    if (id.modifier === 'lower') value = `LOWER(${value})`;
    if (chain.from.length === 0) return { kind: 'expr', sql: value, params: valueParams };
    const where = chain.where.length ? ` WHERE ${chain.where.join(' AND ')}` : '';
    const sql = `SELECT ${value} AS v FROM ${chain.from.join(', ')}${where}`;
    const params = [...valueParams, ...chain.whereParams];
    if (multi) return { kind: 'set', sql, params };
    return { kind: 'expr', sql: `(${sql} LIMIT 1)`, params };
  }

  /** For untrusted input, an auth record's email is visible only where emailVisibility allows. */
  private maskedColumn(cur: Cursor, field: Field, column: string, params: SqlValue[]): string {
    if (this.privileged || cur.collection.type !== 'auth' || field.name !== 'email') return column;
    params.push(this.opts.info.auth ? String(this.opts.info.auth.record.id) : '');
    return `(CASE WHEN ${cur.alias}."emailVisibility" OR ${cur.alias}."id" = ? THEN ${column} ELSE NULL END)`;
  }

  private visibleField(collection: Collection, name: string, id: Identifier): Field | undefined {
    const field = findField(collection, name);
    if (!field) return undefined;
    if (NEVER_FILTERABLE.has(field.name) && collection.type === 'auth') throw unknownField(id.raw);
    if (field.hidden && !this.privileged) throw unknownField(id.raw);
    return field;
  }

  private joinRelation(chain: Chain, cur: Cursor, field: Field, id: Identifier): Cursor {
    if (field.type !== 'relation' || !field.collectionId) throw unknownField(id.raw);
    const target = this.opts.registry.find(field.collectionId);
    if (!target) throw unknownField(id.raw);
    this.countJoin(false);
    const alias = this.nextAlias('__r');
    const column = `${cur.alias}.${quoteIdent(field.name)}`;
    if (isMultiValued(field)) {
      const je = this.nextAlias('__j');
      chain.from.push(this.dialect.jsonEach(column, je), `${quoteIdent(target.name)} ${alias}`);
      chain.where.push(`${alias}."id" = ${je}.value`);
      chain.multi = true;
    } else {
      chain.from.push(`${quoteIdent(target.name)} ${alias}`);
      chain.where.push(`${alias}."id" = ${column}`);
    }
    this.guardJoin(chain, target, alias, id);
    return { collection: target, alias };
  }

  /** `comments_via_post`: rows of `comments` whose relation field `post` points at the cursor. */
  private joinBackRelation(chain: Chain, cur: Cursor, seg: string, id: Identifier): Cursor {
    const m = /^(.+)_via_(.+)$/.exec(seg);
    if (!m) throw unknownField(id.raw);
    const source = this.opts.registry.find(m[1]!);
    const field = source ? findField(source, m[2]!) : undefined;
    if (!source || source.name !== m[1] || !field || field.type !== 'relation' || field.collectionId !== cur.collection.id) {
      throw unknownField(id.raw);
    }
    if (field.hidden && !this.privileged) throw unknownField(id.raw);
    this.countJoin(true);
    const alias = this.nextAlias('__b');
    const column = `${alias}.${quoteIdent(field.name)}`;
    chain.from.push(`${quoteIdent(source.name)} ${alias}`);
    chain.where.push(
      isMultiValued(field)
        ? `${cur.alias}."id" IN (${this.jsonItems(column, alias)})`
        : `${column} = ${cur.alias}."id"`,
    );
    chain.multi = true;
    this.guardJoin(chain, source, alias, id);
    return { collection: source, alias };
  }

  private guardJoin(chain: Chain, target: Collection, alias: string, id: Identifier): void {
    if (this.privileged) return;
    const g = this.opts.guard ? this.opts.guard(target, alias) : 'deny';
    if (g === 'deny') throw unknownField(id.raw);
    if (g) {
      chain.where.push(`(${g.sql})`);
      chain.whereParams.push(...g.params);
    }
  }
}

function toSqlValue(v: unknown): SqlValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

function parseJsonArray(raw: unknown): SqlValue[] {
  if (Array.isArray(raw)) return raw.map(toSqlValue);
  if (typeof raw !== 'string' || raw === '') return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.map(toSqlValue) : [toSqlValue(parsed)];
  } catch {
    return [raw];
  }
}
