/**
 * Create or edit one record: an input per editable field, the server's per-field errors under
 * each, and — for auth collections — the account actions. JSON fields are parsed before sending.
 */
import type { AnyRecord, CollectionModel } from '@hearth/sdk';
import { useState } from 'preact/hooks';
import { client } from '../client.ts';
import { showError, type ShownError } from '../errors.ts';
import { ErrorBanner, TextInput } from '../ui/form.tsx';
import { Modal } from '../ui/modal.tsx';
import { AuthActions } from './auth-actions.tsx';
import { FieldInput } from './field-input.tsx';
import { isEditable } from './format.ts';

function initialValues(collection: CollectionModel, record: AnyRecord | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of collection.fields.filter(isEditable)) {
    const v = record?.[f.name];
    out[f.name] = f.type === 'json' ? (v === undefined || v === null ? '' : JSON.stringify(v, null, 2)) : f.type === 'password' ? '' : v;
  }
  return out;
}

export function RecordForm(props: { collection: CollectionModel; collections: CollectionModel[]; record: AnyRecord | null; onClose: () => void; onSaved: () => void }) {
  const { collection, record } = props;
  const [values, setValues] = useState(() => initialValues(collection, record));
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = collection.fields.filter(isEditable);

  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    const local: Record<string, string> = {};
    for (const f of fields) {
      let v = values[f.name];
      if (f.type === 'password') {
        if (!v) continue;
        body.passwordConfirm = confirm;
      }
      if (f.type === 'json' && typeof v === 'string') {
        try {
          v = v.trim() === '' ? null : JSON.parse(v);
        } catch {
          local[f.name] = 'Not valid JSON.';
        }
      }
      if (f.type === 'date' && v === undefined) continue;
      body[f.name] = v;
    }
    if (Object.keys(local).length > 0) return setError({ message: 'Fix the highlighted fields.', fields: local });
    setBusy(true);
    setError(null);
    try {
      const service = client.collection(collection.name);
      if (record) await service.update(String(record.id), body as never);
      else await service.create(body as never);
      props.onSaved();
    } catch (err) {
      setError(showError(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!record || !confirm_(`Delete record ${String(record.id)}?`)) return;
    try {
      await client.collection(collection.name).delete(String(record.id));
      props.onSaved();
    } catch (err) {
      setError(showError(err));
    }
  };

  const title = record ? `Edit ${collection.name} record` : `New ${collection.name} record`;
  return (
    <Modal title={title} onClose={props.onClose} wide>
      <form onSubmit={submit} class="record-form">
        {record && <p class="muted mono">id {String(record.id)}</p>}
        {fields.map((f) => (
          <div key={f.name}>
            <FieldInput
              field={f}
              value={values[f.name]}
              error={error?.fields[f.name]}
              collections={props.collections}
              record={record ? { id: String(record.id), collectionId: collection.id } : null}
              onChange={(v) => setValues((s) => ({ ...s, [f.name]: v }))}
            />
            {f.type === 'password' && (
              <TextInput label="passwordConfirm" type="password" value={confirm} onInput={setConfirm} error={error?.fields.passwordConfirm} autocomplete="new-password" />
            )}
          </div>
        ))}
        <ErrorBanner message={error?.message} />
        <div class="row">
          <button type="submit" disabled={busy}>
            {record ? 'Save record' : 'Create record'}
          </button>
          {record && collection.type !== 'view' && (
            <button type="button" class="danger" onClick={() => void remove()}>
              Delete record
            </button>
          )}
        </div>
      </form>
      {record && collection.type === 'auth' && <AuthActions collection={collection} record={record} onChanged={props.onSaved} />}
    </Modal>
  );
}

const confirm_ = (text: string): boolean => globalThis.confirm(text);
