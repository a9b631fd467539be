/**
 * One copy of strings that many subscriptions keep alike: the SQL text of compiled filters and
 * the column names of in-memory conditions. 10,000 subscriptions filtering `topic = "x"` keep one
 * `t."topic" IS ?` instead of 10,000 — each, as built by the compiler, a tree of concatenations
 * (a rope of ~8 nodes) that V8 keeps as such. Bounded: past MAX_INTERNED distinct strings the
 * pool starts again (strings already handed out stay valid; only sharing is lost).
 */

/** Distinct SQL shapes and column names seen; a few hundred in any real app. */
export const MAX_INTERNED = 10_000;

const pool = new Map<string, string>();

/** The pool's copy of `s`, flat. */
export function intern(s: string): string {
  const hit = pool.get(s);
  if (hit !== undefined) return hit;
  if (pool.size >= MAX_INTERNED) pool.clear();
  // A fresh sequential copy (a rope would keep its nodes); made once per distinct string.
  const flat = Buffer.from(s, 'utf8').toString('utf8');
  pool.set(flat, flat);
  return flat;
}
