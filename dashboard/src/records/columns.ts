/** Which columns the records table shows, remembered per collection in localStorage. */
import type { CollectionModel } from '@hearth/sdk';

const key = (c: CollectionModel) => `hearth_dashboard_columns_${c.id}`;
const HIDDEN_BY_DEFAULT = new Set(['tokenKey', 'password']);

export function defaultColumns(c: CollectionModel): string[] {
  return c.fields.filter((f) => !HIDDEN_BY_DEFAULT.has(f.name) && f.type !== 'password').map((f) => f.name);
}

export function loadColumns(c: CollectionModel): string[] {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(key(c)) ?? 'null');
    if (Array.isArray(saved)) {
      const known = new Set(c.fields.map((f) => f.name));
      const kept = saved.filter((n): n is string => typeof n === 'string' && known.has(n));
      if (kept.length > 0) return kept;
    }
  } catch {
    // a corrupt entry falls back to the defaults
  }
  return defaultColumns(c);
}

export function saveColumns(c: CollectionModel, columns: string[]): void {
  localStorage.setItem(key(c), JSON.stringify(columns));
}
