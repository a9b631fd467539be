/**
 * PocketBase update modifiers: `field+` appends (or adds, for numbers), `+field` prepends, and
 * `field-` removes values (or subtracts). They fold into plain field values before validation.
 */
import { findField, isMultiValued, type Collection } from '../collections/model.ts';
import { badRequest } from '../shared/errors.ts';

const MODIFIER = /^(\+)?([A-Za-z_][A-Za-z0-9_]*)([+-])?$/;

function currentArray(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (raw === undefined || raw === null || raw === '') return [];
  if (typeof raw === 'string') {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // a single plain value
    }
    return [raw];
  }
  return [raw];
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** Returns a body where every modifier key is folded into its field's new plain value. */
export function applyModifiers(
  collection: Collection,
  body: Record<string, unknown>,
  current: Record<string, unknown> | null,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const mods: Array<{ name: string; kind: 'prepend' | 'append' | 'remove'; value: unknown }> = [];
  for (const [key, value] of Object.entries(body)) {
    const m = MODIFIER.exec(key);
    if (!m || (!m[1] && !m[3])) {
      out[key] = value;
      continue;
    }
    if (m[1] && m[3]) throw badRequest(`Invalid modifier key "${key}".`);
    const kind = m[1] ? 'prepend' : m[3] === '+' ? 'append' : 'remove';
    mods.push({ name: m[2]!, kind, value });
  }
  for (const mod of mods) {
    const field = findField(collection, mod.name);
    if (!field) continue; // unknown keys are ignored, as for plain values
    const base = mod.name in out ? out[mod.name] : current?.[mod.name];
    if (field.type === 'number') {
      const delta = Number(mod.value);
      if (!Number.isFinite(delta) || mod.kind === 'prepend') {
        out[mod.name] = mod.value; // let validation report the bad value
        continue;
      }
      const start = Number(base ?? 0) || 0;
      out[mod.name] = mod.kind === 'remove' ? start - delta : start + delta;
    } else if (isMultiValued(field) || field.type === 'select' || field.type === 'relation' || field.type === 'file') {
      const list = currentArray(base);
      const values = asList(mod.value).map(String);
      if (mod.kind === 'remove') out[mod.name] = list.filter((v) => !values.includes(String(v)));
      else if (mod.kind === 'append') out[mod.name] = [...list, ...values.filter((v) => !list.map(String).includes(v))];
      else out[mod.name] = [...values.filter((v) => !list.map(String).includes(v)), ...list];
      if (!isMultiValued(field)) {
        const arr = out[mod.name] as unknown[];
        out[mod.name] = arr.length ? arr[arr.length - 1] : '';
      }
    } else {
      throw badRequest(`Modifier "${mod.kind}" is not supported for field "${mod.name}".`, {
        [mod.name]: { code: 'validation_invalid_modifier', message: 'Modifiers apply to numbers and multi-valued fields.' },
      });
    }
  }
  return out;
}
