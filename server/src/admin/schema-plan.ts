/**
 * The plan between the live schema and a schema document: collection creates, renames and drops;
 * field adds, renames (same id, new name), drops and option changes; rule, option and index
 * changes. Collections and fields are matched by id, then (only when the file gives no id) by
 * name — a different id is never guessed to be a rename. Drops are marked destructive.
 */
import type { SchemaCollection, SchemaDocument } from './schema-file.ts';

export type StepKind =
  | 'create-collection'
  | 'rename-collection'
  | 'drop-collection'
  | 'add-field'
  | 'rename-field'
  | 'drop-field'
  | 'change-field'
  | 'change-rule'
  | 'change-option'
  | 'add-index'
  | 'drop-index';

export interface PlanStep {
  kind: StepKind;
  collection: string;
  /** Human-readable, one line. */
  detail: string;
  destructive: boolean;
}

type Field = Record<string, unknown> & { id?: string; name?: string; type?: string };
const RULES = ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule', 'authRule', 'manageRule'];
const SKIP = new Set(['id', 'name', 'type', 'system', 'fields', 'indexes', 'created', 'updated', ...RULES]);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const lower = (v: unknown) => String(v ?? '').toLowerCase();

function match<T extends { id?: unknown; name?: unknown }>(wanted: T, pool: T[]): T | undefined {
  if (wanted.id) return pool.find((p) => p.id === wanted.id);
  return pool.find((p) => lower(p.name) === lower(wanted.name));
}

function fieldSteps(name: string, before: Field[], after: Field[]): PlanStep[] {
  const steps: PlanStep[] = [];
  const matched = new Set<Field>();
  for (const f of after) {
    const old = match(f, before);
    if (!old) {
      steps.push({ kind: 'add-field', collection: name, detail: `add field ${f.name} (${f.type})`, destructive: false });
      continue;
    }
    matched.add(old);
    if (old.name !== f.name) steps.push({ kind: 'rename-field', collection: name, detail: `rename field ${old.name} → ${f.name}`, destructive: false });
    const changed = Object.keys({ ...old, ...f }).filter((k) => k !== 'name' && k !== 'id' && f[k] !== undefined && !same(old[k], f[k]));
    if (changed.length) {
      // A new type converts (and may lose) the column's values.
      const destructive = changed.includes('type');
      steps.push({ kind: 'change-field', collection: name, detail: `change field ${f.name}: ${changed.map((k) => `${k} ${JSON.stringify(old[k])} → ${JSON.stringify(f[k])}`).join(', ')}`, destructive });
    }
  }
  for (const old of before) {
    if (!matched.has(old)) steps.push({ kind: 'drop-field', collection: name, detail: `drop field ${old.name} and its data`, destructive: true });
  }
  return steps;
}

function collectionSteps(before: SchemaCollection, after: SchemaCollection): PlanStep[] {
  const name = String(after.name ?? before.name);
  const steps: PlanStep[] = [];
  if (after.name !== undefined && before.name !== after.name) steps.push({ kind: 'rename-collection', collection: name, detail: `rename collection ${before.name} → ${after.name}`, destructive: false });
  if (after.fields !== undefined) steps.push(...fieldSteps(name, (before.fields ?? []) as Field[], after.fields as Field[]));
  for (const rule of RULES) {
    if (rule in after && !same(before[rule] ?? null, after[rule] ?? null)) {
      steps.push({ kind: 'change-rule', collection: name, detail: `${rule}: ${JSON.stringify(before[rule] ?? null)} → ${JSON.stringify(after[rule] ?? null)}`, destructive: false });
    }
  }
  for (const key of Object.keys(after)) {
    if (SKIP.has(key) || same(before[key], after[key])) continue;
    steps.push({ kind: 'change-option', collection: name, detail: `${key}: ${JSON.stringify(before[key])} → ${JSON.stringify(after[key])}`, destructive: false });
  }
  if (after.indexes !== undefined) {
    const was = (before.indexes ?? []) as string[];
    const now = after.indexes as string[];
    for (const ix of now) if (!was.includes(ix)) steps.push({ kind: 'add-index', collection: name, detail: `add index ${ix}`, destructive: false });
    for (const ix of was) if (!now.includes(ix)) steps.push({ kind: 'drop-index', collection: name, detail: `drop index ${ix}`, destructive: false });
  }
  return steps;
}

/** What applying `desired` to `current` would do (system collections are never dropped). */
export function planSchema(current: SchemaDocument, desired: SchemaDocument): PlanStep[] {
  const steps: PlanStep[] = [];
  const matched = new Set<SchemaCollection>();
  for (const c of desired.collections) {
    const old = match(c, current.collections);
    if (!old) {
      steps.push({ kind: 'create-collection', collection: String(c.name), detail: `create ${c.type ?? 'base'} collection ${c.name} (${(c.fields ?? []).length} fields)`, destructive: false });
      continue;
    }
    matched.add(old);
    steps.push(...collectionSteps(old, c));
  }
  for (const old of current.collections) {
    if (matched.has(old) || old.system) continue;
    steps.push({ kind: 'drop-collection', collection: String(old.name), detail: `drop collection ${old.name} and all its records`, destructive: true });
  }
  return steps;
}
