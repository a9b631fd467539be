/**
 * The field types and their options as the editor shows them (mirrors the server's definitions:
 * SPEC §2). Each option has a kind that picks its input; `relation` targets pick a collection.
 */
export type OptionKind = 'number' | 'bool' | 'text' | 'list' | 'collection';

export interface OptionSpec {
  key: string;
  label: string;
  kind: OptionKind;
  hint?: string;
}

const num = (key: string, label: string, hint?: string): OptionSpec => ({ key, label, kind: 'number', ...(hint ? { hint } : {}) });
const bool = (key: string, label: string): OptionSpec => ({ key, label, kind: 'bool' });
const text = (key: string, label: string, hint?: string): OptionSpec => ({ key, label, kind: 'text', ...(hint ? { hint } : {}) });
const list = (key: string, label: string, hint?: string): OptionSpec => ({ key, label, kind: 'list', ...(hint ? { hint } : {}) });

export const FIELD_TYPES: Record<string, OptionSpec[]> = {
  text: [num('min', 'Min length'), num('max', 'Max length'), text('pattern', 'Pattern', 'A regular expression'), text('autogeneratePattern', 'Autogenerate pattern')],
  editor: [num('maxSize', 'Max size (bytes)'), bool('convertURLs', 'Convert URLs')],
  number: [num('min', 'Min'), num('max', 'Max'), bool('onlyInt', 'Integers only')],
  bool: [],
  email: [list('onlyDomains', 'Only domains', 'Comma separated'), list('exceptDomains', 'Except domains', 'Comma separated')],
  url: [list('onlyDomains', 'Only domains', 'Comma separated'), list('exceptDomains', 'Except domains', 'Comma separated')],
  date: [text('min', 'Earliest'), text('max', 'Latest')],
  autodate: [bool('onCreate', 'Set on create'), bool('onUpdate', 'Set on update')],
  select: [list('values', 'Values', 'Comma separated'), num('maxSelect', 'Max selected')],
  json: [num('maxSize', 'Max size (bytes)')],
  file: [
    num('maxSelect', 'Max files'),
    num('maxSize', 'Max size (bytes)'),
    list('mimeTypes', 'MIME types', 'Comma separated, e.g. image/png'),
    list('thumbs', 'Thumb sizes', 'Comma separated, e.g. 100x100'),
    bool('protected', 'Protected'),
  ],
  relation: [{ key: 'collectionId', label: 'Related collection', kind: 'collection' }, num('minSelect', 'Min selected'), num('maxSelect', 'Max selected'), bool('cascadeDelete', 'Cascade delete')],
  password: [num('min', 'Min length'), num('max', 'Max length'), text('pattern', 'Pattern')],
};

/** Types a user can add (password belongs to auth collections' system fields). */
export const ADDABLE_TYPES = Object.keys(FIELD_TYPES).filter((t) => t !== 'password');

/** A new field's starting definition. */
export function newField(type: string, name: string): Record<string, unknown> & { name: string; type: string } {
  const base = { name, type, required: false, hidden: false, presentable: false };
  if (type === 'select') return { ...base, values: [], maxSelect: 1 };
  if (type === 'relation') return { ...base, collectionId: '', maxSelect: 1, cascadeDelete: false };
  if (type === 'file') return { ...base, maxSelect: 1, maxSize: 5 * 1024 * 1024, mimeTypes: [], thumbs: [] };
  if (type === 'autodate') return { ...base, onCreate: true, onUpdate: false };
  return base;
}
