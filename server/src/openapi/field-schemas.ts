/** JSON Schema (OpenAPI 3.1 dialect) of a collection's records: as returned, and as sent on create/update. */
import type { Collection, Field } from '../collections/model.ts';

type Schema = Record<string, unknown>;

/** Never part of a response; `password` is write-only. */
const NEVER_RETURNED = new Set(['tokenKey']);

function single(field: Field): Schema {
  switch (field.type) {
    case 'number':
      return field.onlyInt ? { type: 'integer' } : { type: 'number' };
    case 'bool':
      return { type: 'boolean' };
    case 'json':
      return {};
    case 'email':
      return { type: 'string', description: 'email address or empty' };
    case 'url':
      return { type: 'string', description: 'URL or empty' };
    case 'date':
    case 'autodate':
      return { type: 'string', description: 'UTC date "2006-01-02 15:04:05.000Z" or empty' };
    case 'select':
      return { type: 'string', enum: [...(field.values ?? []), ''] };
    case 'relation':
      return { type: 'string', description: 'record id or empty' };
    case 'file':
      return { type: 'string', description: 'file name or empty' };
    default:
      return { type: 'string' };
  }
}

export function fieldSchema(field: Field): Schema {
  const multi = ['select', 'relation', 'file'].includes(field.type) && (field.maxSelect ?? 1) > 1;
  const base = single(field);
  if (multi) {
    const item = field.type === 'select' ? { type: 'string', enum: field.values ?? [] } : base;
    return { type: 'array', items: item, maxItems: field.maxSelect };
  }
  return base;
}

/** Fields a non-superuser caller gets back (hidden fields are for superusers only). */
export function recordSchema(collection: Collection, superuser: boolean): Schema {
  const properties: Record<string, Schema> = {
    collectionId: { type: 'string', const: collection.id },
    collectionName: { type: 'string', const: collection.name },
  };
  const required = ['collectionId', 'collectionName'];
  for (const f of collection.fields) {
    if (f.type === 'password' || NEVER_RETURNED.has(f.name) || (f.hidden && !superuser)) continue;
    properties[f.name] = fieldSchema(f);
    if (f.name !== 'email') required.push(f.name);
  }
  return { type: 'object', properties, required };
}

/** What a client may send; `required` applies to create only. */
export function writeSchema(collection: Collection, create: boolean): Schema {
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const f of collection.fields) {
    if (f.type === 'autodate' || NEVER_RETURNED.has(f.name)) continue;
    properties[f.name] = fieldSchema(f);
    if (create && f.required && f.name !== 'id') required.push(f.name);
  }
  if (collection.type === 'auth') {
    properties.passwordConfirm = { type: 'string' };
    if (!create) properties.oldPassword = { type: 'string' };
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}
