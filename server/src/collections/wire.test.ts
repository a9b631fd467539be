import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { findField } from './model.ts';
import { expectAppError, openTestEnv, type TestEnv } from './test-support.ts';
import { parseCollectionInput, toWire } from './wire.ts';

let env: TestEnv;
beforeEach(async () => {
  env = openTestEnv();
  await env.service.bootstrapSystemCollections();
});
afterEach(() => env.close());

describe('toWire', () => {
  it('flattens auth options and never includes secrets', async () => {
    const users = env.registry.get('users');
    const wire = toWire(users);
    expect(wire).toMatchObject({
      id: '_pb_users_auth_',
      name: 'users',
      type: 'auth',
      authRule: '',
      manageRule: null,
      passwordAuth: { enabled: true, identityFields: ['email'] },
      authToken: { duration: 604800 },
    });
    expect(wire).not.toHaveProperty('auth');
    expect(wire).not.toHaveProperty('viewQuery');
    expect(JSON.stringify(wire)).not.toContain(users.auth!.tokenSecret!);
    expect(JSON.stringify(wire)).not.toMatch(/tokenSecret|"secret"/);
  });

  it('includes viewQuery for views only', async () => {
    await env.service.create({ name: 'v', type: 'view', viewQuery: 'SELECT id FROM users' });
    expect(toWire(env.registry.get('v')).viewQuery).toBe('SELECT id FROM users');
  });
});

describe('parseCollectionInput', () => {
  it('keeps only the keys that were sent', async () => {
    expect(parseCollectionInput({ listRule: null }, 'x')).toEqual({ listRule: null, auth: {} });
  });

  it('accepts PocketBase < 0.23 shapes (schema, field options, options.query)', async () => {
    const parsed = parseCollectionInput(
      { name: 'v', type: 'view', options: { query: 'SELECT 1' }, schema: [{ name: 'n', type: 'number', options: { min: 1 } }] },
      'x',
    );
    expect(parsed.viewQuery).toBe('SELECT 1');
    expect(parsed.fields?.[0]).toMatchObject({ name: 'n', type: 'number', min: 1 });
  });

  it('reports shape errors in nested data', async () => {
    const err = await expectAppError(() => parseCollectionInput({ name: 1, fields: [1], passwordAuth: { enabled: 'yes' } }, 'Failed to create collection.'));
    expect(err).toBeInstanceOf(AppError);
    expect(Object.keys(err.data).sort()).toEqual(['fields', 'name', 'passwordAuth']);
    expect(err.data).toMatchObject({ fields: { '0': { code: 'validation_invalid_value' } }, passwordAuth: { enabled: {} } });
    expect((await expectAppError(() => parseCollectionInput('nope', 'x'))).code).toBe('bad_request');
  });
});

describe('auth options through the service', () => {
  it('merges nested options partially and keeps the secret', async () => {
    const before = env.registry.get('users');
    const next = await env.service.update('users', { passwordAuth: { enabled: false }, authToken: { duration: 3600 } });
    expect(next.auth).toMatchObject({ passwordAuth: { enabled: false, identityFields: ['email'] }, authToken: { duration: 3600 } });
    expect(next.auth?.tokenSecret).toBe(before.auth?.tokenSecret);
  });

  it('identity fields need a unique index', async () => {
    await env.service.update('users', { fields: [...env.registry.get('users').fields.map((f) => ({ ...f })), { name: 'username', type: 'text' }] });
    const err = await expectAppError(() => env.service.update('users', { passwordAuth: { identityFields: ['email', 'username'] } }));
    expect(err.data).toMatchObject({ passwordAuth: { identityFields: { code: 'validation_missing_unique_constraint' } } });
    const users = env.registry.get('users');
    await env.service.update('users', {
      indexes: [...users.indexes, 'CREATE UNIQUE INDEX idx_username ON users (username)'],
      passwordAuth: { identityFields: ['email', 'username'] },
    });
    expect(env.registry.get('users').auth?.passwordAuth.identityFields).toEqual(['email', 'username']);
  });

  it('auth collections get required system fields and unique indexes', async () => {
    const c = await env.service.create({ name: 'members', type: 'auth' });
    expect(c.fields.filter((f) => f.system).map((f) => f.name)).toEqual(['id', 'password', 'tokenKey', 'email', 'emailVisibility', 'verified', 'created', 'updated']);
    expect(findField(c, 'password')).toMatchObject({ hidden: true, required: true });
    expect(c.indexes.join('\n')).toMatch(/UNIQUE INDEX `idx_tokenKey_pbc_\d+` ON `members` \(`tokenKey`\)/);
    expect(env.db.pluck("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members' AND sql IS NOT NULL")).toHaveLength(2);
  });
});
