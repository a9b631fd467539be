import { defineConfig } from 'vitest/config';

/**
 * The shared suites that run a second time with every test server on PostgreSQL (the harness's
 * HEARTH_TEST_DB=postgres; one PostgreSQL for the run). docs/scaling.md lists them, and the suites
 * that cannot run there yet with the reason.
 */
export const POSTGRES_SUITES = [
  'server/test/pb/record-crud-*.test.ts',
  'server/test/pb/record_auth_*.test.ts',
  'server/test/pb/record_crud_*.test.ts',
  ...['records-crud', 'access-rules', 'request-context-rule', 'auth-tokens', 'auth-access-matrix', 'auth-collection-options', 'auth-response-checks', 'auth-settings', 'auth-expand-emails', 'auth-record-cache', 'auth-sdk-flows', 'create-rule-order', 'hardening-json-batch', 'record-content-types', 'auth-rate-limits', 'pocketbase-sdk', 'http-basics'].map((name) => `server/test/${name}.test.ts`),
  'server/test/realtime-*.test.ts',
  'server/test/pb/realtime.test.ts',
  'server/test/pb/batch.test.ts',
  'server/test/pb/settings.test.ts',
  'server/test/pb/oauth2_redirect.test.ts',
  'server/test/pb/middlewares-rate-limit.test.ts',
  'server/test/pb/middlewares.test.ts',
  'server/test/hardening-realtime-limits.test.ts',
  'server/test/pb/collection-*.test.ts',
  ...['files', 'files-hostile', 'files-access-matrix', 'pb/file'].map((name) => `server/test/${name}.test.ts`),
  ...['hostile-input', 'hardening-filter-cost', 'hardening-query-budget', 'hardening-stale-schema'].map((name) => `server/test/${name}.test.ts`),
  ...['hooks', 'hooks-async', 'hooks-reload', 'fast-lane', 'fast-lane-hooks', 'list-query-memo', 'openapi', 'metrics', 'pb/extensions', 'pb/health', 'pb/cron', 'pb/middlewares-body-limit', 'pb/logs', 'http-router', 'oauth2-popup.browser', 'superuser-ips'].map((name) => `server/test/${name}.test.ts`),
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['server/**/*.test.ts', 'cli/**/*.test.ts', 'sdk/**/*.test.ts', 'bench/**/*.test.ts', 'examples/**/*.test.ts', 'dashboard/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: POSTGRES_SUITES,
          env: { HEARTH_TEST_DB: 'postgres' },
          globalSetup: ['test-support/postgres-global-setup.ts'],
          // A fresh database per server and a server round trip per statement: CPU on a shared machine.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
