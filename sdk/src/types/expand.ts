/**
 * Type-level `expand` and `fields`: `list({ expand: 'author,comments_via_post.author' })` yields
 * records whose `expand` holds exactly those relations (typed from the generated record's
 * `expand` map), and `fields: 'id,title'` narrows the record to those keys.
 */
import type { ExpandOf } from './records.ts';

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer L} ` ? Trim<L> : S;

/** `'a,b.c'` → `'a' | 'b.c'`. */
export type SplitList<S extends string> = S extends `${infer A},${infer B}` ? Trim<A> | SplitList<B> : Trim<S>;

type Head<P extends string> = P extends `${infer H}.${string}` ? H : P;
type Tail<P extends string, H extends string> = P extends `${H}.${infer T}` ? T : never;

type ExpandEntry<V, Paths extends string> = V extends readonly (infer X)[] ? WithExpand<X, Paths>[] : WithExpand<V, Paths>;

/** `R` with `expand` limited to the requested relation paths (none: no `expand` key at all). */
export type WithExpand<R, Paths extends string> = [Paths] extends [never]
  ? Omit<R, 'expand'>
  : Omit<R, 'expand'> & {
      expand?: {
        [H in Head<Paths> & keyof ExpandOf<R>]?: ExpandEntry<NonNullable<ExpandOf<R>[H]>, Tail<Paths, H>>;
      };
    };

/** The paths named by an `expand` option (a string literal, or `never` when absent). */
export type ExpandPaths<E> = E extends string ? (string extends E ? string : SplitList<E>) : never;

type FieldName<P extends string> = P extends `${infer N}:${string}` ? N : P;

/** `fields: 'id,title'` keeps those keys; `*`, `expand.…` or a non-literal string keeps all. */
export type WithFields<R, F> = F extends string
  ? string extends F
    ? R
    : '*' extends SplitList<F>
      ? R
      : SplitList<F> extends infer P extends string
        ? Extract<P, `expand.${string}` | 'expand'> extends never
          ? Pick<R, FieldName<P> & keyof R>
          : Pick<R, (FieldName<P> | 'expand') & keyof R>
        : R
  : R;

/** The record a read returns for the given `expand` and `fields` options. */
export type Selected<R, E, F> = WithFields<WithExpand<R, ExpandPaths<E>>, F>;
