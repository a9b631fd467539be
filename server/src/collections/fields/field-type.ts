/**
 * The contract every field type implements: how its definition is validated, how it is stored
 * (column DDL), how a request value becomes a stored value, and how a stored value is returned.
 * records/ calls these through `fieldTypeOf(field)`; nothing else switches on field.type.
 */
import type { Field, Collection } from '../model.ts';
import type { FieldError } from '../../shared/errors.ts';

/** A value as stored in SQLite (multi-valued and json fields are JSON text). */
export type StoredValue = string | number | null;

export type NormalizeResult = { value: StoredValue } | { error: FieldError };

export interface ValueContext {
  collection: Collection;
  /** true on create, false on update. */
  isNew: boolean;
  /** The current stored value (update only). */
  current?: StoredValue;
}

export interface FieldType {
  /** Column type and default for CREATE TABLE / ADD COLUMN, e.g. `TEXT DEFAULT '' NOT NULL`. */
  columnDefinition(field: Field): string;
  /** Checks the options of a field definition; returns errors keyed by option name. */
  validateDefinition(field: Field): Record<string, FieldError>;
  /**
   * Converts a client value (JSON or form string) to the stored form, or returns a FieldError.
   * `undefined` input means "not sent": return the default on create.
   */
  normalize(value: unknown, field: Field, ctx: ValueContext): NormalizeResult;
  /** Converts a stored value to its JSON (API) form: bool → boolean, multi → array, json → parsed. */
  toJSON(value: unknown, field: Field): unknown;
  /** The value a new record gets when the field is not sent. */
  zeroValue(field: Field): StoredValue;
  /** Option defaults of this type; every stored definition carries all of them (PB's wire shape). */
  defaults(): Partial<Field>;
  /**
   * Converts a value in JSON form to the stored form, checking representation only (no required,
   * min, pattern…). Schema changes use it to carry existing data across a change of type.
   */
  coerce(value: unknown, field: Field): NormalizeResult;
}
