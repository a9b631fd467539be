/**
 * Realtime clients live in the process that holds their connection. With several workers, a
 * request naming a client — `POST /api/realtime {clientId}`, an OAuth2 redirect's `state` — can
 * reach another worker than the one holding its stream. A worker's client ids end in its mark
 * (`…_w2`), so the worker that gets such a request runs the operation on the owner over the
 * cluster link and answers with the owner's result, errors included.
 */
import { AppError, type ErrorCode, type ErrorData } from '../shared/errors.ts';
import type { DeliveryResult } from './custom-topics.ts';

export const workerMark = (workerId: number): string => `_w${workerId}`;

/** The worker whose client id this is, or null for an id without a mark. */
export function ownerOf(clientId: string): number | null {
  const m = /_w(\d{1,3})$/.exec(clientId);
  return m ? Number(m[1]) : null;
}

export type ClientOp =
  | { kind: 'topics'; clientId: string; subscriptions: unknown; token: string | null }
  | { kind: 'deliver'; clientId: string; topic: string; data: unknown; fromIp: string | undefined };

export type ClientOpAnswer = { ok: true; delivered?: DeliveryResult } | { ok: false; code: ErrorCode; message: string; data: ErrorData };

/** What a worker needs to reach the others' clients (absent in a single process). */
export interface ClientCalls {
  self: number;
  call(to: number, op: ClientOp): Promise<unknown>;
}

export function isClientOp(op: unknown): op is ClientOp {
  const v = op as { kind?: unknown; clientId?: unknown } | null;
  return !!v && (v.kind === 'topics' || v.kind === 'deliver') && typeof v.clientId === 'string';
}

/** Runs fn, turning its AppError into an answer that crosses the process boundary. */
export function answerOf(fn: () => ClientOpAnswer): ClientOpAnswer {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, message: err.message, data: err.data };
    throw err;
  }
}

/** The owner's answer as the caller's result: its error rethrown here as the same AppError. */
export function resultOf(answer: unknown): ClientOpAnswer & { ok: true } {
  const a = answer as ClientOpAnswer;
  if (!a.ok) throw new AppError(a.code, a.message, a.data);
  return a;
}
