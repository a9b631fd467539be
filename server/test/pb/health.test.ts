/** PocketBase's `apis/health_test.go` scenarios. */
import { afterAll, beforeAll, describe } from 'vitest';
import { startServer, type TestServer } from '../harness.ts';
import { runScenarios, target, type ScenarioTarget } from './scenario.ts';

let t: TestServer;
let shared: ScenarioTarget;

beforeAll(async () => {
  t = await startServer();
  await t.api('POST', '/api/collections/users/records', { email: 'test@example.com', password: '1234567890', passwordConfirm: '1234567890' }, t.adminToken);
  const user = await t.api('POST', '/api/collections/users/auth-with-password', { identity: 'test@example.com', password: '1234567890' });
  shared = target(t.url, { superuser: t.adminToken, user: user.body.token });
});
afterAll(() => t?.close());

const PRIVATE = ['canBackup', 'realIP', 'possibleProxyHeader'];

describe('GET /api/health (TestHealthAPI)', () => {
  runScenarios(
    [
      { name: 'GET health status (guest)', method: 'GET', url: '/api/health', status: 200, expect: ['"code":200', '"data":{}'], notExpect: PRIVATE },
      { name: 'GET health status (regular user)', method: 'GET', url: '/api/health', auth: 'user', status: 200, expect: ['"code":200', '"data":{}'], notExpect: PRIVATE },
      { name: 'GET health status (superuser)', method: 'GET', url: '/api/health', auth: 'superuser', status: 200, expect: ['"code":200', '"data":{', '"canBackup":true', '"realIP"', '"possibleProxyHeader"'] },
    ],
    () => shared,
  );
});
