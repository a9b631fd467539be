/**
 * Create or edit one record: an input per editable field, the server's per-field errors under
 * each, and — for auth collections — the account actions. JSON fields are parsed before sending.
 */
import type { AnyRecord, CollectionModel } from '@hearth/sdk';
import { useState } from 'preact/hooks';
import { client } from '../client.ts';
import { ErrorBanner, TextInput } from '../ui/form.tsx';
import { Modal } from '../ui/modal.tsx';
import { useSubmit } from '../ui/use-submit.ts';
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
  const fields = collection.fields.filter(isEditable);

  /** The request body, or the fields whose local value cannot be sent (unparseable JSON). */
  const bodyOf = (): { body: Record<string, unknown>; invalid: Record<string, string> } => {
    const body: Record<string, unknown> = {};
    const invalid: Record<string, string> = {};
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
          invalid[f.name] = 'Not valid JSON.';
        }
      }
      if (f.type === 'date' && v === undefined) continue;
      body[f.name] = v;
    }
    return { body, invalid };
  };

  const save = useSubmit(async (body: Record<string, unknown>) => {
    const service = client.collection(collection.name);
    if (record) await service.update(String(record.id), body as never);
    else await service.create(body as never);
    props.onSaved();
  });
  const remove = useSubmit(async () => {
    if (!record || !confirm_(`Delete record ${String(record.id)}?`)) return;
    await client.collection(collection.name).delete(String(record.id));
    props.onSaved();
  });
  const error = save.error ?? remove.error;

  const submit = (e: Event) => {
    e.preventDefault();
    const { body, invalid } = bodyOf();
    if (Object.keys(invalid).length > 0) return save.setError({ message: 'Fix the highlighted fields.', fields: invalid });
    void save.run(body);
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
          <button type="submit" disabled={save.busy}>
            {record ? 'Save record' : 'Create record'}
          </button>
          {record && collection.type !== 'view' && (
            <button type="button" class="danger" onClick={() => void remove.run()} disabled={remove.busy}>
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
