/** The collections a validation sees: the registry, or a working copy during an import. */
import type { Collection } from './model.ts';

export interface Catalog {
  /** By id, or by name (case-insensitive). */
  find(nameOrId: string): Collection | undefined;
  all(): Collection[];
}

export function catalogOf(collections: Iterable<Collection>): Catalog {
  const list = [...collections];
  return {
    all: () => list,
    find: (key) => list.find((c) => c.id === key) ?? list.find((c) => c.name.toLowerCase() === key.toLowerCase()),
  };
}
