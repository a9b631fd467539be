/**
 * `defineSchema` for schema-as-code files (`hearth schema export --ts`): returns its argument,
 * typed, so an editor checks field types and rule keys. No runtime dependencies.
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

export interface FieldDefinition {
  /** Keep it: a field with the same id and a new name is a rename, and its column keeps its data. */
  id?: string;
  name: string;
  type: FieldType;
  required?: boolean;
  hidden?: boolean;
  presentable?: boolean;
  system?: boolean;
  /** Type options: min, max, pattern, values, maxSelect, collectionId, cascadeDelete, … */
  [option: string]: unknown;
}

export interface CollectionDefinition {
  /** Keep it: a collection with the same id and a new name is a rename. */
  id?: string;
  name: string;
  type?: 'base' | 'auth' | 'view';
  system?: boolean;
  fields?: FieldDefinition[];
  indexes?: string[];
  listRule?: string | null;
  viewRule?: string | null;
  createRule?: string | null;
  updateRule?: string | null;
  deleteRule?: string | null;
  viewQuery?: string;
  /** Auth options (authRule, manageRule, passwordAuth, authToken, …). */
  [option: string]: unknown;
}

export interface SchemaDefinition {
  collections: CollectionDefinition[];
}

export function defineSchema<const T extends SchemaDefinition>(schema: T): T {
  return schema;
}
