/**
 * Every bound of the query language in one place. Each guards a resource an anonymous client
 * could otherwise spend freely: parser stack, SQL size, SQLite's expression depth, response work.
 */

/**
 * Filter/rule text length. PocketBase allows 3,500 for client filters; rules are compiled by the
 * same code, so leave headroom for long admin-written rules while refusing 20 kB probes.
 */
export const MAX_FILTER_LENGTH = 4096;

/**
 * Parenthesis nesting. The parser is recursive; 16 levels is far beyond any hand-written filter
 * and keeps both our stack and SQLite's expression tree (limit 1,000) far from their limits.
 */
export const MAX_FILTER_DEPTH = 16;

/**
 * Comparisons in one filter (PocketBase's DefaultFilterExprLimit). Each may become a correlated
 * subquery, so this bounds the work of a single request, not just its size.
 */
export const MAX_FILTER_EXPRESSIONS = 200;

/**
 * Joined tables one client filter or sort may reach: relation hops, back-relations and
 * `@collection` scopes, summed over every identifier. Each is a correlated subquery run for every
 * candidate row, so a filter's cost grows with rows × joins; 16 covers real filters (a handful of
 * relation paths) and refuses the 20-term probes that stalled the server.
 */
export const MAX_FILTER_JOINS = 16;

/**
 * Back-relations (`comments_via_post.…`) in one client filter. Unlike a forward relation (one
 * primary-key look-up) a back-relation fans out to every referencing row, and over a multi
 * relation it cannot use an index at all; 8 keeps the worst case a few index scans per row.
 */
export const MAX_FILTER_BACK_RELATIONS = 8;

/** Sort keys (PocketBase's DefaultSortExprLimit); each may cost a temp B-tree in SQLite. */
export const MAX_SORT_FIELDS = 8;

/** One sort key's length (PocketBase's MaxSortFieldLength); keeps the `sort` parameter bounded. */
export const MAX_SORT_FIELD_LENGTH = 255;

/** Relation levels in one expand path (SPEC §4: 6 levels); each level is another query per record. */
export const MAX_EXPAND_DEPTH = 6;

/**
 * Distinct expand paths in one request. Every path fans out per returned record (perPage up to
 * 1,000), so this caps the query count; 32 covers every realistic view.
 */
export const MAX_EXPAND_PATHS = 32;

/** Length of the `expand` parameter: 32 paths of ~60 characters; bounds work before validation. */
export const MAX_EXPAND_LENGTH = 2048;

/**
 * Length of the `fields` parameter. 2 kB names ~100 nested paths — more than any collection has
 * fields — while bounding the projection tree we build and walk for every record.
 */
export const MAX_FIELDS_LENGTH = 2048;
