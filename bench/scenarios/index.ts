/** The scenarios in run order (reads first, then writes; deletes last so no scenario sees holes). */
import { getById } from './get-by-id.ts';
import { listFilter } from './list-filter.ts';
import { listExpand } from './list-expand.ts';
import { insertMember } from './insert-member.ts';
import { updateById } from './update-by-id.ts';
import { deleteById } from './delete-by-id.ts';
import type { Scenario } from './types.ts';

export const SCENARIOS: readonly Scenario[] = [getById, listFilter, listExpand, insertMember, updateById, deleteById];

export type { Scenario, RequestSpec, LoadShape, BuildContext } from './types.ts';
