/** Indexes as SQL (`CREATE [UNIQUE] INDEX name ON table (cols)`), with a helper for one column. */
import type { CollectionField } from '@hearth/sdk';
import { useState } from 'preact/hooks';

export function IndexesPanel(props: { table: string; fields: CollectionField[]; indexes: string[]; errors: Record<string, string>; onChange: (v: string[]) => void }) {
  const [column, setColumn] = useState('');
  const [unique, setUnique] = useState(false);
  const add = () => {
    if (!column) return;
    const name = `idx_${props.table}_${column}`.replace(/\W/g, '_');
    props.onChange([...props.indexes, `CREATE ${unique ? 'UNIQUE ' : ''}INDEX \`${name}\` ON \`${props.table}\` (\`${column}\`)`]);
  };
  return (
    <div class="indexes">
      {props.indexes.length === 0 && <p class="muted">No indexes.</p>}
      {props.indexes.map((sql, i) => (
        <div class={props.errors[`indexes.${i}`] ? 'control invalid' : 'control'} key={i}>
          <div class="row">
            <input
              class="mono grow"
              aria-label={`Index ${i + 1}`}
              value={sql}
              onInput={(e) => props.onChange(props.indexes.map((s, j) => (j === i ? e.currentTarget.value : s)))}
            />
            <button type="button" class="ghost danger" onClick={() => props.onChange(props.indexes.filter((_, j) => j !== i))}>
              Remove
            </button>
          </div>
          {props.errors[`indexes.${i}`] && <small class="field-error">{props.errors[`indexes.${i}`]}</small>}
        </div>
      ))}
      <div class="row">
        <select aria-label="Index column" value={column} onChange={(e) => setColumn(e.currentTarget.value)}>
          <option value="">— column —</option>
          {props.fields.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name}
            </option>
          ))}
        </select>
        <label class="inline">
          <input type="checkbox" checked={unique} onChange={(e) => setUnique(e.currentTarget.checked)} /> Unique
        </label>
        <button type="button" onClick={add} disabled={!column}>
          Add index
        </button>
      </div>
    </div>
  );
}
