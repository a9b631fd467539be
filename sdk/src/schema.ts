/**
 * `defineSchema` for schema-as-code files (`hearth schema export --ts`): returns its argument,
 * typed, so an editor checks field types and rule keys. No runtime dependencies.
 */
import type { CollectionField, CollectionShape, FieldType } from './types/collections.ts';

export type { FieldType };

/** A field in a schema file: like the wire shape, with the type checked against the known ones. */
export interface FieldDefinition extends CollectionField {
  type: FieldType;
}

/** A collection in a schema file: the wire shape with a required name. */
export interface CollectionDefinition extends CollectionShape<FieldDefinition> {
  name: string;
}

export interface SchemaDefinition {
  collections: CollectionDefinition[];
}

export function defineSchema<const T extends SchemaDefinition>(schema: T): T {
  return schema;
}
