/**
 * Hash routing (`/_/#/collections/posts`): the server only ever serves index.html, and the
 * browser's back/forward work. `useRoute()` re-renders on every change.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  /** Path segments after `#/`, decoded. */
  parts: string[];
}

function current(): Route {
  const raw = location.hash.replace(/^#\/?/, '');
  const path = raw.split('?')[0] ?? '';
  return { parts: path.split('/').filter(Boolean).map((p) => decodeURIComponent(p)) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const onChange = () => setRoute(current());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** `href('collections', name)` → `#/collections/name`, segments escaped. */
export const href = (...parts: string[]): string => `#/${parts.map(encodeURIComponent).join('/')}`;

export function navigate(...parts: string[]): void {
  location.hash = href(...parts);
}
