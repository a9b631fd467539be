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
  private handlers = new Map<keyof EventMap, Set<Handler<never>>>();

  on<K extends keyof EventMap>(name: K, handler: Handler<EventMap[K]>): () => void {
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(handler as Handler<never>);
    return () => set.delete(handler as Handler<never>);
  }

  emit<K extends keyof EventMap>(name: K, event: EventMap[K]): void {
    const set = this.handlers.get(name) as Set<Handler<EventMap[K]>> | undefined;
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
