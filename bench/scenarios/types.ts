/**
 * What a scenario is: a name, how much load it gets, and the request list each target is driven
 * with (built per target because auth tokens differ, identical otherwise).
 */
import type { Dataset } from './dataset.ts';

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** JSON text; sent with content-type application/json */
  body?: string;
  /** Authorization header value */
  auth?: string;
}

/**
 * Reads run for a duration; writes send a fixed amount (so id pools are sized exactly), cut off
 * after maxSec so one slow target cannot push a run past its time budget.
 */
export type LoadShape = { durationSec: number } | { amount: number; maxSec: number };

export interface BuildContext {
  data: Dataset;
  /** this target's token for each user id */
  tokens: Map<string, string>;
  /** how many requests to build (the load generator cycles through them) */
  count: number;
  /** first index into the pool this phase may consume (delete ids), so phases never overlap */
  offset: number;
  /** per phase, so rounds differ but every target gets the same list */
  seed: number;
}

export interface Scenario {
  id: string;
  title: string;
  kind: 'read' | 'write';
  /** needs signed-in users */
  auth: boolean;
  /** consumes one pool id per request (delete): the plan sizes the pool and gives offsets */
  consumesIds: boolean;
  build(ctx: BuildContext): RequestSpec[];
  /** Checks one preflight response; returns a reason when it is wrong. */
  check(status: number, body: string): string | null;
}
