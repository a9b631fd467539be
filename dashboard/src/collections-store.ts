/**
 * The collection definitions every screen needs (sidebar, relation pickers, rule autocomplete):
 * loaded once, reloaded after any schema change, shared through `useCollections()`.
 */
import type { CollectionModel } from '@hearth/sdk';
import { useEffect, useState } from 'preact/hooks';
import { client } from './client.ts';
import { showError } from './errors.ts';

interface State {
  list: CollectionModel[];
  loaded: boolean;
  error: string | null;
}

let state: State = { list: [], loaded: false, error: null };
const listeners = new Set<(s: State) => void>();
let inflight: Promise<void> | null = null;

function set(next: State): void {
  state = next;
  for (const l of listeners) l(state);
}

export function reloadCollections(): Promise<void> {
  inflight ??= client.collections
    .listAll()
    .then(
      (list) => set({ list: list.sort((a, b) => a.name.localeCompare(b.name)), loaded: true, error: null }),
      (err: unknown) => set({ ...state, loaded: true, error: showError(err).message }),
    )
    .finally(() => (inflight = null));
  return inflight;
}

export function useCollections(): State {
  const [s, setS] = useState(state);
  useEffect(() => {
    listeners.add(setS);
    if (!state.loaded) void reloadCollections();
    return () => void listeners.delete(setS);
  }, []);
  return s;
}

export const findCollection = (list: CollectionModel[], nameOrId: string): CollectionModel | undefined =>
  list.find((c) => c.name === nameOrId || c.id === nameOrId);
