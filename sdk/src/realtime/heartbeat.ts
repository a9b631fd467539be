/** Liveness of a socket: a ping every `every` ms, and `onDead` once nothing arrived for twice that. */
export function startHeartbeat(every: number, lastMessageAt: () => number, ping: () => void, onDead: () => void): () => void {
  if (every <= 0) return () => undefined;
  const timer = setInterval(() => {
    if (Date.now() - lastMessageAt() > 2 * every) onDead();
    else ping();
  }, every);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
