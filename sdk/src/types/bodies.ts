/**
 * Write bodies: what `create` and `update` accept for a record type — its own fields (system and
 * response-only keys removed), File/Blob uploads for file fields (typed `FileName` by
 * `hearth gen types`), PocketBase modifiers (`'views+'`, `'tags-'`, `'+tags'`, `'files-'` by
 * name) for numbers and multi-valued fields, and password fields on auth records.
 */

/** Keys that are computed or response-only, never written. */
type ReadOnlyKey = 'collectionId' | 'collectionName' | 'created' | 'updated' | 'expand';

/** True for `FileName<…>` (a string carrying the file marker), false for a plain string. */
type IsFileName<V> = [V] extends [string] ? ('__hearthFile' extends keyof V ? true : false) : false;

/** A value as written: a file field also takes files to upload (a list field, a mix of kept names and files). */
type Writable<V> = V extends unknown
  ? IsFileName<V> extends true
    ? V | Blob
    : V extends readonly (infer E)[]
      ? IsFileName<E> extends true
        ? V | readonly (E | Blob)[]
        : V
      : V
  : never;

type OwnKeys<R> = Exclude<keyof R & string, ReadOnlyKey>;

type AuthExtras<R> = R extends { emailVisibility: boolean; verified: boolean }
  ? { password?: string; passwordConfirm?: string; oldPassword?: string }
  : {};

type ModifierKeys<R> = {
  [K in OwnKeys<R> as NonNullable<R[K]> extends number
    ? `${K}+` | `${K}-`
    : NonNullable<R[K]> extends readonly unknown[]
      ? `${K}+` | `+${K}` | `${K}-`
      : never]?: NonNullable<R[K]> extends number
    ? number
    : NonNullable<R[K]> extends readonly (infer E)[]
      ? Writable<E> | readonly Writable<E>[]
      : never;
};

/** The body of `create`: every own field optional (the server reports missing required ones). */
export type CreateBody<R> = { [K in OwnKeys<R>]?: Writable<R[K]> } & AuthExtras<R>;

/** The body of `update`: like create, plus modifiers. */
export type UpdateBody<R> = Omit<CreateBody<R>, 'id'> & ModifierKeys<R>;
