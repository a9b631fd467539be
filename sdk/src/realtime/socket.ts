/**
 * The WebSocket implementation: the caller's, else the global one (browsers, Node 22+), else the
 * `ws` package, imported dynamically under a computed name so browser bundlers never include it.
 */

/** The part of the WebSocket API the SDK uses (the DOM's and `ws`'s both fit). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type SocketConstructor = new (url: string) => SocketLike;

export const SOCKET_OPEN = 1;

/** Kept in a variable so bundlers leave the import alone (browsers have a global WebSocket). */
const WS_PACKAGE = 'ws';

export async function resolveWebSocket(custom?: SocketConstructor): Promise<SocketConstructor> {
  if (custom) return custom;
  const global = (globalThis as { WebSocket?: SocketConstructor }).WebSocket;
  if (global) return global;
  try {
    const mod = (await import(/* @vite-ignore */ WS_PACKAGE)) as { default?: SocketConstructor; WebSocket?: SocketConstructor };
    const ctor = mod.WebSocket ?? mod.default;
    if (ctor) return ctor;
  } catch {
    // fall through to the error below
  }
  throw new Error('No WebSocket implementation: install the `ws` package or pass `realtime.WebSocket`.');
}
