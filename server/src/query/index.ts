/**
 * query/ — the filter language (lexer, parser, AST, compiler to parameterised SQLite), sort,
 * expand and fields parsing, and their limits. Pure: imports only ../shared/ (errors).
 * Entry points: parseFilter, compileFilter, parseSort, compileSort, parseExpand, parseFields,
 * applyFields. Schema knowledge comes in through the FieldResolver interface (resolver.ts).
 */
export type { FieldResolver, Identifier, Resolved, SqlFragment, SqlValue } from './resolver.ts';
export type { Comparison, Expr, Group, Literal, Operand, Operator } from './ast.ts';
export { parseFilter } from './parser.ts';
export { tokenize, OPERATORS, type Token } from './lexer.ts';
export { parseIdentifier } from './identifier.ts';
export { compileFilter, type CompileFilterOptions } from './compile-filter.ts';
export { likePattern } from './like-pattern.ts';
export { parseSort, compileSort, type SortItem, type CompileSortOptions } from './sort.ts';
export { parseExpand, type ExpandTree } from './expand.ts';
export { parseFields, type FieldsNode, type FieldModifier, type ExcerptModifier } from './fields.ts';
export { applyFields } from './apply-fields.ts';
export { excerpt } from './excerpt.ts';
export { queryError, type QueryParam } from './query-error.ts';
export * from './limits.ts';
