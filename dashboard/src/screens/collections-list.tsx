/** All collections at a glance: type, fields, rules summary; links to records, editor and API. */
import { useCollections } from '../collections-store.ts';
import { href } from '../router.ts';

const ruleSummary = (rule: string | null | undefined) => (rule === null || rule === undefined ? 'superusers' : rule === '' ? 'everyone' : 'rule');

export function CollectionsList() {
  const { list, loaded } = useCollections();
  return (
    <section>
      <header class="page-head">
        <h1>Collections</h1>
        <a class="button" href={href('new')}>
          New collection
        </a>
      </header>
      {!loaded ? (
        <p class="muted">Loading…</p>
      ) : (
        <div class="table-wrap">
          <table class="grid">
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th>Fields</th>
                <th>List / view</th>
                <th>Create / update / delete</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.id}>
                  <td>
                    <a href={href('collections', c.name)}>{c.name}</a>
                  </td>
                  <td>
                    <span class={`badge ${c.type}`}>{c.type}</span>
                  </td>
                  <td>{c.fields.length}</td>
                  <td>
                    {ruleSummary(c.listRule)} / {ruleSummary(c.viewRule)}
                  </td>
                  <td>
                    {ruleSummary(c.createRule)} / {ruleSummary(c.updateRule)} / {ruleSummary(c.deleteRule)}
                  </td>
                  <td class="actions">
                    <a href={href('collections', c.name, 'edit')}>Edit</a> <a href={href('collections', c.name, 'api')}>API</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
