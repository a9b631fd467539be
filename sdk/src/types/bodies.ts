/**
 * Write bodies: what `create` and `update` accept for a record type — its own fields (system and
 * response-only keys removed), files as File/Blob, PocketBase modifiers (`'views+'`, `'tags-'`,
 * `'+tags'`) for numbers and multi-valued fields, and password fields on auth records.
 */

/** Keys that are computed or response-only, never written. */
type ReadOnlyKey = 'collectionId' | 'collectionName' | 'created' | 'updated' | 'expand';

/** A value as written: strings (and string lists) may also be files to upload. */
type Writable<V> = V extends string
  ? V | Blob
  : V extends readonly string[]
    ? V | readonly (V[number] | Blob)[]
    : V;

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
