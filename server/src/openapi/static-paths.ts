/** Paths that do not depend on a collection's fields: health, batch, files, the SQL runner, and auth endpoints. */
type Obj = Record<string, unknown>;

const json = (schema: Obj) => ({ 'application/json': { schema } });
const err = (description: string) => ({ description, content: json({ $ref: '#/components/schemas/Error' }) });
const obj = (properties: Obj, required: string[] = []) => ({ type: 'object', properties, ...(required.length ? { required } : {}) });

export function commonPaths(): Obj {
  return {
    '/api/health': {
      get: { operationId: 'health', tags: ['system'], responses: { '200': { description: 'Healthy', content: json(obj({ status: { type: 'integer' }, message: { type: 'string' }, data: { type: 'object' } })) } } },
    },
    '/api/batch': {
      post: {
        operationId: 'batch',
        tags: ['system'],
        description: 'Record writes in one transaction, all or nothing.',
        requestBody: {
          required: true,
          content: json(
            obj(
              {
                requests: {
                  type: 'array',
                  items: obj({ method: { type: 'string', enum: ['POST', 'PATCH', 'PUT', 'DELETE'] }, url: { type: 'string' }, body: { type: 'object' } }, ['method', 'url']),
                },
              },
              ['requests'],
            ),
          ),
        },
        responses: {
          '200': { description: 'One result per request', content: json({ type: 'array', items: obj({ status: { type: 'integer' }, body: {} }, ['status']) }) },
          '400': err('A request failed; nothing was written'),
        },
      },
    },
    '/api/files/{collection}/{recordId}/{filename}': {
      get: {
        operationId: 'file',
        tags: ['files'],
        parameters: [
          { name: 'collection', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'recordId', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'filename', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'thumb', in: 'query', schema: { type: 'string', pattern: '^\\d+x\\d+[tbf]?$' } },
          { name: 'token', in: 'query', schema: { type: 'string' }, description: 'for protected files (POST /api/files/token)' },
          { name: 'download', in: 'query', schema: { type: 'boolean' } },
        ],
        responses: { '200': { description: 'The file', content: { '*/*': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } }, '404': err('Not found') },
      },
    },
    '/api/files/token': {
      post: { operationId: 'fileToken', tags: ['files'], responses: { '200': { description: 'A short-lived file token', content: json(obj({ token: { type: 'string' } }, ['token'])) }, '401': err('Not signed in') } },
    },
  };
}

/** `POST /api/sql`, listed for superusers (the only callers it admits). */
export function superuserPaths(): Obj {
  const column = obj({ name: { type: 'string' }, type: { type: 'string' }, nullable: { type: 'boolean' } }, ['name', 'type', 'nullable']);
  const result = obj(
    {
      execTime: { type: 'integer', description: 'milliseconds' },
      affectedRows: { type: 'integer' },
      columns: { type: 'array', items: column },
      rows: { type: 'array', items: { type: 'array', items: { type: ['string', 'null'] } } },
    },
    ['execTime', 'affectedRows', 'columns', 'rows'],
  );
  return {
    '/api/sql': {
      post: {
        operationId: 'runSql',
        tags: ['system'],
        description: 'Runs raw SQL (one or more statements, several in one transaction); the columns and rows of the last statement that returns rows, at most 1000 rows, values as strings.',
        requestBody: { required: true, content: json(obj({ query: { type: 'string', maxLength: 5000 } }, ['query'])) },
        responses: { '200': { description: 'The result', content: json(result) }, '400': err('Invalid query, an SQLite error, or over the time budget'), '401': err('Not signed in'), '403': err('Not a superuser') },
      },
    },
  };
}

export function authPaths(collection: string, component: string, record: Obj): Obj {
  const base = `/api/collections/${collection}`;
  const tags = [collection];
  const authResponse = { description: 'Signed in', content: json(obj({ token: { type: 'string' }, record, meta: { type: 'object' } }, ['token', 'record'])) };
  const noContent = { '204': { description: 'Done' }, '400': err('Invalid request') };
  const email = obj({ email: { type: 'string' } }, ['email']);
  const post = (id: string, body: Obj | null, responses: Obj) => ({
    post: { operationId: `${id}_${component}`, tags, ...(body ? { requestBody: { required: true, content: json(body) } } : {}), responses },
  });
  return {
    [`${base}/auth-with-password`]: post('authWithPassword', obj({ identity: { type: 'string' }, password: { type: 'string' } }, ['identity', 'password']), { '200': authResponse, '400': err('Failed to authenticate') }),
    [`${base}/auth-refresh`]: post('authRefresh', null, { '200': authResponse, '401': err('Missing or invalid token') }),
    [`${base}/auth-methods`]: { get: { operationId: `authMethods_${component}`, tags, responses: { '200': { description: 'Enabled sign-in methods', content: json({ type: 'object' }) } } } },
    [`${base}/auth-with-oauth2`]: post('authWithOAuth2', obj({ provider: { type: 'string' }, code: { type: 'string' }, codeVerifier: { type: 'string' }, redirectURL: { type: 'string' }, createData: { type: 'object' } }, ['provider', 'code', 'redirectURL']), { '200': authResponse, '400': err('Failed to authenticate') }),
    [`${base}/request-otp`]: post('requestOtp', email, { '200': { description: 'Code sent', content: json(obj({ otpId: { type: 'string' } })) }, '400': err('Invalid request') }),
    [`${base}/auth-with-otp`]: post('authWithOtp', obj({ otpId: { type: 'string' }, password: { type: 'string' } }, ['otpId', 'password']), { '200': authResponse, '400': err('Failed to authenticate') }),
    [`${base}/request-verification`]: post('requestVerification', email, noContent),
    [`${base}/confirm-verification`]: post('confirmVerification', obj({ token: { type: 'string' } }, ['token']), noContent),
    [`${base}/request-password-reset`]: post('requestPasswordReset', email, noContent),
    [`${base}/confirm-password-reset`]: post('confirmPasswordReset', obj({ token: { type: 'string' }, password: { type: 'string' }, passwordConfirm: { type: 'string' } }, ['token', 'password', 'passwordConfirm']), noContent),
    [`${base}/request-email-change`]: post('requestEmailChange', obj({ newEmail: { type: 'string' } }, ['newEmail']), noContent),
    [`${base}/confirm-email-change`]: post('confirmEmailChange', obj({ token: { type: 'string' }, password: { type: 'string' } }, ['token', 'password']), noContent),
  };
}
