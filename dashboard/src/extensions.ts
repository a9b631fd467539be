/**
 * Loads the server's dashboard extensions (`/_/extensions.js`, every extension's `main.js`) as a
 * module script once the app is mounted, as PocketBase's admin UI does. Extensions get the
 * dashboard's SDK client as `window.hearthDashboard.client`. A failing extension is logged, never
 * fatal: the dashboard keeps working.
 */
import { client } from './client.ts';

declare global {
  interface Window {
    hearthDashboard?: { client: typeof client };
  }
}

export function loadExtensions(): void {
  window.hearthDashboard = { client };
  const script = document.createElement('script');
  script.type = 'module'; // top-level await
  script.src = new URL('/_/extensions.js', location.origin).href;
  script.onerror = () => console.warn('Failed to load the dashboard extensions.');
  document.body.appendChild(script);
}
