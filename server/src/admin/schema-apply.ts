/**
 * Applies a schema document in one transaction (the collections import with deleteMissing):
 * everything in the file is created or updated by id, fields and non-system collections absent
 * from it are dropped. Refuses a plan with destructive steps unless `allowDestructive`.
 */
import type { CollectionsService } from '../collections/index.ts';
import { badRequest } from '../shared/errors.ts';
import { exportSchema, type SchemaDocument } from './schema-file.ts';
import { planSchema, type PlanStep } from './schema-plan.ts';

export interface ApplyResult {
  steps: PlanStep[];
  applied: boolean;
}

export async function applySchema(collections: CollectionsService, desired: SchemaDocument, options: { allowDestructive?: boolean } = {}): Promise<ApplyResult> {
  const steps = planSchema(exportSchema(collections.list()), desired);
  if (steps.length === 0) return { steps, applied: false };
  if (!options.allowDestructive && steps.some((s) => s.destructive)) {
    throw badRequest('The schema plan has destructive steps; confirm them to apply.', { steps: steps.filter((s) => s.destructive) });
  }
  await collections.importCollections(desired.collections, true);
  return { steps, applied: true };
}
