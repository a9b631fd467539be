/**
 * POST /records: validate, insert, then check the createRule against the inserted row inside the
 * same transaction (so `@request.body.*` and relation paths see the final values); a failing
 * rule rolls everything back.
 */
import { quoteIdent } from '../db/sql.ts';
import { get, runSteps, wait, type Steps } from '../db/steps.ts';
import { badRequest } from '../shared/errors.ts';
import { authorize, withRequestBody } from '../rules/index.ts';
import type { Collection } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { prepareValues } from './prepare-values.ts';
import { superusersOnly } from './list-records.ts';
import type { Row } from './serialize.ts';
import type { SqlFragment } from '../query/resolver.ts';
import type { WriteContext } from './write-context.ts';
import { assertWritable, manageAccess } from './write-context.ts';
import { updateRow } from './update-record.ts';
import { resolveRequestBody } from './request-body.ts';
import { insertSql } from './write-sql.ts';
import type { PreparedFiles } from './record-files.ts';

/** Column lists repeat per collection shape, so the SQL text (and prepared statement) repeats too. */
export function* insertRow(collection: Collection, values: Record<string, unknown>): Steps<Row> {
  const cols = Object.keys(values);
  return (yield* get<Row>(insertSql(collection, cols), cols.map((c) => values[c])))!;
}

/** Runs inside a transaction (`ctx.deps.q`). Returns the stored row. */
export function createInTx(
  ctx: WriteContext,
  collection: Collection,
  sent: Record<string, unknown>,
  passwordHash: string | undefined,
  files?: PreparedFiles & { presetId?: string },
): Promise<Row> {
  return runSteps(createSteps(ctx, collection, sent, passwordHash, files), ctx.deps.q);
}

/** The create as steps of the write's transaction (see db/steps.ts). Returns the stored row. */
export function* createSteps(
  ctx: WriteContext,
  collection: Collection,
  sent: Record<string, unknown>,
  passwordHash: string | undefined,
  files?: PreparedFiles & { presetId?: string },
): Steps<Row> {
  const { deps } = ctx;
  assertWritable(collection);
  const superuser = ctx.info.auth?.isSuperuser === true;
  if (!superuser && collection.createRule === null) throw superusersOnly();
  const body = resolveRequestBody(collection, sent, null, superuser);
  const info = withRequestBody(ctx.info, body);
  const access = authorize({ registry: deps.registry, collection, rule: 'createRule', info, alias: NEW_ROW });
  if (access.kind === 'superusers_only') throw superusersOnly();
  const hooked = deps.hooks?.before({ action: 'create', collection, body, current: null, info, q: deps.q, db: deps.db });
  if (hooked) yield* wait(hooked);
  // The manageRule is checked against the new record (as PocketBase does), so `verified` waits
  // until the row exists, and is first stored as false so the rule cannot rely on it.
  const deferVerified = !superuser && collection.type === 'auth' && body.verified !== undefined && hasManageRule(collection);
  const { verified, ...rest } = body;
  // A rule about other tables only holds the same before the INSERT as after it: its verdict
  // comes with the relation checks, one statement fewer (it still refuses only after the INSERT,
  // so the INSERT's own errors keep coming first).
  const condition = access.kind === 'where' && readsOnlyOtherTables(deps.registry, collection, access.where) ? { where: access.where, holds: undefined as boolean | undefined } : undefined;
  const values = yield* prepareValues({
    dialect: deps.q.dialect,
    registry: deps.registry,
    collection,
    body: deferVerified ? rest : body,
    current: null,
    privileged: superuser,
    passwordHash,
    presetId: files?.presetId,
    newFiles: files?.newNames,
    condition,
  });
  let row = yield* insertRow(collection, values);
  if (deferVerified) {
    const privileged = yield* manageAccess(deps, collection, String(row.id), info);
    const extra = yield* prepareValues({ dialect: deps.q.dialect, registry: deps.registry, collection, body: { verified }, current: row, privileged, failMessage: 'Failed to create record.' });
    if ('verified' in extra) row = yield* updateRow(collection, String(row.id), { verified: extra.verified });
  }
  if (access.kind === 'where' && !(condition ? condition.holds : yield* ruleHolds(collection, String(row.id), access.where))) {
    throw badRequest('Failed to create record.');
  }
  yield* ctx.sink.record(collection, 'create', row);
  return row;
}

/** The alias of the new row in the createRule's SQL. */
const NEW_ROW = '__new';

/**
 * A rule that reads nothing of the new row (only `@request.*` and `@collection.*`) runs as a
 * scalar `SELECT (…)`: the same condition as a WHERE next to a bound `id = ?` made SQLite
 * re-prepare the statement on every run (~20 µs per insert), the scalar form runs in ~2 µs.
 */
function* ruleHolds(collection: Collection, id: string, where: SqlFragment): Steps<boolean> {
  if (!where.sql.includes(`${NEW_ROW}.`)) return Boolean((yield* get<{ ok: unknown }>(`SELECT (${where.sql}) AS ok`, where.params))?.ok);
  return (yield* get(`SELECT 1 AS ok FROM ${quoteIdent(collection.name)} ${NEW_ROW} WHERE ${NEW_ROW}."id" = ? AND (${where.sql})`, [id, ...where.params])) !== undefined;
}

/** Per collection version: which rule SQL texts read only tables the insert leaves unchanged. */
const otherTablesOnly = new WeakMap<Collection, Map<string, boolean>>();

/**
 * True when the rule names nothing of the new row and no table the INSERT changes: not the
 * collection's own (`@collection.<self>`, a back-relation) and no view, which may read it.
 */
function readsOnlyOtherTables(registry: CollectionRegistry, collection: Collection, where: SqlFragment): boolean {
  let known = otherTablesOnly.get(collection);
  if (!known) otherTablesOnly.set(collection, (known = new Map()));
  let verdict = known.get(where.sql);
  if (verdict === undefined) {
    const text = where.sql.toLowerCase();
    const names = (c: Collection) => text.includes(quoteIdent(c.name).toLowerCase());
    verdict = !text.includes(`${NEW_ROW}.`) && !names(collection) && !registry.all().some((c) => c.type === 'view' && names(c));
    if (known.size < MAX_KNOWN_RULE_TEXTS) known.set(where.sql, verdict);
  }
  return verdict;
}

/** Rule SQL texts vary with the shape of the request's values (null, lists); bounded per collection. */
const MAX_KNOWN_RULE_TEXTS = 256;

function hasManageRule(collection: Collection): boolean {
  const rule = collection.auth?.manageRule;
  return typeof rule === 'string' && rule.trim() !== '';
}
