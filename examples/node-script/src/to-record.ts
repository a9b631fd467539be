/**
 * CSV text to record bodies, by the collection's field types: numbers, booleans, JSON and
 * multi-valued fields (comma-separated) are converted; empty cells are left out so the server
 * applies its defaults. Values that do not convert are sent as they are, for the server to reject.
 */

export interface FieldInfo {
  name: string;
  type: string;
  maxSelect?: number;
}

export type RowBody = Record<string, unknown>;

const TRUE = /^(true|1|yes|y)$/i;
const FALSE = /^(false|0|no|n)$/i;

function convert(value: string, field: FieldInfo): unknown {
  switch (field.type) {
    case 'number': {
      const n = Number(value);
      return Number.isFinite(n) ? n : value;
    }
    case 'bool':
      return TRUE.test(value) ? true : FALSE.test(value) ? false : value;
    case 'json':
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
    case 'select':
    case 'relation':
      return (field.maxSelect ?? 1) > 1 ? value.split(',').map((v) => v.trim()).filter(Boolean) : value;
    default:
      return value;
  }
}

/** Checks the header against the fields and returns a row → body converter. */
export function rowConverter(header: readonly string[], fields: readonly FieldInfo[]): (row: readonly string[]) => RowBody {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const columns = header.map((name) => {
    const field = byName.get(name.trim());
    if (!field) throw new Error(`Column "${name}" is not a field of the collection (fields: ${[...byName.keys()].join(', ')}).`);
    return field;
  });
  return (row) => {
    const body: RowBody = {};
    columns.forEach((field, i) => {
      const cell = row[i] ?? '';
      if (cell !== '') body[field.name] = convert(cell, field);
    });
    return body;
  };
}
