/**
 * A collection's records: a paged table with sortable and pickable columns, a filter box in the
 * query language (the server's error shown under it), bulk delete, create/edit forms, and live
 * updates — any change event for the collection reloads the page being shown.
 */
import type { AnyRecord, CollectionModel, ListResult } from '@hearth/sdk';
import { useEffect, useState } from 'preact/hooks';
import { client } from '../client.ts';
import { findCollection, useCollections } from '../collections-store.ts';
import { showError } from '../errors.ts';
import { href } from '../router.ts';
import { ExpressionInput } from '../ui/expression-input.tsx';
import { ErrorBanner } from '../ui/form.tsx';
import { loadColumns, saveColumns } from './columns.ts';
import { FileThumbs } from './file-input.tsx';
import { cellText } from './format.ts';
import { RecordForm } from './record-form.tsx';

const PAGE_SIZES = [20, 50, 100];

export function RecordsBrowser(props: { name: string }) {
  const { list, loaded } = useCollections();
  const collection = findCollection(list, props.name);
  if (!loaded) return <p class="muted">Loading…</p>;
  if (!collection) return <ErrorBanner message={`There is no collection named ${props.name}.`} />;
  return <Browser key={collection.id} collection={collection} collections={list} />;
}

function Browser({ collection, collections }: { collection: CollectionModel; collections: CollectionModel[] }) {
  const hasCreated = collection.fields.some((f) => f.name === 'created');
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(PAGE_SIZES[0]!);
  const [sort, setSort] = useState(hasCreated ? '-created' : '');
  const [filterText, setFilterText] = useState('');
  const [filter, setFilter] = useState('');
  const [columns, setColumns] = useState(() => loadColumns(collection));
  const [result, setResult] = useState<ListResult<AnyRecord> | null>(null);
  const [filterError, setFilterError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<AnyRecord | 'new' | null>(null);
  const [reloads, setReloads] = useState(0);
  const [live, setLive] = useState(false);

  useEffect(() => {
    const query = { page, perPage, ...(sort ? { sort } : {}), ...(filter ? { filter } : {}) };
    client
      .collection(collection.name)
      .list(query)
      .then((r) => {
        setResult(r as ListResult<AnyRecord>);
        setError(null);
        setFilterError(null);
      })
      .catch((err: unknown) => {
        const shown = showError(err);
        if (filter) setFilterError(shown.fields.filter ?? shown.message);
        else setError(shown.message);
      });
  }, [collection.id, page, perPage, sort, filter, reloads]);

  useEffect(() => {
    let stop: (() => Promise<void>) | null = null;
    let cancelled = false;
    client
      .collection(collection.name)
      .subscribe({}, () => setReloads((n) => n + 1))
      .then((unsubscribe) => {
        if (cancelled) void unsubscribe();
        else (stop = unsubscribe), setLive(true);
      })
      .catch(() => setLive(false));
    return () => {
      cancelled = true;
      void stop?.();
    };
  }, [collection.id]);

  const fields = new Map(collection.fields.map((f) => [f.name, f]));
  const items = result?.items ?? [];
  const toggleSort = (name: string) => setSort(sort === name ? `-${name}` : sort === `-${name}` ? '' : name);
  const toggleColumn = (name: string) => {
    const next = columns.includes(name) ? columns.filter((c) => c !== name) : collection.fields.map((f) => f.name).filter((n) => n === name || columns.includes(n));
    setColumns(next);
    saveColumns(collection, next);
  };
  const allSelected = items.length > 0 && items.every((r) => selected.has(String(r.id)));
  const bulkDelete = async () => {
    if (!confirm(`Delete ${selected.size} record(s)?`)) return;
    try {
      for (const id of selected) await client.collection(collection.name).delete(id);
      setSelected(new Set());
      setReloads((n) => n + 1);
    } catch (err) {
      setError(showError(err).message);
    }
  };

  return (
    <section class="records" data-collection={collection.name}>
      <header class="page-head">
        <h1>{collection.name}</h1>
        <span class={live ? 'live on' : 'live'} title="Live updates">
          {live ? '● live' : '○ not live'}
        </span>
        <a href={href('collections', collection.name, 'edit')}>Edit collection</a>
        <a href={href('collections', collection.name, 'api')}>API preview</a>
        {collection.type !== 'view' && <button onClick={() => setEditing('new')}>New record</button>}
      </header>
      <div class={filterError ? 'control invalid' : 'control'}>
        <div class="row">
          <ExpressionInput
            label="Filter"
            value={filterText}
            onInput={setFilterText}
            onSubmit={() => (setPage(1), setFilter(filterText.trim()))}
            collection={collection}
            collections={collections}
            placeholder={'Filter, e.g. title ~ "abc" && created > "2024-01-01" (Enter to apply)'}
            invalid={!!filterError}
          />
          <button type="button" onClick={() => (setPage(1), setFilter(filterText.trim()))}>
            Apply
          </button>
        </div>
        {filterError && (
          <small class="field-error" role="alert" data-error-for="filter">
            {filterError}
          </small>
        )}
      </div>
      <div class="row toolbar">
        <details class="column-picker">
          <summary>Columns</summary>
          {collection.fields.map((f) => (
            <label class="inline" key={f.name}>
              <input type="checkbox" checked={columns.includes(f.name)} onChange={() => toggleColumn(f.name)} /> {f.name}
            </label>
          ))}
        </details>
        {selected.size > 0 && collection.type !== 'view' && (
          <button class="danger" onClick={() => void bulkDelete()}>
            Delete selected ({selected.size})
          </button>
        )}
        <span class="muted grow">{result ? `${result.totalItems} record(s)` : ''}</span>
      </div>
      <ErrorBanner message={error} />
      <div class="table-wrap">
        <table class="grid">
          <thead>
            <tr>
              <th class="check">
                <input type="checkbox" aria-label="Select all" checked={allSelected} onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((r) => String(r.id))))} />
              </th>
              {columns.map((c) => (
                <th key={c} aria-sort={sort === c ? 'ascending' : sort === `-${c}` ? 'descending' : undefined}>
                  <button type="button" class="ghost sort" onClick={() => toggleSort(c)}>
                    {c} {sort === c ? '▲' : sort === `-${c}` ? '▼' : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={String(r.id)} data-id={String(r.id)} tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && setEditing(r)}>
                <td class="check">
                  <input
                    type="checkbox"
                    aria-label={`Select ${String(r.id)}`}
                    checked={selected.has(String(r.id))}
                    onChange={(e) => {
                      const next = new Set(selected);
                      if (e.currentTarget.checked) next.add(String(r.id));
                      else next.delete(String(r.id));
                      setSelected(next);
                    }}
                  />
                </td>
                {columns.map((c) => (
                  <td key={c} onClick={() => setEditing(r)}>
                    {fields.get(c)?.type === 'file' ? <FileThumbs value={r[c]} record={{ id: String(r.id), collectionId: collection.id }} /> : cellText(r[c], fields.get(c))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {result && items.length === 0 && <p class="muted center-text">No records{filter ? ' match the filter' : ''}.</p>}
      </div>
      {result && (
        <nav class="row pager" aria-label="Pages">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            ← Previous
          </button>
          <span>
            Page {result.page} of {Math.max(1, result.totalPages)}
          </span>
          <button type="button" disabled={page >= result.totalPages} onClick={() => setPage(page + 1)}>
            Next →
          </button>
          <select aria-label="Per page" value={String(perPage)} onChange={(e) => (setPerPage(Number(e.currentTarget.value)), setPage(1))}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={String(n)}>
                {n} per page
              </option>
            ))}
          </select>
        </nav>
      )}
      {editing && (
        <RecordForm
          collection={collection}
          collections={collections}
          record={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => (setEditing(null), setReloads((n) => n + 1))}
        />
      )}
    </section>
  );
}
