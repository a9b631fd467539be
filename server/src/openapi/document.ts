/**
 * The OpenAPI 3.1 document of a live server: record CRUD for every collection (with its fields'
 * JSON schemas), auth endpoints of auth collections, files, batch, health, and custom routes
 * that declared an `openapi` operation. Pure: collections and routes come in as data.
 */
import type { Collection } from '../collections/model.ts';
import { recordSchema, writeSchema } from './field-schemas.ts';
import { authPaths, commonPaths, superuserPaths } from './static-paths.ts';


type Obj = Record<string, unknown>;

export interface DeclaredRoute {
  method: string;
  path: string;
  operation: Obj;
}

export interface OpenApiInput {
  collections: Collection[];
  routes: DeclaredRoute[];
  /** Superusers see every collection and hidden fields; others only what some rule opens to them. */
  superuser: boolean;
  serverUrl?: string;
  version: string;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Obj) => ({ 'application/json': { schema } });
export const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });

/** Component-safe, unique per collection. */
const componentName = (c: Collection) => c.name.replace(/[^A-Za-z0-9._-]/g, '_');

const LIST_PARAMS = [
  { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
  { name: 'perPage', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
  { name: 'sort', in: 'query', schema: { type: 'string' } },
  { name: 'filter', in: 'query', schema: { type: 'string' } },
  { name: 'expand', in: 'query', schema: { type: 'string' } },
  { name: 'fields', in: 'query', schema: { type: 'string' } },
  { name: 'skipTotal', in: 'query', schema: { type: 'boolean' } },
];
const READ_PARAMS = LIST_PARAMS.filter((p) => p.name === 'expand' || p.name === 'fields');
const ID_PARAM = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

const reachable = (c: Collection) =>
  [c.listRule, c.viewRule, c.createRule, c.updateRule, c.deleteRule].some((r) => r !== null) || c.type === 'auth';

function recordPaths(c: Collection, schemas: Obj): Obj {
  const n = componentName(c);
  schemas[`${n}Record`] = recordSchema(c, false);
  schemas[`${n}List`] = {
    type: 'object',
    properties: {
      page: { type: 'integer' },
      perPage: { type: 'integer' },
      totalItems: { type: 'integer' },
      totalPages: { type: 'integer' },
      items: { type: 'array', items: ref(`${n}Record`) },
    },
    required: ['page', 'perPage', 'totalItems', 'totalPages', 'items'],
  };
  const tags = [c.name];
  const base = `/api/collections/${c.name}/records`;
  const record = { description: 'The record', content: json(ref(`${n}Record`)) };
  const failures = { '400': errorResponse('Invalid request'), '403': errorResponse('Not allowed'), '404': errorResponse('Not found') };
  const out: Obj = {
    [base]: {
      get: { operationId: `list_${n}`, tags, parameters: LIST_PARAMS, responses: { '200': { description: 'A page of records', content: json(ref(`${n}List`)) }, '400': failures['400'] } },
    },
    [`${base}/{id}`]: {
      get: { operationId: `view_${n}`, tags, parameters: [ID_PARAM, ...READ_PARAMS], responses: { '200': record, '404': failures['404'] } },
    },
  };
  if (c.type !== 'view') {
    schemas[`${n}Create`] = writeSchema(c, true);
    schemas[`${n}Update`] = writeSchema(c, false);
    const body = (name: string) => ({ required: true, content: { ...json(ref(name)), 'multipart/form-data': { schema: ref(name) } } });
    (out[base] as Obj).post = { operationId: `create_${n}`, tags, parameters: READ_PARAMS, requestBody: body(`${n}Create`), responses: { '200': record, ...failures } };
    Object.assign(out[`${base}/{id}`] as Obj, {
      patch: { operationId: `update_${n}`, tags, parameters: [ID_PARAM, ...READ_PARAMS], requestBody: body(`${n}Update`), responses: { '200': record, ...failures } },
      delete: { operationId: `delete_${n}`, tags, parameters: [ID_PARAM], responses: { '204': { description: 'Deleted' }, ...failures } },
    });
  }
  if (c.type === 'auth') Object.assign(out, authPaths(c.name, n, ref(`${n}Record`)));
  return out;
}

export function buildOpenApi(input: OpenApiInput): Obj {
  const schemas: Obj = {
    Error: {
      type: 'object',
      properties: { status: { type: 'integer' }, message: { type: 'string' }, data: { type: 'object' } },
      required: ['status', 'message', 'data'],
    },
  };
  const paths: Obj = { ...commonPaths(), ...(input.superuser ? superuserPaths() : {}) };
  const collections = input.collections.filter((c) => input.superuser || (!c.name.startsWith('_') && reachable(c)));
  for (const c of [...collections].sort((a, b) => a.name.localeCompare(b.name))) {
    const generated = recordPaths(c, schemas);
    if (input.superuser) schemas[`${componentName(c)}Record`] = recordSchema(c, true);
    Object.assign(paths, generated);
  }
  for (const r of input.routes) {
    const item = (paths[r.path] ??= {}) as Obj;
    item[r.method.toLowerCase()] = { responses: { '200': { description: 'OK' } }, ...r.operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Hearth API', version: input.version, description: 'Generated from the live collections and the declared custom routes.' },
    ...(input.serverUrl ? { servers: [{ url: input.serverUrl }] } : {}),
    components: { schemas, securitySchemes: { token: { type: 'apiKey', in: 'header', name: 'Authorization' } } },
    security: [{}, { token: [] }],
    paths,
  };
}
