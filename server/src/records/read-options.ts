/** Applies manager email access, `expand` and `fields` to records about to be returned (list, view, create, update). */
import { applyFields, parseExpand, parseFields } from '../query/index.ts';
import type { Collection } from '../collections/model.ts';
import type { RequestInfo } from '../rules/index.ts';
import type { RecordsDeps } from './deps.ts';
import { expandRecords, type ExpandTree } from './expand.ts';
import type { ApiRecord } from './serialize.ts';
import { revealManagedEmails } from './managed-emails.ts';

export interface ReadOptions {
  expand?: string;
  fields?: string;
}

export function finishRecords(
  deps: RecordsDeps,
  collection: Collection,
  records: ApiRecord[],
  opts: ReadOptions,
  info: RequestInfo,
): ApiRecord[] {
  revealManagedEmails(deps, collection, records, info);
  if (opts.expand) {
    const tree = parseExpand(opts.expand) as ExpandTree;
    expandRecords(deps, collection, records, tree, info);
  }
  if (opts.fields) {
    const projection = parseFields(opts.fields);
    return records.map((r) => applyFields(r, projection) as ApiRecord);
  }
  return records;
}
