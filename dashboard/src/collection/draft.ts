/** The editor's working copy of a collection and the request body it turns into. */
import type { CollectionField, CollectionInput, CollectionModel } from '@hearth/sdk';
import { AUTH_RULES, BASE_RULES, type RuleKey } from './rules-panel.tsx';

export const AUTH_OPTION_KEYS = ['passwordAuth', 'otp', 'mfa', 'oauth2', 'authToken', 'verificationToken', 'passwordResetToken', 'emailChangeToken', 'fileToken'];

export interface Draft {
  name: string;
  type: 'base' | 'auth' | 'view';
  fields: CollectionField[];
  indexes: string[];
  rules: Partial<Record<RuleKey, string | null>>;
  viewQuery: string;
  auth: Record<string, unknown>;
  /** Auth option sections the user changed (only those are sent). */
  authTouched: string[];
}

export function draftOf(c: CollectionModel): Draft {
  const rules: Partial<Record<RuleKey, string | null>> = {};
  for (const k of [...BASE_RULES, ...AUTH_RULES]) if (k in c) rules[k] = (c[k] as string | null | undefined) ?? null;
  const auth: Record<string, unknown> = {};
  for (const k of AUTH_OPTION_KEYS) if (k in c) auth[k] = c[k];
  return { name: c.name, type: c.type, fields: structuredClone(c.fields), indexes: [...c.indexes], rules, viewQuery: c.viewQuery ?? '', auth, authTouched: [] };
}

/** A new collection starts empty: the server adds id, created and updated (and auth fields). */
export function emptyDraft(): Draft {
  return { name: '', type: 'base', fields: [], indexes: [], rules: {}, viewQuery: '', auth: {}, authTouched: [] };
}

export function bodyOf(d: Draft, isNew: boolean): CollectionInput {
  const body: CollectionInput = { name: d.name, indexes: d.indexes };
  if (isNew) body.type = d.type;
  if (d.type !== 'view') body.fields = d.fields;
  else body.viewQuery = d.viewQuery;
  const ruleKeys: RuleKey[] = d.type === 'auth' ? [...BASE_RULES, ...AUTH_RULES] : d.type === 'view' ? ['listRule', 'viewRule'] : [...BASE_RULES];
  for (const k of ruleKeys) body[k] = d.rules[k] === undefined ? null : d.rules[k];
  if (d.type === 'auth') for (const k of d.authTouched) body[k] = d.auth[k];
  return body;
}

/** Which editor tab holds a server error key. */
export function tabOfError(key: string): string {
  if (key.startsWith('fields')) return 'fields';
  if (key.startsWith('indexes')) return 'indexes';
  if (key.endsWith('Rule')) return 'rules';
  if (key === 'viewQuery') return 'query';
  if (AUTH_OPTION_KEYS.some((k) => key.startsWith(k))) return 'auth';
  return 'fields';
}
