/**
 * Checks a collection's final field list: names (pattern, reserved, duplicates), ids, options per
 * type, system fields (present, right type, not renamed or dropped), relation targets, and what a
 * change of an existing field may not do (change relation target, drop system flag).
 */
import { fieldError } from '../shared/errors.ts';
import type { Catalog } from './catalog.ts';
import { setError, type ErrorTree } from './error-tree.ts';
import { fieldTypeOf } from './fields/index.ts';
import { FIELD_NAME_PATTERN, type CollectionType, type Field } from './model.ts';
import { reservedFieldName } from './reserved-names.ts';
import { systemFieldSpecs } from './system-fields.ts';

/** PocketBase's limit on field name length. */
const MAX_FIELD_NAME_LENGTH = 100;

export interface FieldCheckContext {
  type: CollectionType;
  collectionId: string;
  catalog: Catalog;
  /** Collections created in the same operation (valid relation targets). */
  pendingIds: ReadonlySet<string>;
  previous: Field[];
  /** System collections may hold password fields outside auth collections (`_otps`). */
  system?: boolean;
}

function nameError(name: string, auth: boolean) {
  if (name.length > MAX_FIELD_NAME_LENGTH) return fieldError('validation_length_out_of_range', `Must be at most ${MAX_FIELD_NAME_LENGTH} characters.`);
  if (!FIELD_NAME_PATTERN.test(name)) return fieldError('validation_match_invalid', 'Must contain only letters, digits and underscores, not starting with a digit.');
  if (name.toLowerCase().includes('_via_')) return fieldError('validation_found_via', 'The value cannot contain "_via_".');
  const reserved = reservedFieldName(name, auth);
  if (reserved === 'not_in') return fieldError('validation_not_in_invalid', 'Must not be one of the reserved names.');
  if (reserved === 'reserved') return fieldError('validation_reserved_field_name', 'The field name is reserved and cannot be used.');
  return undefined;
}

function checkRelation(field: Field, i: number, ctx: FieldCheckContext, errors: ErrorTree): void {
  const target = field.collectionId ?? '';
  if (!target) return; // reported by the type's definition check
  const found = ctx.catalog.find(target);
  if (found && found.id !== target) field.collectionId = found.id; // a name was given: store the id
  const id = field.collectionId!;
  const exists = !!found || ctx.pendingIds.has(id) || id === ctx.collectionId;
  if (!exists) {
    setError(errors, ['fields', i, 'collectionId'], fieldError('validation_field_relation_missing_collection', "The relation collection doesn't exist."));
    return;
  }
  if (found?.type === 'view' && ctx.type !== 'view') {
    setError(errors, ['fields', i, 'collectionId'], fieldError('validation_relation_field_non_view_base_collection', 'Only view collections are allowed to have relations to other views.'));
  }
  const before = ctx.previous.find((f) => f.id === field.id);
  if (before?.type === 'relation' && before.collectionId && before.collectionId !== id) {
    setError(errors, ['fields', i, 'collectionId'], fieldError('validation_field_relation_change', 'The relation collection cannot be changed.'));
  }
}

function checkSystemFields(fields: Field[], ctx: FieldCheckContext, errors: ErrorTree): void {
  for (const spec of systemFieldSpecs(ctx.type)) {
    const i = fields.findIndex((f) => f.name.toLowerCase() === spec.name.toLowerCase());
    if (i >= 0 && fields[i]!.type !== spec.type) {
      setError(errors, ['fields', i, 'type'], fieldError('validation_system_field_type', `The system field "${spec.name}" must be of type ${spec.type}.`));
    }
  }
  for (const old of ctx.previous) {
    if (!old.system) continue;
    const now = fields.find((f) => f.id === old.id);
    if (!now || now.name !== old.name || now.type !== old.type || !now.system) {
      const at = now ? fields.indexOf(now) : undefined;
      const err = fieldError('validation_system_field_change', 'System fields cannot be deleted, renamed or retyped.');
      setError(errors, at === undefined ? ['fields'] : ['fields', at, 'name'], err);
    }
  }
}

export function validateFields(fields: Field[], ctx: FieldCheckContext, errors: ErrorTree): void {
  const names = new Set<string>();
  const ids = new Set<string>();
  fields.forEach((field, i) => {
    const path = ['fields', i];
    const lower = field.name.toLowerCase();
    const badName = nameError(field.name, ctx.type === 'auth');
    if (badName) setError(errors, [...path, 'name'], badName);
    else if (names.has(lower)) {
      setError(errors, [...path, 'name'], fieldError('validation_duplicated_field_name', `Duplicated or invalid field name ${field.name}.`));
    }
    names.add(lower);
    if (ids.has(field.id)) {
      setError(errors, [...path, 'id'], fieldError('validation_duplicated_field_id', `Duplicated or invalid field id "${field.id}".`));
    }
    ids.add(field.id);
    for (const [option, err] of Object.entries(fieldTypeOf(field).validateDefinition(field))) setError(errors, [...path, option], err);
    if (field.type === 'password' && ctx.type !== 'auth' && !ctx.system) {
      setError(errors, [...path, 'type'], fieldError('validation_invalid_field_type', 'Password fields are allowed only in auth collections.'));
    }
    if (field.primaryKey && lower !== 'id') {
      setError(errors, [...path, 'primaryKey'], fieldError('validation_invalid_value', 'Only the "id" field can be the primary key.'));
    }
    if (field.type === 'relation') checkRelation(field, i, ctx, errors);
    const before = ctx.previous.find((f) => f.id === field.id);
    if (before && before.type !== field.type && (before.type === 'password' || field.type === 'password')) {
      setError(errors, [...path, 'type'], fieldError('validation_field_type_change', 'Password fields cannot change type, nor other fields become passwords.'));
    }
  });
  if (ctx.type !== 'view') checkSystemFields(fields, ctx, errors);
}
