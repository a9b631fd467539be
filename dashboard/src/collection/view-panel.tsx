/** A view collection's SELECT, and a preview of the rows the saved view returns. */
import type { AnyRecord } from '@hearth/sdk';
import { useEffect, useState } from 'preact/hooks';
import { client } from '../client.ts';
import { showError } from '../errors.ts';
import { Labeled } from '../ui/form.tsx';

export function ViewPanel(props: { name: string | null; query: string; error: string | undefined; savedAt: string; onChange: (v: string) => void }) {
  const [rows, setRows] = useState<AnyRecord[] | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  useEffect(() => {
    if (!props.name) return;
    client
      .collection(props.name)
      .list({ perPage: 10, skipTotal: true })
      .then((r) => (setRows(r.items as AnyRecord[]), setPreviewError(null)))
      .catch((err: unknown) => setPreviewError(showError(err).message));
  }, [props.name, props.savedAt]);
  const columns = rows && rows[0] ? Object.keys(rows[0]).filter((k) => k !== 'collectionId' && k !== 'collectionName') : [];
  return (
    <div class="view-panel">
      <Labeled label="View query" error={props.error} hint="SELECT … FROM … — must return an id column">
        {(id) => <textarea id={id} class="mono" rows={6} value={props.query} onInput={(e) => props.onChange(e.currentTarget.value)} />}
      </Labeled>
      <h3>Preview {props.name ? '(saved query, first 10 rows)' : '(after the first save)'}</h3>
      {previewError && <p class="field-error">{previewError}</p>}
      {rows && rows.length === 0 && <p class="muted">The view returns no rows.</p>}
      {rows && rows.length > 0 && (
        <div class="table-wrap">
          <table class="grid preview">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={String(r.id)}>
                  {columns.map((c) => (
                    <td key={c}>{typeof r[c] === 'object' ? JSON.stringify(r[c]) : String(r[c] ?? '')}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
