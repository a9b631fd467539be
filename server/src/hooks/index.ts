/**
 * hooks/ — extending the server in TypeScript: hooks files loaded from a folder (record, auth and
 * request hooks, custom routes, cron jobs), the context hooks get, and the cron scheduler.
 * Imports records/, auth/ (types), rules/, collections/, db/, shared/; never http/ (which mounts
 * routes and request hooks from the registry). Entry point: createHooks(deps).
 */
export { createHooks, type Hooks, type HooksDeps } from './runtime.ts';
export { createHookContext, hookAuth, type ContextDeps } from './context.ts';
export { hookFailure, ApiError } from './api-error.ts';
export type { RouteDef, RequestHookDef, HookRegistry } from './registry.ts';
export type { CronJobInfo, CronScheduler } from './cron.ts';
export type * from './api.ts';
