/**
 * A raw client of PocketBase's SSE realtime protocol for the OAuth2 redirect scenarios: opens
 * `GET /api/realtime`, learns its client id from `PB_CONNECT`, sets topics with
 * `POST /api/realtime`, and records every event it receives, in order.
 */
import { Waiter } from '../realtime-helpers.ts';

export interface SseEvent {
  event: string;
  data: string;
}

export interface SseClient {
  clientId: string;
  events: SseEvent[];
  subscribe(topics: string[]): Promise<void>;
  /** Resolves with the first event (old or new) named `event`. */
  next(event: string): Promise<SseEvent>;
  /** Resolves with the first event (old or new) that matches. */
  waitFor(match: (e: SseEvent) => boolean, what: string): Promise<SseEvent>;
  close(): void;
}

export async function openSseClient(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(`${url}/api/realtime`, { headers, signal: abort.signal });
  if (!res.ok || !res.body) throw new Error(`realtime: ${res.status}`);
  const events: SseEvent[] = [];
  const waiter = new Waiter();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += value;
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event:'))?.slice(6);
          const data = lines.find((l) => l.startsWith('data:'))?.slice(5);
          if (event !== undefined) events.push({ event, data: data ?? '' });
          waiter.poke();
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  const next = (event: string) => waiter.until(() => events.find((e) => e.event === event), `SSE event ${event}`);
  const connect = await next('PB_CONNECT');
  const clientId = (JSON.parse(connect.data) as { clientId: string }).clientId;
  return {
    clientId,
    events,
    async subscribe(topics) {
      const r = await fetch(`${url}/api/realtime`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ clientId, subscriptions: topics }),
      });
      if (r.status !== 204) throw new Error(`subscribe: ${r.status} ${await r.text()}`);
    },
    next,
    waitFor: (match, what) => waiter.until(() => events.find(match), what),
    close: () => abort.abort(),
  };
}
