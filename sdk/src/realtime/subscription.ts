/**
 * One subscription's bookkeeping, independent of sockets: the last `seq` it has seen (resumes
 * send it as `since`; replayed duplicates are dropped), the resync handshake, and the promise
 * `subscribe()` returns. Pure state + callbacks, so it is unit-tested without a server.
 */
import type { HearthError } from '../errors.ts';
import { safeCall } from '../listeners.ts';
import type { AnyRecord } from '../types/records.ts';
import type { ChangeAction, ClientMessage, SubscribeQuery } from './protocol.ts';

export interface ChangeEvent<R = AnyRecord> {
  action: ChangeAction;
  record: R;
  /** The server's sequence number of this change. */
  seq: number;
}

export interface SubscribeOptions extends SubscribeQuery {
  /**
   * The server could not replay what was missed while disconnected (`since` older than its log).
   * Called once the subscription is live again: refetch whatever you display.
   */
  onResync?: () => void;
  /** The server refused or ended this subscription (403, an invalid filter…); it is removed. */
  onError?: (error: HearthError) => void;
}

export class Subscription {
  readonly id: string;
  readonly collection: string;
  readonly options: SubscribeOptions;
  readonly handler: (event: ChangeEvent) => void;
  /** Highest seq applied; undefined until the server first confirmed the subscription. */
  lastSeq: number | undefined;
  /** True between a `resync` and the fresh subscription's confirmation. */
  resyncing = false;
  confirmed = false;
  #resolve: () => void;
  #reject: (err: HearthError) => void;

  constructor(
    id: string,
    collection: string,
    options: SubscribeOptions,
    handler: (event: ChangeEvent) => void,
    settle: { resolve: () => void; reject: (err: HearthError) => void },
  ) {
    this.id = id;
    this.collection = collection;
    this.options = options;
    this.handler = handler;
    this.#resolve = settle.resolve;
    this.#reject = settle.reject;
  }

  /** The subscribe frame: resumes after `lastSeq` unless a resync asked for a fresh start. */
  subscribeMessage(): ClientMessage {
    const { recordId, filter, expand, fields } = this.options;
    const since = this.resyncing ? undefined : this.lastSeq;
    return { type: 'subscribe', id: this.id, collection: this.collection, recordId, filter, expand, fields, since };
  }

  onSubscribed(seq: number): void {
    const wasResync = this.resyncing;
    if (this.lastSeq === undefined || wasResync) this.lastSeq = seq;
    this.resyncing = false;
    if (!this.confirmed) {
      this.confirmed = true;
      this.#resolve();
    }
    if (wasResync && this.options.onResync) safeCall(this.options.onResync);
  }

  /** Delivers a change unless it was already seen (a replay overlapping what arrived live). */
  onChange(seq: number, action: ChangeAction, record: Record<string, unknown>): boolean {
    if (this.resyncing) return false; // the refetch after resync covers it
    if (this.lastSeq !== undefined && seq <= this.lastSeq) return false;
    this.lastSeq = seq;
    safeCall(() => this.handler({ action, record: record as AnyRecord, seq }));
    return true;
  }

  /** The server can no longer replay from `lastSeq`: the next subscribe starts fresh. */
  onResync(): void {
    this.resyncing = true;
  }

  /** A refusal: rejects the pending `subscribe()` or reports through `onError`. */
  onError(err: HearthError): void {
    if (!this.confirmed) this.#reject(err);
    else if (this.options.onError) safeCall(() => this.options.onError!(err));
  }
}
