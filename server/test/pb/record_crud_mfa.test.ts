/** PocketBase's `apis/record_crud_mfa_test.go` scenarios, replayed against Hearth. */
import { afterAll, beforeAll, describe } from 'vitest';
import { startAuthFixture, type AuthFixture } from './auth-fixture.ts';
import { runScenarios } from './auth-scenarios.ts';
import { oneTimeAuthCrudScenarios } from './system-crud.ts';

let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(() => fx?.close());

/** PocketBase's stubs (tests.StubMFARecords): the method of each, in stub order. */
const tables = oneTimeAuthCrudScenarios('_mfas', 'method', ['otp', 'otp', 'password', 'password', 'oauth2', 'otp', 'otp', 'otp']);

describe('PocketBase record_crud_mfa', () => {
  for (const [group, scenarios] of Object.entries(tables)) describe(group, () => runScenarios(() => fx, scenarios));
});
