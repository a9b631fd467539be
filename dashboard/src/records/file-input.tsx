/**
 * File fields: the stored files (thumbnails for images) with remove buttons, and a picker for new
 * ones with local previews. The value is the API's: kept names plus new File objects, which the
 * SDK uploads as multipart.
 */
import type { CollectionField } from '@hearth/sdk';
import { useEffect, useMemo } from 'preact/hooks';
import { client } from '../client.ts';

const IMAGE = /\.(png|jpe?g|gif|webp)$/i;

/** A table cell's view of a file field: thumbs of the stored images (up to three), names of the rest. */
export function FileThumbs(props: { value: unknown; record: { id: string; collectionId: string } }) {
  const names = (Array.isArray(props.value) ? props.value : props.value ? [props.value] : []).map(String);
  return (
    <>
      {names.slice(0, 3).map((name) =>
        IMAGE.test(name) ? <img key={name} class="thumb small" src={client.fileUrl(props.record, name, { thumb: '100x100' })} alt={name} width={28} height={28} /> : <span key={name} class="mono">{name} </span>,
      )}
      {names.length > 3 && <span class="muted">+{names.length - 3}</span>}
    </>
  );
}

export function FileInput(props: { id: string; field: CollectionField; value: unknown; record: { id: string; collectionId: string } | null; onChange: (v: unknown) => void }) {
  const multiple = Number(props.field.maxSelect ?? 1) > 1;
  const items: Array<string | File> = Array.isArray(props.value) ? props.value : props.value ? [props.value as string | File] : [];
  const previews = useMemo(() => new Map(items.filter((i): i is File => i instanceof File).map((f) => [f, URL.createObjectURL(f)])), [props.value]);
  useEffect(() => () => previews.forEach((u) => URL.revokeObjectURL(u)), [previews]);
  const set = (next: Array<string | File>) => props.onChange(multiple ? next : (next[next.length - 1] ?? ''));
  return (
    <div class="file-input">
      <ul class="files">
        {items.map((item, i) => {
          const name = typeof item === 'string' ? item : item.name;
          const src = typeof item === 'string' ? (props.record && IMAGE.test(item) ? client.fileUrl(props.record, item, { thumb: '100x100' }) : null) : previews.get(item);
          return (
            <li key={`${name}-${i}`}>
              {src ? <img class="thumb" src={src} alt={name} width={48} height={48} /> : <span class="thumb placeholder">📄</span>}
              <span class="mono">{name}</span>
              <button type="button" class="ghost" aria-label={`Remove ${name}`} onClick={() => set(items.filter((_, j) => j !== i))}>
                ×
              </button>
            </li>
          );
        })}
      </ul>
      <input id={props.id} type="file" multiple={multiple} onChange={(e) => set([...items, ...Array.from(e.currentTarget.files ?? [])])} />
    </div>
  );
}
