/**
 * The link between the workers of one deployment. Workers share state only through the database;
 * what travels over this link is a wake-up — "I committed a change of this kind" — so the others
 * read it from the database now instead of at their next safety-net check. Nothing depends on a
 * note arriving: a lost one only delays what the database already holds.
 */

export type PeerNote = 'records' | 'schema' | 'settings';

export interface PeerLink {
  /** This worker's id (1..N), sent as the `X-Hearth-Worker` response header. */
  readonly workerId: number;
  /** Tells the other workers that this one committed a change of this kind. */
  announce(note: PeerNote): void;
  /** Called with each announcement of another worker. */
  onNote(handler: (note: PeerNote) => void): void;
  /**
   * Runs `op` on worker `to` (its `onCall` handler) and resolves with its answer; rejects when
   * that worker is gone or does not answer within CALL_TIMEOUT_MS. For state that lives in one
   * process only — a realtime client's connection.
   */
  call?(to: number, op: unknown): Promise<unknown>;
  onCall?(handler: (op: unknown) => unknown): void;
}

export const CALL_TIMEOUT_MS = 5_000;
