/**
 * POST /api/batch: up to MAX_BATCH_REQUESTS record writes in one transaction, all or nothing.
 * Passwords are hashed before the transaction opens (the transaction holds the writer, so it does
 * only database work); events are emitted only after the commit.
 */
import { AppError, STATUS_BY_CODE, badRequest, isAppError } from '../shared/errors.ts';
import { quoteIdent } from '../db/sql.ts';
import type { RequestInfo } from '../rules/index.ts';
import type { RecordsDeps } from './deps.ts';
import { createInTx } from './create-record.ts';
import { updateInTx } from './update-record.ts';
import { deleteInTx } from './delete-record.ts';
import { finishRecords } from './read-options.ts';
import { serializeRecord } from './serialize.ts';
import { checkOldPassword, hashPasswordIfSent, type WriteContext } from './write-context.ts';
import { nameUploads, noFiles, type PreparedFiles } from './record-files.ts';
import { writeWithFiles } from './write-files.ts';
import { newId } from '../shared/ids.ts';

/** PocketBase's default; keeps one transaction (and its write lock) short. */
export const MAX_BATCH_REQUESTS = 50;
/** PocketBase's default time budget of one batch (settings → batch.timeout). */
export const DEFAULT_BATCH_TIMEOUT_MS = 3000;

/** Settings → batch: how many requests one batch may hold and how long it may run. */
export interface BatchLimits {
  maxRequests: number;
  timeoutMs: number;
}

const DEFAULT_LIMITS: BatchLimits = { maxRequests: MAX_BATCH_REQUESTS, timeoutMs: DEFAULT_BATCH_TIMEOUT_MS };

export interface BatchRequest {
  method: string;
  url: string;
  body?: Record<string, unknown>;
}

export interface BatchResponse {
  status: number;
  body: unknown;
}

const RECORD_URL = /^\/api\/collections\/([^/?#]+)\/records(?:\/([^/?#]+))?\/?(?:\?(.*))?$/;

interface Op {
  method: 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  collection: string;
  id?: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  passwordHash?: string;
  files: PreparedFiles & { presetId?: string };
}

function parseOp(req: BatchRequest): Op {
  const method = String(req.method ?? '').toUpperCase();
  const m = RECORD_URL.exec(String(req.url ?? ''));
  if (!m || !['POST', 'PATCH', 'DELETE', 'PUT'].includes(method)) {
    throw badRequest('Invalid batch request: only record create, update, upsert and delete are allowed.');
  }
  const id = m[2] ? decodeSegment(m[2]) : undefined;
  if ((method === 'PATCH' || method === 'DELETE') && !id) throw badRequest('Invalid batch request: missing record id.');
  if (method === 'POST' && id) throw badRequest('Invalid batch request: unexpected record id.');
  const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {};
  return {
    method: method as Op['method'],
    collection: decodeSegment(m[1]!),
    id,
    query: Object.fromEntries(new URLSearchParams(m[3] ?? '')),
    body,
    files: noFiles(body),
  };
}

/** `%ff` is not UTF-8: a bad item URL is that item's 400, not a URIError escaping as a 500. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('Invalid batch request: the URL has malformed percent-encoding.');
  }
}

/** PocketBase's limit on one item's URL. */
export const MAX_BATCH_URL_LENGTH = 2000;
const BATCH_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** Every item's shape first (method, url), as PocketBase: per-item field errors under `requests`. */
function checkItemShapes(requests: unknown[]): void {
  const errors: Record<number, unknown> = {};
  const blank = { code: 'validation_required', message: 'Cannot be blank.' };
  requests.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      errors[i] = { method: blank, url: blank };
      return;
    }
    const { method, url } = item as { method?: unknown; url?: unknown };
    const itemErrors: Record<string, unknown> = {};
    if (method === undefined || method === null || method === '') itemErrors.method = blank;
    else if (typeof method !== 'string' || !BATCH_METHODS.has(method.toUpperCase())) itemErrors.method = { code: 'validation_in_invalid', message: 'Must be a valid value.' };
    if (url === undefined || url === null || url === '') itemErrors.url = blank;
    else if (typeof url !== 'string') itemErrors.url = { code: 'validation_is_string', message: 'Must be a string.' };
    else if (url.length > MAX_BATCH_URL_LENGTH) itemErrors.url = { code: 'validation_length_too_long', message: `The length must be no more than ${MAX_BATCH_URL_LENGTH}.` };
    if (Object.keys(itemErrors).length > 0) errors[i] = itemErrors;
  });
  if (Object.keys(errors).length > 0) throw badRequest('Invalid batch: some requests are malformed.', { requests: errors });
}

