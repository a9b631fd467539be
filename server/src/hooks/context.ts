/**
 * The services a hook receives (HookContext) and the conversions between the server's caller
 * (RequestAuth, raw rows) and the hook-facing shapes (HookAuth, serialized records).
 */
import type { CollectionRegistry } from '../collections/registry.ts';
import type { Collection } from '../collections/model.ts';
import type { RecordsService, Row } from '../records/index.ts';
import { serializeRecord } from '../records/index.ts';
import type { RequestAuth, RequestInfo } from '../rules/index.ts';
import type { Logger } from '../shared/logger.ts';
import type { HookAuth, HookCollection, HookContext, HookMail, HookRecord, HookRecords } from './api.ts';

export interface ContextDeps {
  registry: CollectionRegistry;
  records: RecordsService;
  logger: Logger;
  sendMail: (mail: { to: string; subject: string; text: string; html: string }) => Promise<boolean>;
}

const SYSTEM_INFO = { isSuperuser: true } as const;

/** A stored row as hooks see it: every field (hidden ones too), never password or tokenKey. */
export function hookRecord(collection: Collection, row: Row): HookRecord {
  return serializeRecord(collection, row, { auth: SYSTEM_INFO, method: 'GET', query: {}, headers: {}, body: {} } as unknown as RequestInfo) as HookRecord;
}

export const hookCollection = (c: Collection): HookCollection => ({ id: c.id, name: c.name, type: c.type });

export function hookAuth(auth: RequestAuth | null): HookAuth | null {
  if (!auth) return null;
  return { collectionName: auth.collection.name, collectionId: auth.collection.id, record: hookRecord(auth.collection, auth.record as Row), isSuperuser: auth.isSuperuser };
}

function requestAuth(registry: CollectionRegistry, auth: HookAuth | null): RequestAuth | null {
  if (!auth) return null;
  return { collection: registry.get(auth.collectionName), record: auth.record, isSuperuser: auth.isSuperuser };
}

function recordsAs(deps: ContextDeps, auth: () => RequestAuth | null): HookRecords {
  const info = (method: string, body: Record<string, unknown> = {}, query: Record<string, string> = {}): RequestInfo => ({
    auth: auth(),
    method,
    query,
    headers: {},
    body,
  });
  return {
    list: (c, query = {}) => deps.records.list(c, query, info('GET', {}, query)) as never,
    view: async (c, id, query = {}) => (await deps.records.view(c, id, query, info('GET', {}, query))) as HookRecord,
    create: async (c, body) => (await deps.records.create(c, body, {}, info('POST', body))) as HookRecord,
    update: async (c, id, body) => (await deps.records.update(c, id, body, {}, info('PATCH', body))) as HookRecord,
    delete: (c, id) => deps.records.delete(c, id, info('DELETE')),
  };
}

export function createHookContext(deps: ContextDeps): HookContext {
  const superuser = (): RequestAuth => ({ collection: deps.registry.get('_superusers'), record: { id: '' }, isSuperuser: true });
  return {
    records: {
      system: recordsAs(deps, superuser),
      as: (auth) => recordsAs(deps, () => requestAuth(deps.registry, auth)),
    },
    mail: {
      send: (mail: HookMail) => deps.sendMail({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? escapeHtml(mail.text) }),
    },
    logger: deps.logger,
  };
}

function escapeHtml(text: string): string {
  return `<pre>${text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!)}</pre>`;
}
