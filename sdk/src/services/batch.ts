/**
 * `client.batch()`: queue record writes across collections, then `send()` them as one
 * `POST /api/batch` — one transaction, all or nothing. Files go as multipart parts named
 * `requests.N.field` next to a `@jsonPayload` part holding `{requests}`.
 */
import { collectionPath, type ClientCore } from '../core.ts';
import { hasFiles, splitFiles } from '../transport/request-body.ts';
import { toQueryString } from '../transport/query-string.ts';
import type { RequestOptions } from '../transport/send.ts';
import type { CreateBody, UpdateBody } from '../types/bodies.ts';
import type { CollectionName } from '../types/records.ts';

export interface BatchRequest {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: Record<string, unknown>;
}

/** One sub-request's answer: `body` is the record (null for deletes). */
export interface BatchResult {
  status: number;
  body: unknown;
}

export interface BatchCollection<R> {
  create(body: CreateBody<R>, options?: { expand?: string; fields?: string }): void;
  /** Creates, or updates when `body.id` exists. */
  upsert(body: CreateBody<R> & { id: string }, options?: { expand?: string; fields?: string }): void;
  update(id: string, body: UpdateBody<R>, options?: { expand?: string; fields?: string }): void;
  delete(id: string): void;
}

export class Batch<S> {
  #core: ClientCore;
  #requests: BatchRequest[] = [];

  constructor(core: ClientCore) {
    this.#core = core;
  }

  /** The queued requests (a copy). */
  get requests(): BatchRequest[] {
    return [...this.#requests];
  }

  collection<K extends CollectionName<S>>(name: K): BatchCollection<S[K]> {
    const base = `${collectionPath(name)}/records`;
    const push = (method: BatchRequest['method'], url: string, body?: object) =>
      this.#requests.push({ method, url, body: body as Record<string, unknown> | undefined });
    const qs = (o?: { expand?: string; fields?: string }) => toQueryString({ expand: o?.expand, fields: o?.fields });
    return {
      create: (body, o) => push('POST', base + qs(o), body),
      upsert: (body, o) => push('PUT', base + qs(o), body),
      update: (id, body, o) => push('PATCH', `${base}/${encodeURIComponent(id)}${qs(o)}`, body),
      delete: (id) => push('DELETE', `${base}/${encodeURIComponent(id)}`),
    };
  }

  /** Runs every queued request in one transaction; a failure rejects and nothing is written. */
  send(options: RequestOptions = {}): Promise<BatchResult[]> {
    const requests = this.#requests;
    const withFiles = requests.some((r) => r.body && hasFiles(r.body));
    let body: unknown = { requests };
    if (withFiles) {
      const form = new FormData();
      const json = requests.map((r, i) => (r.body ? { ...r, body: splitFiles(r.body, form, `requests.${i}.`) } : r));
      form.append('@jsonPayload', JSON.stringify({ requests: json }));
      body = form;
    }
    return this.#core.send('/api/batch', { ...options, method: 'POST', body });
  }
}
