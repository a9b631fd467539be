/**
 * The collection definition shape in PocketBase's wire form, shared by the admin API
 * (`client.collections`) and schema-as-code files (`defineSchema`). No runtime code.
 */

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

/** One field of a collection as the server sends it; type-specific options sit beside `type`. */
export interface CollectionField {
  /** Keep it: a field with the same id and a new name is a rename, and its column keeps its data. */
  id?: string;
  name: string;
  type: string;
  required?: boolean;
  hidden?: boolean;
  presentable?: boolean;
  system?: boolean;
  /** Type options: min, max, pattern, values, maxSelect, collectionId, cascadeDelete, … */
  [option: string]: unknown;
}

/** Any subset of a definition, with fields of shape F (the server fills defaults). */
export interface CollectionShape<F extends CollectionField = CollectionField> {
  /** Keep it: a collection with the same id and a new name is a rename. */
  id?: string;
  name?: string;
  type?: 'base' | 'auth' | 'view';
  system?: boolean;
  fields?: F[];
  indexes?: string[];
  listRule?: string | null;
  viewRule?: string | null;
  createRule?: string | null;
  updateRule?: string | null;
  deleteRule?: string | null;
  viewQuery?: string;
  authRule?: string | null;
  manageRule?: string | null;
  /** Auth options (passwordAuth, otp, mfa, oauth2, token durations…) travel flattened. */
  [option: string]: unknown;
}
