/**
 * What services get from the client: an authenticated `send`, the session, and the (lazily
 * created) realtime connection. Services depend on this interface, never on the client itself.
 */
import type { AuthSession } from './auth/auth-session.ts';
import type { RealtimeConnection } from './realtime/connection.ts';
import type { SocketConstructor } from './realtime/socket.ts';
import type { SendOptions } from './transport/send.ts';

export interface ClientCore {
  /** A request with the session's token (refreshed first when about to expire). */
  send<T>(path: string, options?: SendOptions): Promise<T>;
  session: AuthSession;
  realtime(): RealtimeConnection;
  /** The server's base URL (no trailing slash). */
  baseUrl: string;
  /** The WebSocket implementation given in the client options, if any. */
  WebSocket?: SocketConstructor;
}

/** `/api/collections/{name}` with the name escaped. */
export const collectionPath = (name: string): string => `/api/collections/${encodeURIComponent(name)}`;
