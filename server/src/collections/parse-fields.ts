/**
 * Turns the `fields` of a request into complete Field definitions: known keys only, the type's
 * option defaults filled in, and a field id kept across updates (by id, else by name and type,
 * else PocketBase's stable `type + crc32(name)`). Shape errors go into the error tree.
 */
import { fieldError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { setError, type ErrorTree } from './error-tree.ts';
import { fieldTypeOf, isFieldType, FIELD_TYPES } from './fields/index.ts';
import type { Field } from './model.ts';
import { stableFieldId } from './system-fields.ts';

const COMMON_FLAGS = ['system', 'hidden', 'presentable', 'required'] as const;
/** PocketBase's limit on a field's help text. */
const MAX_HELP_LENGTH = 300;

function pickId(raw: Record<string, unknown>, name: string, type: string, previous: Field[], taken: Set<string>): string {
  if (typeof raw.id === 'string' && raw.id !== '') return raw.id;
  const same = previous.find((f) => f.name.toLowerCase() === name.toLowerCase() && f.type === type);
  let id = same && !taken.has(same.id) ? same.id : stableFieldId(type, name);
  while (taken.has(id)) id = `${type}${newId(10, '0123456789')}`;
  return id;
}

export function parseFields(raws: Record<string, unknown>[], previous: Field[], errors: ErrorTree): Field[] {
  const taken = new Set(raws.map((r) => r.id).filter((id): id is string => typeof id === 'string' && id !== ''));
  const out: Field[] = [];
  raws.forEach((raw, i) => {
    const path = ['fields', i];
    if (!isFieldType(raw.type)) {
      const message = `Must be one of: ${FIELD_TYPES.join(', ')}.`;
      setError(errors, [...path, 'type'], raw.type === undefined ? fieldError('validation_required', 'Missing required value.') : fieldError('validation_in_invalid', message));
      return;
    }
    if (typeof raw.name !== 'string' || raw.name === '') {
      setError(errors, [...path, 'name'], fieldError('validation_required', 'Missing required value.'));
      return;
    }
    if (raw.id !== undefined && (typeof raw.id !== 'string' || raw.id.length > 100)) {
      setError(errors, [...path, 'id'], fieldError('validation_invalid_value', 'Must be a string of at most 100 characters.'));
      return;
    }
    const id = pickId(raw, raw.name, raw.type, previous, taken);
    taken.add(id);
    const defaults = fieldTypeOf({ type: raw.type }).defaults();
    const field: Field = { id, name: raw.name, type: raw.type, system: false, hidden: false, presentable: false, required: false, ...defaults };
    for (const flag of COMMON_FLAGS) {
      if (raw[flag] === undefined || raw[flag] === null) continue;
      if (typeof raw[flag] !== 'boolean') setError(errors, [...path, flag], fieldError('validation_invalid_value', 'Must be a boolean.'));
      else field[flag] = raw[flag];
    }
    for (const key of Object.keys(defaults)) if (raw[key] !== undefined) field[key] = structuredClone(raw[key]);
    if (raw.help !== undefined && raw.help !== '') {
      if (typeof raw.help !== 'string' || raw.help.length > MAX_HELP_LENGTH) {
        setError(errors, [...path, 'help'], fieldError('validation_invalid_value', `Must be a string of at most ${MAX_HELP_LENGTH} characters.`));
      } else field.help = raw.help;
    }
    out.push(field);
  });
  return out;
}
