/**
 * Record shapes: the system fields every response carries, auth fields, and the open record type
 * used when the client has no generated `Schema`. Generated types (`hearth gen types`) extend these.
 */

/**
 * A stored file's name as records carry it (`hearth gen types` emits file fields as this type).
 * `T` lists the thumb sizes the field serves, so `getFileUrl(record, record.avatar, { thumb })`
 * accepts only those. It is a plain string at runtime; the marker property never exists.
 */
export type FileName<T extends string = string> = string & { readonly __hearthFile?: T };

/** The thumb sizes of a file name typed `FileName<T>`; any string for an untyped name. */
export type ThumbOf<F> = F extends { readonly __hearthFile?: infer T } ? ([T] extends [string] ? (string extends T ? string : T) : string) : string;

/** Fields every record response carries (views have no `created`/`updated` unless selected). */
export interface SystemFields<C extends string = string> {
  id: string;
  collectionId: string;
  collectionName: C;
}

/** Fields of every auth collection's records (`password` and `tokenKey` are never returned). */
export interface AuthFields {
  /** Omitted for other users' records unless `emailVisibility` is true. */
  email: string;
  emailVisibility: boolean;
  verified: boolean;
}

/** A record of a collection the client knows nothing about (no Schema given). */
export interface AnyRecord extends SystemFields {
  created?: string;
  updated?: string;
  expand?: Record<string, any>;
  [field: string]: any;
}

/** A map from collection name to its record type, as emitted by `hearth gen types`. */
export type SchemaShape = { [collection: string]: SystemFields };

/** The Schema of an untyped client: any collection name, open records. */
export type DefaultSchema = { [collection: string]: AnyRecord };

/** Collection names of `S` (any string for the default schema). */
export type CollectionName<S> = keyof S & string;

/** Names of the auth collections of `S` (records carrying the auth fields); any name when untyped. */
export type AuthCollectionName<S> = string extends keyof S
  ? string
  : {
      [K in keyof S & string]: S[K] extends { emailVisibility: boolean; verified: boolean } ? K : never;
    }[keyof S & string];

/** The `expand` map a generated record declares (relation name → record or record[]). */
export type ExpandOf<R> = R extends { expand?: infer E } ? NonNullable<E> : {};

/** A list page as the server returns it. */
export interface ListResult<R> {
  page: number;
  perPage: number;
  /** -1 when `skipTotal` was set. */
  totalItems: number;
  /** -1 when `skipTotal` was set. */
  totalPages: number;
  items: R[];
}

/** What `signIn`, `refresh` and the OAuth2/OTP flows resolve with. */
export interface AuthResult<R> {
  token: string;
  record: R;
  meta?: Record<string, unknown>;
}
