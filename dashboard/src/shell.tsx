/**
 * The signed-in layout: sidebar (sections, collections with a search box, theme and sign-out)
 * and the screen for the current route.
 */
import { useState } from 'preact/hooks';
import { client } from './client.ts';
import { useCollections } from './collections-store.ts';
import { NAV } from './nav.ts';
import { href, type Route } from './router.ts';
import { CollectionsList } from './screens/collections-list.tsx';
import { CollectionEditor } from './collection/collection-editor.tsx';
import { RecordsBrowser } from './records/records-browser.tsx';
import { ApiPreview } from './screens/api-preview.tsx';
import { SettingsScreen } from './screens/settings.tsx';
import { Superusers } from './screens/superusers.tsx';
import { lazyScreen } from './ui/lazy.tsx';

const ops = () => import('./ops/screens.ts');
const LogsScreen = lazyScreen(() => ops().then((m) => m.LogsScreen));
const BackupsScreen = lazyScreen(() => ops().then((m) => m.BackupsScreen));
const MetricsScreen = lazyScreen(() => ops().then((m) => m.MetricsScreen));

function screenFor(parts: string[]) {
  const [section = 'collections', name, sub] = parts;
  if (section === 'collections' && name === undefined) return <CollectionsList />;
  if (section === 'new') return <CollectionEditor key="new" name={null} />;
  if (section === 'collections' && name !== undefined) {
    if (sub === 'edit') return <CollectionEditor key={`edit-${name}`} name={name} />;
    if (sub === 'api') return <ApiPreview key={`api-${name}`} name={name} />;
    return <RecordsBrowser key={`records-${name}`} name={name} />;
  }
  if (section === 'settings') return <SettingsScreen />;
  if (section === 'superusers') return <Superusers />;
  if (section === 'logs') return <LogsScreen />;
  if (section === 'backups') return <BackupsScreen />;
  if (section === 'metrics') return <MetricsScreen />;
  return <p class="muted">This page is not available on this server yet.</p>;
}

function toggleTheme() {
  const root = document.documentElement;
  const dark = root.dataset.theme ? root.dataset.theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  root.dataset.theme = dark ? 'light' : 'dark';
  localStorage.setItem('hearth_dashboard_theme', root.dataset.theme);
}

export function Shell(props: { route: Route }) {
  const { list, error } = useCollections();
  const [search, setSearch] = useState('');
  const [section = 'collections', current] = props.route.parts;
  const shown = list.filter((c) => c.name.toLowerCase().includes(search.toLowerCase()));
  return (
    <div class="shell">
      <nav class="sidebar" aria-label="Main">
        <a class="brand" href={href('collections')}>
          Hearth
        </a>
        <ul class="sections">
          {NAV.map((item) => (
            <li key={item.route}>
              {item.ready ? (
                <a href={href(item.route)} aria-current={section === item.route ? 'page' : undefined}>
                  {item.label}
                </a>
              ) : (
                <span class="muted" title="Arrives with its API">
                  {item.label}
                </span>
              )}
            </li>
          ))}
        </ul>
        <input type="search" aria-label="Search collections" placeholder="Search collections" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        {error && <p class="field-error">{error}</p>}
        <ul class="collections" aria-label="Collections">
          {shown.map((c) => (
            <li key={c.id}>
              <a href={href('collections', c.name)} aria-current={section === 'collections' && current === c.name ? 'page' : undefined}>
                <span class={`badge ${c.type}`}>{c.type}</span> {c.name}
              </a>
            </li>
          ))}
        </ul>
        <a class="button" href={href('new')}>
          + New collection
        </a>
        <div class="sidebar-foot">
          <span class="muted" title="Signed in as">
            {String(client.authRecord?.email ?? '')}
          </span>
          <button type="button" class="ghost" onClick={toggleTheme} aria-label="Toggle dark mode">
            ◐
          </button>
          <button type="button" class="ghost" onClick={() => void client.auth('_superusers').signOut()}>
            Sign out
          </button>
        </div>
      </nav>
      <main class="content">{screenFor(props.route.parts)}</main>
    </div>
  );
}
