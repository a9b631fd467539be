/**
 * What a rule or filter may know about the request: who is calling and what they sent.
 * Built by http/ from the request; transport-agnostic so realtime and batch can build it too.
 */
import type { Collection } from '../collections/model.ts';

export interface RequestAuth {
  collection: Collection;
  /** The caller's raw row from its auth collection table. */
  record: Record<string, unknown>;
  isSuperuser: boolean;
}

export interface RequestInfo {
  auth: RequestAuth | null;
  method: string;
  query: Record<string, string>;
  /** Lower-cased names with `-` replaced by `_`, as PocketBase exposes them to rules. */
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export const anonymousRequest = (method = 'GET'): RequestInfo => ({
  auth: null,
  method,
  query: {},
  headers: {},
  body: {},
});

export const isSuperuser = (info: RequestInfo): boolean => info.auth?.isSuperuser === true;
