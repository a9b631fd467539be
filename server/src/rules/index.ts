/**
 * rules/ — access rules compiled to SQL with @request/@collection macros, and authorize(), the
 * single access chokepoint. Imports query/, collections/ (model, registry), db/sql, shared/.
 * Entry points: authorize, compileExpression, validateRule, RecordFieldResolver.
 */
export { authorize, ruleText, type Access, type AuthorizeInput } from './authorize.ts';
export { compileExpression, parseCached, type CompileOptions } from './compile-expression.ts';
export { RecordFieldResolver, MAX_RELATION_HOPS, type AliasCounter } from './field-resolver.ts';
export { validateRule } from './validate-rule.ts';
export { compileSortFor } from './compile-sort.ts';
export { anonymousRequest, inContext, isSuperuser, lazyHeadersInfo, superuserOnlyPart, withRequestBody, REQUEST_CONTEXTS, type RequestContext, type RequestInfo, type RequestAuth } from './request-info.ts';
