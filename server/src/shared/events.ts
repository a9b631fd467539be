/** A small typed event bus. Records emit `recordChanged` after commit; realtime listens. */

export type RecordAction = 'create' | 'update' | 'delete';

export interface RecordChanged {
  collectionId: string;
  collectionName: string;
  action: RecordAction;
  record: Record<string, unknown>;
  seq?: number;
}

export interface EventMap {
  recordChanged: RecordChanged;
  schemaChanged: { collectionId: string | null };
}

type Handler<T> = (event: T) => void;

export class EventBus {
  private handlers: { [K in keyof EventMap]?: Set<Handler<EventMap[K]>> } = {};

  on<K extends keyof EventMap>(name: K, handler: Handler<EventMap[K]>): () => void {
    const set = (this.handlers[name] ??= new Set()) as Set<Handler<EventMap[K]>>;
    set.add(handler);
    return () => set.delete(handler);
  }

  emit<K extends keyof EventMap>(name: K, event: EventMap[K]): void {
    const set = this.handlers[name] as Set<Handler<EventMap[K]>> | undefined;
    if (!set) return;
    for (const h of set) {
      try {
        h(event);
      } catch {
        // A listener must never break the write path that emitted the event.
      }
    }
  }
}