function failure(index: number, err: unknown): AppError {
  const inner = isAppError(err) ? err : new AppError('internal', 'Something went wrong while processing your request.');
  return badRequest('Batch transaction failed.', {
    requests: {
      [index]: {
        code: 'batch_request_failed',
        message: 'Batch request failed.',
        // PocketBase's key order for the nested error: data, message, status.
        response: { data: inner.data, message: inner.message, status: STATUS_BY_CODE[inner.code] },
      },
    },
  });
}


export async function runBatch(deps: RecordsDeps, requests: unknown, info: RequestInfo, limits: BatchLimits = DEFAULT_LIMITS): Promise<BatchResponse[]> {
  const { maxRequests } = limits;
  // Checked between requests and before the commit: one statement cannot be interrupted, but the batch stops at the next.
  const deadline = Date.now() + (limits.timeoutMs > 0 ? limits.timeoutMs : DEFAULT_BATCH_TIMEOUT_MS);
  const checkDeadline = () => {
    if (Date.now() > deadline) throw badRequest('Batch transaction failed: it ran past the batch time budget.');
  };
  if (!Array.isArray(requests) || requests.length === 0) {
    throw badRequest('Invalid batch: "requests" must be a non-empty array.', {
      requests: { code: 'validation_required', message: 'Missing required value.' },
    });
  }
  if (requests.length > maxRequests) {
    throw badRequest(`Invalid batch: at most ${maxRequests} requests are allowed.`, {
      requests: { code: 'validation_length_too_long', message: `The maximum allowed items is ${maxRequests}.` },
    });
  }
  checkItemShapes(requests);
  const ops: Op[] = [];
  for (let i = 0; i < requests.length; i++) {
    try {
      const op = parseOp(requests[i] as BatchRequest);
      const collection = deps.registry.get(op.collection);
      if (op.id && op.method !== 'POST') await checkOldPassword(deps, collection, op.id, op.body, { ...info, method: op.method, body: op.body });
      op.passwordHash = await hashPasswordIfSent(deps, collection, op.body);
      op.files = prepareOpFiles(deps, collection, op);
      op.body = op.files.body;
      ops.push(op);
    } catch (err) {
      throw failure(i, err);
    }
  }
  checkDeadline();
  return writeWithFiles(deps, info, ops.map((op) => op.files), async (ctx) => {
    const out: BatchResponse[] = [];
    for (let i = 0; i < ops.length; i++) {
      checkDeadline();
      try {
        out.push(await runOp(ctx, ops[i]!, info));
      } catch (err) {
        throw failure(i, err);
      }
    }
    checkDeadline(); // the budget covers the whole transaction: a slow last request rolls it back too
    return out;
  });
}

/** Uploads of one item, named before the transaction (a create gets its id now: blobs are keyed by it). */
function prepareOpFiles(deps: RecordsDeps, collection: ReturnType<RecordsDeps['registry']['get']>, op: Op): Op['files'] {
  if (op.method === 'DELETE') return noFiles(op.body);
  const given = op.id ?? (typeof op.body.id === 'string' && op.body.id !== '' ? op.body.id : undefined);
  const presetId = given ? undefined : newId();
  return { ...nameUploads(deps.files, collection, given ?? presetId!, op.body), presetId };
}

async function runOp(ctx: WriteContext, op: Op, info: RequestInfo): Promise<BatchResponse> {
  const { deps } = ctx;
  const collection = deps.registry.get(op.collection);
  const opInfo: RequestInfo = { ...info, context: 'batch', method: op.method, body: op.body, query: op.query };
  const opCtx = { ...ctx, info: opInfo };
  if (op.method === 'DELETE') {
    await deleteInTx(opCtx, collection, op.id!);
    return { status: 204, body: null };
  }
  let row;
  if (op.method === 'POST') row = await createInTx(opCtx, collection, op.body, op.passwordHash, op.files);
  else if (op.method === 'PATCH') row = await updateInTx(opCtx, collection, op.id!, op.body, op.passwordHash, op.files);
  else {
    const id = op.id ?? (typeof op.body.id === 'string' ? op.body.id : undefined);
    const exists = id ? await deps.q.get(`SELECT 1 AS ok FROM ${quoteIdent(collection.name)} WHERE "id" = ?`, [id]) : undefined;
    row = exists
      ? await updateInTx(opCtx, collection, id!, op.body, op.passwordHash, op.files)
      : await createInTx(opCtx, collection, { ...op.body, ...(id ? { id } : {}) }, op.passwordHash, op.files);
  }
  const [record] = await finishRecords(deps, collection, [serializeRecord(collection, row, opInfo)], op.query, opInfo);
  return { status: 200, body: record };
}
