/** PocketBase's `apis/record_crud_otp_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startAuthFixture, type AuthFixture } from './auth-fixture.ts';
import { runScenarios } from './auth-scenarios.ts';
import { oneTimeAuthCrudScenarios } from './system-crud.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

/** PocketBase's stubs (tests.StubOTPRecords) all carry the same placeholder password. */
const tables = oneTimeAuthCrudScenarios('_otps', 'password', Array<string>(8).fill('stub-not-a-hash'));

// The code a superuser writes is stored as a password hash and never echoed.
tables.create[2]!.notExpect = ['"password"', '"abc"'];
tables.create[2]!.after = async (f, res) => {
  const row = await f.server.engine.get<{ password: string }>('SELECT "password" FROM "_otps" WHERE "id" = ?', [res.body.id]);
  expect(row?.password).toMatch(/^scrypt\$/);
};

describe('PocketBase record_crud_otp', () => {
  for (const [group, scenarios] of Object.entries(tables)) describe(group, () => runScenarios(() => fx, scenarios));
});
