/** Nested validation errors in PocketBase's `data` shape: `{fields: {"2": {name: {code, message}}}}`. */
import { AppError, type FieldError } from '../shared/errors.ts';

export interface ErrorTree {
  [key: string]: FieldError | ErrorTree;
}

/** Sets `err` at `path` unless an error is already there (the first problem wins, like PB). */
export function setError(tree: ErrorTree, path: readonly (string | number)[], err: FieldError): void {
  let node = tree;
  for (let i = 0; i < path.length - 1; i++) {
    const key = String(path[i]);
    const next = node[key];
    if (next && 'code' in next && typeof next.code === 'string') return;
    node = (node[key] ??= {}) as ErrorTree;
  }
  const last = String(path[path.length - 1]);
  if (!node[last]) node[last] = err;
}

export const hasErrors = (tree: ErrorTree): boolean => Object.keys(tree).length > 0;

export function throwIfErrors(tree: ErrorTree, message: string): void {
  if (hasErrors(tree)) throw new AppError('validation', message, tree);
}
