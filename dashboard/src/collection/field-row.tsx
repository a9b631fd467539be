/** One field in the collection editor: name, type, the common flags and the type's options. */
import type { CollectionField, CollectionModel } from '@hearth/sdk';
import { FIELD_TYPES, type OptionSpec } from '../schema/field-types.ts';
import { Checkbox, Labeled } from '../ui/form.tsx';

export interface FieldRowProps {
  field: CollectionField;
  index: number;
  count: number;
  collections: CollectionModel[];
  errors: Record<string, string>;
  onChange: (f: CollectionField) => void;
  onRemove: () => void;
  onMove: (delta: number) => void;
}

function OptionInput(props: { spec: OptionSpec; field: CollectionField; collections: CollectionModel[]; error: string | undefined; onChange: (v: unknown) => void }) {
  const { spec, field } = props;
  const value = field[spec.key];
  if (spec.kind === 'bool') return <Checkbox label={spec.label} checked={value === true} onChange={props.onChange} error={props.error} />;
  return (
    <Labeled label={spec.label} error={props.error} {...(spec.hint ? { hint: spec.hint } : {})}>
      {(id) => {
        if (spec.kind === 'collection') {
          return (
            <select id={id} value={String(value ?? '')} onChange={(e) => props.onChange(e.currentTarget.value)}>
              <option value="">— choose —</option>
              {props.collections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          );
        }
        if (spec.kind === 'number') {
          return (
            <input
              id={id}
              type="number"
              value={value === undefined || value === null ? '' : String(value)}
              onInput={(e) => props.onChange(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}
            />
          );
        }
        if (spec.kind === 'list') {
          const shown = Array.isArray(value) ? value.join(', ') : '';
          return (
            <input
              id={id}
              value={shown}
              onChange={(e) =>
                props.onChange(
                  e.currentTarget.value
                    .split(',')
                    .map((s) => s.trim())
                    .filter(Boolean),
                )
              }
            />
          );
        }
        return <input id={id} value={String(value ?? '')} onInput={(e) => props.onChange(e.currentTarget.value)} />;
      }}
    </Labeled>
  );
}

export function FieldRow(props: FieldRowProps) {
  const { field } = props;
  const set = (key: string, value: unknown) => props.onChange({ ...field, [key]: value });
  const specs = FIELD_TYPES[field.type] ?? [];
  const locked = field.system === true;
  return (
    <fieldset class="field-row" data-field={field.name} disabled={locked}>
      <legend>
        <span class={`badge ${field.type}`}>{field.type}</span> {field.name || 'new field'} {locked && <span class="muted">(system)</span>}
      </legend>
      <div class="row">
        <Labeled label="Name" error={props.errors.name}>
          {(id) => <input id={id} value={field.name} onInput={(e) => set('name', e.currentTarget.value)} />}
        </Labeled>
        <Labeled label="Type" error={props.errors.type}>
          {(id) => (
            <select id={id} value={field.type} onChange={(e) => props.onChange({ name: field.name, type: e.currentTarget.value, ...(field.id ? { id: field.id } : {}) })}>
              {Object.keys(FIELD_TYPES).map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          )}
        </Labeled>
        <Checkbox label="Required" checked={field.required === true} onChange={(v) => set('required', v)} />
        <Checkbox label="Hidden" checked={field.hidden === true} onChange={(v) => set('hidden', v)} />
        <Checkbox label="Presentable" checked={field.presentable === true} onChange={(v) => set('presentable', v)} />
      </div>
      {specs.length > 0 && (
        <div class="row options">
          {specs.map((spec) => (
            <OptionInput key={spec.key} spec={spec} field={field} collections={props.collections} error={props.errors[spec.key]} onChange={(v) => set(spec.key, v)} />
          ))}
        </div>
      )}
      {!locked && (
        <div class="row end">
          <button type="button" class="ghost" disabled={props.index === 0} onClick={() => props.onMove(-1)} aria-label={`Move ${field.name} up`}>
            ↑
          </button>
          <button type="button" class="ghost" disabled={props.index === props.count - 1} onClick={() => props.onMove(1)} aria-label={`Move ${field.name} down`}>
            ↓
          </button>
          <button type="button" class="ghost danger" onClick={props.onRemove}>
            Remove field
          </button>
        </div>
      )}
    </fieldset>
  );
}
