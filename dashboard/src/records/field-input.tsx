/** The input for one record field, by type; values are kept in the shape the API takes. */
import type { CollectionField, CollectionModel } from '@hearth/sdk';
import { Labeled } from '../ui/form.tsx';
import { FileInput } from './file-input.tsx';
import { fromLocalInput, toLocalInput } from './format.ts';
import { RelationPicker } from './relation-picker.tsx';

export interface FieldInputProps {
  field: CollectionField;
  value: unknown;
  error: string | undefined;
  collections: CollectionModel[];
  record: { id: string; collectionId: string } | null;
  onChange: (v: unknown) => void;
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v ? [String(v)] : []);

function Control(props: FieldInputProps & { id: string }) {
  const { field, value, id } = props;
  const multiple = Number(field.maxSelect ?? 1) > 1;
  switch (field.type) {
    case 'bool':
      return <input id={id} type="checkbox" checked={value === true} onChange={(e) => props.onChange(e.currentTarget.checked)} />;
    case 'number':
      return <input id={id} type="number" step="any" value={value === null || value === undefined ? '' : String(value)} onInput={(e) => props.onChange(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))} />;
    case 'editor':
      return <textarea id={id} rows={6} value={String(value ?? '')} onInput={(e) => props.onChange(e.currentTarget.value)} />;
    case 'json':
      return <textarea id={id} class="mono" rows={5} value={String(value ?? '')} onInput={(e) => props.onChange(e.currentTarget.value)} />;
    case 'date':
      return <input id={id} type="datetime-local" value={toLocalInput(value)} onInput={(e) => props.onChange(fromLocalInput(e.currentTarget.value))} />;
    case 'select': {
      const values = asList(field.values);
      if (!multiple) {
        return (
          <select id={id} value={String(value ?? '')} onChange={(e) => props.onChange(e.currentTarget.value)}>
            <option value="">—</option>
            {values.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        );
      }
      const chosen = asList(value);
      return (
        <div id={id} class="row wrap" role="group">
          {values.map((v) => (
            <label class="inline" key={v}>
              <input type="checkbox" checked={chosen.includes(v)} onChange={(e) => props.onChange(e.currentTarget.checked ? [...chosen, v] : chosen.filter((x) => x !== v))} /> {v}
            </label>
          ))}
        </div>
      );
    }
    case 'relation': {
      const target = props.collections.find((c) => c.id === field.collectionId);
      return <RelationPicker id={id} target={target} multiple={multiple} value={asList(value)} onChange={(ids) => props.onChange(multiple ? ids : (ids[0] ?? ''))} />;
    }
    case 'file':
      return <FileInput id={id} field={field} value={value} record={props.record} onChange={props.onChange} />;
    case 'password':
      return <input id={id} type="password" autocomplete="new-password" value={String(value ?? '')} onInput={(e) => props.onChange(e.currentTarget.value)} />;
    default: {
      const type = field.type === 'email' ? 'email' : field.type === 'url' ? 'url' : 'text';
      return <input id={id} type={type as 'text'} value={String(value ?? '')} onInput={(e) => props.onChange(e.currentTarget.value)} />;
    }
  }
}

export function FieldInput(props: FieldInputProps) {
  const hint = props.field.type === 'date' ? 'UTC' : props.field.type === 'json' ? 'JSON' : undefined;
  return (
    <Labeled label={props.field.name} error={props.error} {...(hint ? { hint } : {})}>
      {(id) => <Control {...props} id={id} />}
    </Labeled>
  );
}
