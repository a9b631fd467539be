/**
 * The collection model as stored and as sent on the wire (PocketBase 0.23+ shape: field options
 * are flat properties of each field). Pure types and small helpers; no I/O.
 */

export type CollectionType = 'base' | 'auth' | 'view';

export type FieldType =
  | 'text'
  | 'editor'
  | 'number'
  | 'bool'
  | 'email'
  | 'url'
  | 'date'
  | 'autodate'
  | 'select'
  | 'json'
  | 'file'
  | 'relation'
  | 'password';

/** A field definition. Type-specific options (min, max, values, collectionId, …) are flat keys. */
export interface Field {
  id: string;
  name: string;
  type: FieldType;
  system: boolean;
  hidden: boolean;
  presentable: boolean;
  required: boolean;
  // text / password / editor
  min?: number | string | null;
  max?: number | string | null;
  pattern?: string;
  autogeneratePattern?: string;
  primaryKey?: boolean;
  // number
  onlyInt?: boolean;
  // select / relation / file
  values?: string[];
  maxSelect?: number;
  minSelect?: number;
  // relation
  collectionId?: string;
  cascadeDelete?: boolean;
  // json / editor / file
  maxSize?: number;
  // file
  mimeTypes?: string[];
  thumbs?: string[];
  protected?: boolean;
  // email / url
  exceptDomains?: string[] | null;
  onlyDomains?: string[] | null;
  // autodate
  onCreate?: boolean;
  onUpdate?: boolean;
  // password
  cost?: number;
  [option: string]: unknown;
}

export interface AuthOptions {
  authRule: string | null;
  manageRule: string | null;
  passwordAuth: { enabled: boolean; identityFields: string[] };
  authToken: { duration: number };
  /** HMAC secret for this collection's tokens; never sent to clients. */
  tokenSecret?: string;
  [option: string]: unknown;
}

export interface Collection {
  id: string;
  name: string;
  type: CollectionType;
  system: boolean;
  fields: Field[];
  indexes: string[];
  listRule: string | null;
  viewRule: string | null;
  createRule: string | null;
  updateRule: string | null;
  deleteRule: string | null;
  /** View collections only. */
  viewQuery?: string;
  /** Auth collections only (flattened onto the wire object, like PocketBase). */
  auth?: AuthOptions;
  created: string;
  updated: string;
}

export type RuleName = 'listRule' | 'viewRule' | 'createRule' | 'updateRule' | 'deleteRule' | 'authRule' | 'manageRule';

export const COLLECTION_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const FIELD_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Fields whose value is a JSON array of strings when they allow more than one item. */
export function isMultiValued(field: Field): boolean {
  if (field.type === 'select' || field.type === 'relation' || field.type === 'file') {
    return (field.maxSelect ?? 1) > 1;
  }
  return false;
}

export function findField(collection: Collection, name: string): Field | undefined {
  for (const f of collection.fields) if (f.name === name) return f;
  return undefined;
}
