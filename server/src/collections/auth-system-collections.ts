/**
 * The auth system collections, as PocketBase exposes them: `_externalAuths`, `_mfas`, `_otps`
 * and `_authOrigins` are real base collections (ids, fields, indexes and rules as PocketBase's),
 * so clients list, view and delete their own rows through the records API (the SDK's
 * `listExternalAuths`/`unlinkExternalAuth`), superusers manage all of them, and the auth layer
 * keeps writing the same tables. Older data dirs held these as plain tables: their rows are
 * carried into the collection tables once, on the first start that creates the collections.
 */
import { steps, type Steps } from '../db/index.ts';
import type { Dialect } from '../shared/dialect/index.ts';
import { tableColumns, tableExists } from './ddl/db-objects.ts';
import { quoteIdent } from '../db/sql.ts';

const OWNER_RULE = "@request.auth.id != '' && recordRef = @request.auth.id && collectionRef = @request.auth.collectionId";

const text = (name: string, props: Record<string, unknown> = {}) => ({ name, type: 'text', required: true, system: true, ...props });
const REFS = [text('collectionRef'), text('recordRef')];

interface SystemCollectionInput {
  id: string;
  name: string;
  fields: Record<string, unknown>[];
  indexes: string[];
  deletable: boolean;
}

const SPECS: SystemCollectionInput[] = [
  {
    id: 'pbc_2281828961',
    name: '_externalAuths',
    fields: [...REFS, text('provider'), text('providerId')],
    indexes: [
      'CREATE UNIQUE INDEX `idx_externalAuths_record_provider` ON `_externalAuths` (collectionRef, recordRef, provider)',
      'CREATE UNIQUE INDEX `idx_externalAuths_collection_provider` ON `_externalAuths` (collectionRef, provider, providerId)',
    ],
    deletable: true,
  },
  {
    id: 'pbc_2279338944',
    name: '_mfas',
    fields: [...REFS, text('method')],
    indexes: ['CREATE INDEX `idx_mfas_collectionRef_recordRef` ON `_mfas` (collectionRef, recordRef)'],
    deletable: false,
  },
  {
    id: 'pbc_1638494021',
    name: '_otps',
    // The code is stored hashed: a hidden password field (server-issued codes are HMACs, codes a
    // superuser writes through the API are scrypt hashes like any password).
    fields: [...REFS, { name: 'password', type: 'password', required: true, hidden: true, system: true }, text('sentTo', { required: false, hidden: true })],
    indexes: ['CREATE INDEX `idx_otps_collectionRef_recordRef` ON `_otps` (collectionRef, recordRef)'],
    deletable: false,
  },
  {
    id: 'pbc_4275539003',
    name: '_authOrigins',
    fields: [...REFS, text('fingerprint')],
    indexes: ['CREATE UNIQUE INDEX `idx_authOrigins_unique_pairs` ON `_authOrigins` (collectionRef, recordRef, fingerprint)'],
    deletable: true,
  },
];

export const AUTH_SYSTEM_COLLECTION_NAMES = SPECS.map((s) => s.name);

/** The collection inputs (for `create`), PocketBase's rules: owners list and view; some may delete. */
export function authSystemCollectionInputs(): Record<string, unknown>[] {
  return SPECS.map((s) => ({
    id: s.id,
    name: s.name,
    type: 'base',
    system: true,
    fields: s.fields,
    indexes: s.indexes,
    listRule: OWNER_RULE,
    viewRule: OWNER_RULE,
    createRule: null,
    updateRule: null,
    deleteRule: s.deletable ? OWNER_RULE : null,
  }));
}

const LEGACY_PREFIX = '_hearth_legacy';

/** Moves a pre-collection table aside so the collection can create its own; returns the parked name. */
export function* parkLegacyTable(dialect: Dialect, name: string): Steps<string | null> {
  if (!(yield* tableExists(dialect, name))) return null;
  const parked = `${LEGACY_PREFIX}${name}`;
  yield* steps.exec(`DROP TABLE IF EXISTS ${quoteIdent(parked)}`);
  yield* steps.exec(`ALTER TABLE ${quoteIdent(name)} RENAME TO ${quoteIdent(parked)}`);
  return parked;
}

/** Copies the parked rows into the collection table (columns both have; `updated` from `created`) and drops the parked table. */
export function* restoreLegacyRows(dialect: Dialect, parked: string, name: string): Steps<void> {
  const from = new Set((yield* tableColumns(dialect, parked)).map((c) => c.name));
  const to = (yield* tableColumns(dialect, name)).map((c) => c.name).filter((c) => from.has(c) || (c === 'updated' && from.has('created')));
  const select = to.map((c) => (from.has(c) ? quoteIdent(c) : quoteIdent('created'))).join(', ');
  yield* steps.exec(`INSERT INTO ${quoteIdent(name)} (${to.map(quoteIdent).join(', ')}) SELECT ${select} FROM ${quoteIdent(parked)}`);
  yield* steps.exec(`DROP TABLE ${quoteIdent(parked)}`);
}
