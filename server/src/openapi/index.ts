/**
 * openapi/ — the OpenAPI 3.1 description of the live schema and declared custom routes. Pure:
 * imports collections/ types only; http/ serves it at GET /api/openapi.json, the CLI writes it.
 */
export { buildOpenApi, type OpenApiInput, type DeclaredRoute } from './document.ts';
export { fieldSchema, recordSchema, writeSchema } from './field-schemas.ts';
