/**
 * What saving a collection will do, worked out from the definition before and after (fields are
 * matched by id, so a changed name is a rename): shown for confirmation before the change runs.
 */
import type { CollectionField, CollectionInput, CollectionModel } from '@hearth/sdk';

export interface PlanStep {
  text: string;
  /** Data is deleted or rewritten. */
  danger: boolean;
}

const RULES = ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule', 'authRule', 'manageRule'] as const;
const optionKeys = (f: CollectionField) => Object.keys(f).filter((k) => !['id', 'name', 'type'].includes(k));

export function planChanges(before: CollectionModel, after: CollectionInput): PlanStep[] {
  const steps: PlanStep[] = [];
  if (after.name !== undefined && after.name !== before.name) {
    steps.push({ text: `Rename the collection ${before.name} → ${after.name} (its API path changes)`, danger: false });
  }
  const afterFields = after.fields ?? before.fields;
  const byId = new Map(afterFields.filter((f) => f.id).map((f) => [f.id, f]));
  for (const old of before.fields) {
    const now = old.id ? byId.get(old.id) : afterFields.find((f) => f.name === old.name);
    if (!now) {
      steps.push({ text: `Drop the field ${old.name}: its values in every record are deleted`, danger: !old.system });
      continue;
    }
    if (now.name !== old.name) steps.push({ text: `Rename the field ${old.name} → ${now.name} (values kept)`, danger: false });
    if (now.type !== old.type) {
      steps.push({ text: `Convert ${now.name} from ${old.type} to ${now.type}: values that do not convert become empty`, danger: true });
    } else {
      const changed = [...new Set([...optionKeys(old), ...optionKeys(now)])].filter((k) => JSON.stringify(old[k]) !== JSON.stringify(now[k]));
      if (changed.length > 0) steps.push({ text: `Change ${now.name}'s options: ${changed.join(', ')}`, danger: false });
    }
  }
  for (const f of afterFields) {
    if (!f.id || !before.fields.some((o) => o.id === f.id)) {
      if (!before.fields.some((o) => !o.id && o.name === f.name)) steps.push({ text: `Add the field ${f.name} (${f.type})`, danger: false });
    }
  }
  const oldIdx = new Set(before.indexes);
  const newIdx = new Set(after.indexes ?? before.indexes);
  for (const i of newIdx) if (!oldIdx.has(i)) steps.push({ text: `Create index: ${i}`, danger: false });
  for (const i of oldIdx) if (!newIdx.has(i)) steps.push({ text: `Drop index: ${i}`, danger: false });
  for (const r of RULES) {
    const a = after[r];
    if (a !== undefined && a !== before[r]) steps.push({ text: `Change ${r}: ${describeRule(before[r])} → ${describeRule(a)}`, danger: false });
  }
  if (after.viewQuery !== undefined && after.viewQuery !== before.viewQuery) steps.push({ text: 'Replace the view query', danger: false });
  return steps;
}

const describeRule = (rule: string | null | undefined) => (rule === null || rule === undefined ? 'superusers only' : rule === '' ? 'everyone' : `"${rule}"`);
