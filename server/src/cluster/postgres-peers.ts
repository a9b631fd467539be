/**
 * The PeerLink between nodes on one PostgreSQL database. The database itself announces: a
 * schema-version or settings write NOTIFYs `hearth_notes` with its kind, and a `_changes`
 * insert notifies `hearth_changes` (which the change feed listens to), from a trigger in the
 * writer's transaction, delivered at commit. So `announce` sends nothing, every writer (another
 * node, the CLI) is heard, and a rolled-back write wakes nobody. A node also hears its own
 * notes; re-reading what it already has is harmless. Notes are lost only while the listener
 * connection is down, so each reconnect is reported as both notes: the node re-reads both.
 */
import { NOTES_CHANNEL, type PostgresListener } from '../db/index.ts';
import type { PeerLink, PeerNote } from '../shared/peers.ts';

const NOTES: ReadonlySet<string> = new Set<PeerNote>(['schema', 'settings']);

export function createPostgresPeerLink(listener: PostgresListener, nodeId = 1): PeerLink {
  return {
    workerId: nodeId,
    announce: () => {},
    onNote(handler) {
      listener.on(NOTES_CHANNEL, (payload) => {
        if (NOTES.has(payload)) handler(payload as PeerNote);
      });
      listener.onConnect(() => {
        handler('schema');
        handler('settings');
      });
    },
  };
}
