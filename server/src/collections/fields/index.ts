/**
 * fields/ — one FieldType per field type (validation of definitions, column DDL, client value
 * normalisation, JSON output). Imports only the model and shared/. Entry: `fieldTypeOf(field)`.
 */
import type { Collection, Field, FieldType as FieldTypeName } from '../model.ts';
import type { FieldType } from './field-type.ts';
import { boolField } from './bool.ts';
import { autodateField, dateField } from './date.ts';
import { editorField } from './editor.ts';
import { emailField, urlField } from './email-url.ts';
import { jsonField } from './json.ts';
import { fileField, relationField, selectField } from './list.ts';
import { numberField } from './number.ts';
import { passwordField } from './password.ts';
import { textField } from './text.ts';

const TYPES: Record<FieldTypeName, FieldType> = {
  text: textField,
  editor: editorField,
  number: numberField,
  bool: boolField,
  email: emailField,
  url: urlField,
  date: dateField,
  autodate: autodateField,
  select: selectField,
  json: jsonField,
  file: fileField,
  relation: relationField,
  password: passwordField,
};

export const FIELD_TYPES = Object.keys(TYPES) as FieldTypeName[];

export const isFieldType = (type: unknown): type is FieldTypeName =>
  typeof type === 'string' && Object.hasOwn(TYPES, type);

export function fieldTypeOf(field: Pick<Field, 'type'>): FieldType {
  const type = TYPES[field.type];
  if (!type) throw new Error(`Unknown field type ${JSON.stringify(field.type)}.`);
  return type;
}

/**
 * Whether a client may send a value for this field. autodate is filled by the server; an auth
 * collection's tokenKey is rotated only by the auth service. (`id` is writable on create only.)
 */
export function isClientWritable(field: Field, collection: Collection): boolean {
  if (field.type === 'autodate') return false;
  if (collection.type === 'auth' && field.name === 'tokenKey') return false;
  return collection.type !== 'view';
}

export type { FieldType, StoredValue, ValueContext, NormalizeResult } from './field-type.ts';
export { generateFromPattern } from './random-pattern.ts';
export { parseClientDate } from './date.ts';
