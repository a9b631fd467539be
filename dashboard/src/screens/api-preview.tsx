/**
 * A collection's API: each endpoint with who may call it (its rule) and example requests — curl
 * and @hearth/sdk — built from this collection's fields.
 */
import type { CollectionField, CollectionModel } from '@hearth/sdk';
import { findCollection, useCollections } from '../collections-store.ts';
import { href } from '../router.ts';

function exampleValue(f: CollectionField): unknown {
  switch (f.type) {
    case 'number':
      return 1;
    case 'bool':
      return true;
    case 'email':
      return 'ann@example.com';
    case 'url':
      return 'https://example.com';
    case 'date':
      return '2025-01-01 10:00:00.000Z';
    case 'select':
      return Number(f.maxSelect ?? 1) > 1 ? (f.values as string[] | undefined)?.slice(0, 2) ?? [] : ((f.values as string[] | undefined)?.[0] ?? '');
    case 'json':
      return { key: 'value' };
    case 'relation':
      return Number(f.maxSelect ?? 1) > 1 ? ['RECORD_ID'] : 'RECORD_ID';
    default:
      return 'text';
  }
}

function exampleBody(c: CollectionModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of c.fields) {
    if (f.system || f.type === 'autodate' || f.type === 'file') continue;
    out[f.name] = exampleValue(f);
  }
  if (c.type === 'auth') Object.assign(out, { email: 'ann@example.com', password: 'a long password', passwordConfirm: 'a long password' });
  return out;
}

const who = (rule: string | null | undefined) => (rule === null || rule === undefined ? 'Superusers only' : rule === '' ? 'Everyone' : `Callers matching: ${rule}`);

export function ApiPreview(props: { name: string }) {
  const { list } = useCollections();
  const c = findCollection(list, props.name);
  if (!c) return <p class="muted">Loading…</p>;
  const base = `${location.origin}/api/collections/${c.name}`;
  const body = JSON.stringify(exampleBody(c), null, 2);
  const endpoints: Array<{ title: string; rule: string | null | undefined; curl: string; sdk: string }> = [
    { title: 'List / search', rule: c.listRule, curl: `curl '${base}/records?page=1&perPage=30&sort=-created&filter=...'`, sdk: `await client.collection('${c.name}').list({ page: 1, perPage: 30, filter: '...' });` },
    { title: 'View', rule: c.viewRule, curl: `curl '${base}/records/RECORD_ID'`, sdk: `await client.collection('${c.name}').get('RECORD_ID');` },
  ];
  if (c.type !== 'view') {
    endpoints.push(
      { title: 'Create', rule: c.createRule, curl: `curl -X POST '${base}/records' -H 'Content-Type: application/json' -d '${body}'`, sdk: `await client.collection('${c.name}').create(${body});` },
      { title: 'Update', rule: c.updateRule, curl: `curl -X PATCH '${base}/records/RECORD_ID' -H 'Content-Type: application/json' -d '${body}'`, sdk: `await client.collection('${c.name}').update('RECORD_ID', ${body});` },
      { title: 'Delete', rule: c.deleteRule, curl: `curl -X DELETE '${base}/records/RECORD_ID'`, sdk: `await client.collection('${c.name}').delete('RECORD_ID');` },
    );
  }
  endpoints.push({ title: 'Realtime', rule: c.listRule, curl: `# WebSocket ${location.origin.replace(/^http/, 'ws')}/api/realtime/ws`, sdk: `await client.collection('${c.name}').subscribe({}, (e) => console.log(e.action, e.record));` });
  if (c.type === 'auth') {
    endpoints.push({ title: 'Sign in with password', rule: c.authRule, curl: `curl -X POST '${base}/auth-with-password' -H 'Content-Type: application/json' -d '{"identity":"ann@example.com","password":"…"}'`, sdk: `await client.auth('${c.name}').signIn('ann@example.com', '…');` });
  }
  return (
    <section class="api-preview">
      <header class="page-head">
        <h1>API of {c.name}</h1>
        <a href={href('collections', c.name)}>Records</a>
      </header>
      <p class="muted">Send a token as <code>Authorization: TOKEN</code>. Fields: {c.fields.map((f) => `${f.name} (${f.type})`).join(', ')}.</p>
      {endpoints.map((e) => (
        <article key={e.title} class="endpoint">
          <h2>{e.title}</h2>
          <p class="muted">{who(e.rule)}</p>
          <pre class="mono">{e.curl}</pre>
          <pre class="mono">{e.sdk}</pre>
        </article>
      ))}
    </section>
  );
}
