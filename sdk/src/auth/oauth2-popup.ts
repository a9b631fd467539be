/**
 * The all-in-one OAuth2 sign-in for browsers: a popup at the provider, and the code handed back
 * through the server (`/api/oauth2-redirect`) to a short-lived realtime socket listening on
 * `@oauth2`; the code is then exchanged like `signInWithOAuth2`. Its own socket, so subscriptions
 * are untouched. Register `<server>/api/oauth2-redirect` as the redirect URL at the provider.
 */
import { HearthError } from '../errors.ts';
import { realtimeUrl } from '../realtime/protocol.ts';
import { resolveWebSocket, type SocketConstructor, type SocketLike } from '../realtime/socket.ts';

export interface OAuth2PopupOptions {
  provider: string;
  /** Replaces the provider's default scopes. */
  scopes?: string[];
  /** Fields for the record created on first sign-in. */
  createData?: Record<string, unknown>;
  /** Opens the provider's URL yourself (e.g. in a new tab or a native browser) instead of a popup. */
  urlCallback?: (url: string) => void | Promise<void>;
  /** Gives up after this many ms without an answer (default five minutes). */
  timeout?: number;
}

/** What the popup flow hands to the code exchange. */
export interface OAuth2Answer {
  code: string;
  redirectURL: string;
}

export interface PopupLike {
  location: { href: string };
  close(): void;
}

const DEFAULT_TIMEOUT = 5 * 60_000;

/** Opens the (blank) popup; call it synchronously in the click handler, or browsers block it. */
export function openOAuth2Popup(options: OAuth2PopupOptions): PopupLike | null {
  if (options.urlCallback) return null;
  const w = globalThis as unknown as { open?: (url: string, target: string, features: string) => PopupLike | null; screen?: { width: number; height: number } };
  if (typeof w.open !== 'function') return null;
  const width = 1024;
  const height = 768;
  const left = Math.max(0, ((w.screen?.width ?? width) - width) / 2);
  const top = Math.max(0, ((w.screen?.height ?? height) - height) / 2);
  return w.open('about:blank', 'oauth2-popup', `width=${width},height=${height},top=${top},left=${left},resizable,menubar=no`);
}

const failure = (message: string, cause?: unknown) => new HearthError({ status: 0, message, cause });

/** Sends the user to `authURL` (from auth-methods) and resolves with the code the provider returns. */
export async function awaitOAuth2Code(
  baseUrl: string,
  authURL: string,
  popup: PopupLike | null,
  options: OAuth2PopupOptions,
  WebSocketImpl?: SocketConstructor,
): Promise<OAuth2Answer> {
  const redirectURL = `${baseUrl.replace(/\/+$/, '')}/api/oauth2-redirect`;
  const Socket = await resolveWebSocket(WebSocketImpl);
  const socket: SocketLike = new Socket(realtimeUrl(baseUrl));
  try {
    return await new Promise<OAuth2Answer>((resolve, reject) => {
      let clientId = '';
      const timer = setTimeout(() => reject(failure('The OAuth2 sign-in timed out.')), options.timeout ?? DEFAULT_TIMEOUT);
      const fail = (err: HearthError) => {
        clearTimeout(timer);
        reject(err);
      };
      socket.onerror = () => fail(failure('The realtime connection for the OAuth2 sign-in failed.'));
      socket.onclose = () => fail(failure('The realtime connection for the OAuth2 sign-in closed.'));
      socket.onmessage = (event) => {
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(String(event.data)) as Record<string, unknown>;
        } catch {
          return;
        }
        if (msg.type === 'ready' && !clientId) socket.send(JSON.stringify({ type: 'listen', topic: '@oauth2' }));
        else if (msg.type === 'listening' && msg.topic === '@oauth2') {
          clientId = String(msg.clientId ?? '');
          const url = new URL(authURL + encodeURIComponent(redirectURL));
          url.searchParams.set('state', clientId);
          if (options.scopes?.length) url.searchParams.set('scope', options.scopes.join(' '));
          const target = url.toString();
          if (options.urlCallback) void Promise.resolve(options.urlCallback(target)).catch((err: unknown) => fail(failure('Could not open the OAuth2 page.', err)));
          else if (popup) popup.location.href = target;
          else fail(failure('The OAuth2 popup was blocked; call this from a click handler or pass urlCallback.'));
        } else if (msg.type === 'message' && msg.topic === '@oauth2') {
          const data = (msg.data ?? {}) as { state?: string; code?: string; error?: string };
          clearTimeout(timer);
          if (data.state !== clientId) reject(failure("State parameters don't match."));
          else if (data.error || !data.code) reject(failure(`OAuth2 redirect error or missing code: ${data.error ?? ''}`));
          else resolve({ code: data.code, redirectURL });
        } else if (msg.type === 'error') {
          fail(failure(typeof msg.message === 'string' ? msg.message : 'The server refused the OAuth2 listener.'));
        }
      };
    });
  } finally {
    socket.onclose = null;
    socket.close();
    popup?.close();
  }
}
