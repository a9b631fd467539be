/**
 * Row → API record. A serializer is built once per collection object (the registry makes a new
 * object on every schema change, so a WeakMap keyed by it is a per-version cache) and is a flat
 * list of steps, so the hot path does no schema lookups per row.
 */
import type { Collection, Field } from '../collections/model.ts';
import { fieldTypeOf } from '../collections/index.ts';
import type { RequestInfo } from '../rules/index.ts';

export type ApiRecord = Record<string, unknown>;
export type Row = Record<string, unknown>;

/** Fields that never leave the server, whoever asks. */
const SECRET_FIELDS = new Set(['password', 'tokenKey']);

interface Step {
  name: string;
  toJSON: (value: unknown, field: Field) => unknown;
  field: Field;
  hidden: boolean;
}

interface Serializer {
  /** Every field a superuser sees, and the ones everybody else sees (no hidden fields). */
  all: Step[];
  visible: Step[];
  isAuth: boolean;
}

const cache = new WeakMap<Collection, Serializer>();

function build(collection: Collection): Serializer {
  const steps: Step[] = [];
  for (const field of collection.fields) {
    if (collection.type === 'auth' && SECRET_FIELDS.has(field.name)) continue;
    if (field.type === 'password') continue;
    const type = fieldTypeOf(field);
    steps.push({ name: field.name, field, toJSON: type.toJSON.bind(type), hidden: field.hidden });
  }
  return { all: steps, visible: steps.filter((s) => !s.hidden), isAuth: collection.type === 'auth' };
}

export function serializerFor(collection: Collection): Serializer {
  let s = cache.get(collection);
  if (!s) {
    s = build(collection);
    cache.set(collection, s);
  }
  return s;
}

function serializeWith(collection: Collection, s: Serializer, steps: Step[], superuser: boolean, row: Row, info: RequestInfo | null): ApiRecord {
  const out: ApiRecord = { collectionId: collection.id, collectionName: collection.name };
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    out[step.name] = step.toJSON(row[step.name], step.field);
  }
  if (s.isAuth && !superuser && 'email' in out) {
    const own = info?.auth && info.auth.collection.id === collection.id && info.auth.record.id === row.id;
    if (!own && !row.emailVisibility) delete out.email;
  }
  return out;
}

/** Serialises a row for the caller in `info` (hidden fields only for superusers). */
export function serializeRecord(collection: Collection, row: Row, info: RequestInfo | null): ApiRecord {
  const s = serializerFor(collection);
  const superuser = info?.auth?.isSuperuser === true;
  return serializeWith(collection, s, superuser ? s.all : s.visible, superuser, row, info);
}

/** `serializeRecord` for each row of a page, the serializer and the caller's standing looked up once. */
export function serializeRecords(collection: Collection, rows: Row[], info: RequestInfo | null): ApiRecord[] {
  const s = serializerFor(collection);
  const superuser = info?.auth?.isSuperuser === true;
  const steps = superuser ? s.all : s.visible;
  const out: ApiRecord[] = [];
  for (let i = 0; i < rows.length; i++) out.push(serializeWith(collection, s, steps, superuser, rows[i]!, info));
  return out;
}
