/**
 * Picks related records: a search box over the target collection (its presentable text fields,
 * or the id) and the chosen ids as removable chips; single or multiple by `maxSelect`.
 */
import type { AnyRecord, CollectionModel } from '@hearth/sdk';
import { filterLiteral } from '@hearth/sdk';
import { useEffect, useState } from 'preact/hooks';
import { client } from '../client.ts';
import { showError } from '../errors.ts';

/** How many matches the picker lists at once. */
const PICKER_PAGE = 10;

export function labelOf(record: Record<string, unknown>, target: CollectionModel): string {
  const shown = target.fields.filter((f) => f.presentable && f.name !== 'id').map((f) => record[f.name]);
  const text = shown.filter((v) => v !== undefined && v !== '').join(' · ');
  return text || String(record.name ?? record.title ?? record.email ?? record.id);
}

export function RelationPicker(props: { id: string; target: CollectionModel | undefined; multiple: boolean; value: string[]; onChange: (ids: string[]) => void }) {
  const [q, setQ] = useState('');
  const [results, setResults] = useState<AnyRecord[]>([]);
  const [error, setError] = useState<string | null>(null);
  const target = props.target;

  useEffect(() => {
    if (!target) return;
    const texts = target.fields.filter((f) => ['text', 'email', 'url', 'editor'].includes(f.type) && !f.hidden).map((f) => f.name).slice(0, 4);
    // Field names come from the schema (identifiers); the search text is a quoted literal.
    const terms = ['id', ...texts].map((n) => `${n} ~ ${filterLiteral(q)}`);
    const timer = setTimeout(() => {
      client
        .collection(target.name)
        .list({ perPage: PICKER_PAGE, skipTotal: true, ...(q ? { filter: terms.join(' || ') } : {}) })
        .then((r) => (setResults(r.items as AnyRecord[]), setError(null)))
        .catch((err: unknown) => setError(showError(err).message));
    }, 150);
    return () => clearTimeout(timer);
  }, [q, target?.id]);

  if (!target) return <p class="field-error">The related collection no longer exists.</p>;
  const pick = (id: string) => props.onChange(props.multiple ? [...new Set([...props.value, id])] : [id]);
  return (
    <div class="relation-picker">
      <div class="chips">
        {props.value.map((id) => (
          <span class="chip" key={id}>
            {labelOf(results.find((r) => r.id === id) ?? { id }, target)}
            <button type="button" class="ghost" aria-label={`Remove ${id}`} onClick={() => props.onChange(props.value.filter((v) => v !== id))}>
              ×
            </button>
          </span>
        ))}
      </div>
      <input id={props.id} type="search" placeholder={`Search ${target.name}`} value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      {error && <small class="field-error">{error}</small>}
      <ul class="picker-results" aria-label={`${target.name} records`}>
        {results.map((r) => (
          <li key={String(r.id)}>
            <button type="button" class="ghost" aria-pressed={props.value.includes(String(r.id))} onClick={() => pick(String(r.id))}>
              {labelOf(r, target)} <span class="muted mono">{String(r.id)}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
