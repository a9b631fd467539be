/** Showing and editing values: table cells, and the server's UTC date text ↔ datetime-local. */
import type { CollectionField } from '@hearth/sdk';

/** Longest text shown in a table cell before it is cut with an ellipsis. */
const CELL_MAX = 80;

export function cellText(value: unknown, field?: CollectionField): string {
  if (value === null || value === undefined || value === '') return '';
  if (field?.type === 'bool') return value ? 'yes' : 'no';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > CELL_MAX ? `${text.slice(0, CELL_MAX - 1)}…` : text;
}

/** `2024-05-01 10:20:30.000Z` → `2024-05-01T10:20` (the input shows UTC, labelled as such). */
export function toLocalInput(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  return value.replace(' ', 'T').slice(0, 16);
}

/** `2024-05-01T10:20` → `2024-05-01 10:20:00.000Z`. */
export function fromLocalInput(value: string): string {
  if (!value) return '';
  return `${value.replace('T', ' ')}:00.000Z`;
}

/** System and computed fields the record form does not edit. */
export const isEditable = (f: CollectionField): boolean =>
  f.type !== 'autodate' && !(f.system && ['tokenKey', 'id'].includes(f.name)) && f.name !== 'tokenKey';
