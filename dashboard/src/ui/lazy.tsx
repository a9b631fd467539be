/**
 * A screen whose code is fetched on first use (a separate Vite chunk), so the first page load
 * carries only what sign-in and the collections need. A chunk that fails to load (the server was
 * upgraded meanwhile) is shown as a message asking for a reload.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorBanner } from './form.tsx';

export function lazyScreen(load: () => Promise<ComponentType>): ComponentType {
  let cached: ComponentType | null = null;
  return function LazyScreen() {
    const [Screen, setScreen] = useState<ComponentType | null>(() => cached);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (Screen) return;
      load().then(
        (c) => setScreen(() => (cached = c)),
        () => setFailed(true),
      );
    }, []);
    if (failed) return <ErrorBanner message="This page could not be loaded; reload the dashboard." />;
    return Screen ? <Screen /> : <p class="muted">Loading…</p>;
  };
}
