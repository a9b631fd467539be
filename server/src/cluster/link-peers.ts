/**
 * Ties one worker's services to its PeerLink: its own commits (records, schema, settings) are
 * announced to the other workers, coalesced to one note per kind per turn of the event loop; the
 * others' notes make it re-read from the database at once — the change log (realtime), the
 * schema version (registry), the settings row. A reload caused by a note is not re-announced.
 */
import type { PeerLink, PeerNote } from '../shared/peers.ts';
import type { EventBus } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';

export interface PeerTargets {
  events: EventBus;
  /** Reloads the registry when another process changed the schema (emits schemaChanged then). */
  refreshSchema(): void;
  reloadSettings(): void;
  onSettingsChange(listener: () => void): void;
  /** The realtime change feed's wake-up. */
  wakeFeed(): void;
  logger: Logger;
}

export function linkPeers(link: PeerLink, t: PeerTargets): void {
  let fromPeer = false;
  const pending = new Set<PeerNote>();
  const flush = (): void => {
    for (const note of pending) link.announce(note);
    pending.clear();
  };
  const announce = (note: PeerNote): void => {
    if (fromPeer) return;
    if (pending.size === 0) setImmediate(flush);
    pending.add(note);
  };
  t.events.on('recordChanged', () => announce('records'));
  t.events.on('schemaChanged', () => announce('schema'));
  t.onSettingsChange(() => announce('settings'));

  link.onNote((note) => {
    fromPeer = true;
    try {
      if (note === 'records') t.wakeFeed();
      else if (note === 'schema') t.refreshSchema();
      else if (note === 'settings') t.reloadSettings();
    } catch (err) {
      t.logger.error(`cluster: applying a "${note}" note of another worker failed`, err);
    } finally {
      fromPeer = false;
    }
  });
}
