/** The app's one Hearth client: typed by the generated Schema, session kept in localStorage. */
import { createClient, isHearthError, localStorageStore } from '@hearth/sdk';
import type { Schema } from './hearth-types.ts';

export const HEARTH_URL = import.meta.env.VITE_HEARTH_URL || 'http://127.0.0.1:8090';

export const hearth = createClient<Schema>(HEARTH_URL, { authStore: localStorageStore('hearth-todo-auth') });

export type Hearth = typeof hearth;

/** A readable message for any failure, with the server's per-field messages when it sent some. */
export function messageOf(err: unknown): string {
  if (!isHearthError(err)) return err instanceof Error ? err.message : String(err);
  const fields = Object.keys(err.data).flatMap((name) => {
    const field = err.field(name);
    return field ? [`${name}: ${field.message}`] : [];
  });
  return [err.message, ...fields].join(' ');
}
