/**
 * Builds the Hono app: CORS, body limit, caller resolution, the route groups, and the error and
 * not-found handlers that give every failure PocketBase's `{status, message, data}` shape.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { CollectionsService } from '../collections/index.ts';
import type { CollectionAdmin } from '../admin/index.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { RecordsService } from '../records/index.ts';
import type { Auth, Mailer, SessionService, SharedBucketStore } from '../auth/index.ts';
import type { BackupService, Installer, SettingsStore } from '../admin/index.ts';
import type { Logger } from '../shared/logger.ts';
import type { Realtime } from '../realtime/index.ts';
import type { Hooks } from '../hooks/index.ts';
import type { AuthState, HearthEnv } from './context.ts';
import { errorBody, handleError } from './errors.ts';
import { corsMiddleware, corsPolicy } from './cors.ts';
import { bodyLimitMiddleware } from './body-limit.ts';
import { createRateLimitCheck, rateLimitMiddleware } from './rate-limit.ts';
import { recordRoutes } from './routes/records.ts';
import { collectionRoutes } from './routes/collections.ts';
import { authRoutes } from './routes/auth.ts';
import { authEmailRoutes } from './routes/auth-email.ts';
import { authOAuth2Routes } from './routes/auth-oauth2.ts';
import { oauth2RedirectRoutes } from './routes/oauth2-redirect.ts';
import { authSessionRoutes } from './routes/auth-sessions.ts';
import { settingsRoutes } from './routes/settings.ts';
import { healthRoutes } from './routes/health.ts';
import { realtimeRoutes } from './realtime-sse.ts';
import { hookRoutes } from './hook-routes.ts';
import { cronRoutes } from './routes/crons.ts';
import { openapiRoutes } from './routes/openapi.ts';
import { backupRoutes } from './routes/backups.ts';
import { fileTokenRoutes } from './routes/file-token.ts';
import { createRequestLog, requestLogMiddleware, type ObservabilityDeps } from './request-log.ts';
import { createFastLane, type FastLane } from './fast-lane.ts';
import { logRoutes } from './routes/logs.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { installRoutes } from './routes/install.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { sqlRoutes } from './routes/sql.ts';
import type { SqlRunner, SuperuserIps } from '../admin/index.ts';
import { refuseOutOfListSuperusers, superuserAllowedFor } from './superuser-ips.ts';
import { fileRoutes, type FileRouteDeps } from './routes/files.ts';
import { createUploadLimits } from './upload-limits.ts';
import type { FilesService } from '../files/index.ts';

export interface HttpDeps {
  registry: CollectionRegistry;
  collections: CollectionsService;
  /** The collections list with filter/sort/fields, the view dry run and the scaffolds. */
  collectionAdmin: CollectionAdmin;
  records: RecordsService;
  sessions: SessionService;
  auth: Auth;
  settings: SettingsStore;
  mailer: Mailer;
  /** Socket addresses whose X-Forwarded-For is believed (rate limits, session list). */
  trustedProxies: string[];
  realtime: Realtime;
  backups: BackupService;
  /** The auth record behind a file token (`?token=`), or null. */
  verifyFileToken: FileRouteDeps['verifyFileToken'];
  logger: Logger;
  /** Largest accepted request body in bytes (files get per-field limits). */
  bodyLimit: number;
  corsOrigins: string[];
  /** Custom routes, request hooks and cron jobs of the hooks files. */
  hooks: Hooks;
  /** Request log, metrics and their routes (absent: none of them). */
  observability?: ObservabilityDeps;
  installer: Installer;
  /** Built dashboard assets, served at `/_/`. */
  dashboardDir: string;
  /** Dashboard extensions, one folder each, served at `/_/extensions…` (absent: none). */
  extensionsDir?: string;
  files: FilesService;
  /** Runs superusers' raw SQL (`POST /api/sql`; absent: no such route). */
  sql?: SqlRunner;
  /** The `superuserIPs` setting (absent: superusers are not limited by address). */
  superuserIps?: SuperuserIps;
  /** Where the settings' rate-limit rules keep their buckets when shared between nodes (absent: this process's memory). */
  rateLimitBuckets?: SharedBucketStore;
}

export interface HttpHandlers {
  app: Hono<HearthEnv>;
  /** Hot routes answered before the app (see fast-lane.ts); wrap the app's Node listener with `withFastLane`. */
  fastLane: FastLane;
}

export function createHttpApp(deps: HttpDeps): Hono<HearthEnv> {
  return createHttpHandlers(deps).app;
}

export function createHttpHandlers(deps: HttpDeps): HttpHandlers {
  const app = new Hono<HearthEnv>();
  app.onError((err, c) => handleError(err, c, deps.logger));
  app.notFound((c) => c.json(errorBody(404, "The requested resource wasn't found."), 404));

  const obs = deps.observability;
  const requestLog = obs ? createRequestLog(obs, deps.logger, deps.trustedProxies) : undefined;
  const cors = corsPolicy(deps.corsOrigins);
  // Run for every request once its caller is known: out-of-list superusers (403), then rate limits.
  const rateLimit = refuseOutOfListSuperusers(createRateLimitCheck(deps), deps.superuserIps, deps.trustedProxies);
  const superuserAllowed = superuserAllowedFor(deps.superuserIps, deps.trustedProxies);
  if (requestLog) app.use('*', requestLogMiddleware(requestLog));
  app.use('*', corsMiddleware(cors));
  const uploadLimits = createUploadLimits(deps.registry, deps.bodyLimit);
  const requestLimit = bodyLimitMiddleware((c) => uploadLimits.bodyLimit(c));
  // Backup uploads stream to disk under their own limit (routes/backups.ts).
  const bodyLimit: MiddlewareHandler<HearthEnv> = (c, next) => (c.req.path === '/api/backups/upload' ? next() : requestLimit(c, next));
  const caller: MiddlewareHandler<HearthEnv> = async (c, next) => {
    deps.collections.refreshIfStale(); // schema changes by other processes (CLI, a second server)
    c.set('auth', await resolveCaller(deps.sessions, c.req.header('authorization')));
    await next();
  };
  app.use('/api/*', bodyLimit);
  app.use('/api/*', caller);
  const rateLimitApi = rateLimitMiddleware(rateLimit);
  app.use('/api/*', rateLimitApi);
  app.use('*', hookRoutes({ hooks: deps.hooks, registry: deps.registry, trustedProxies: deps.trustedProxies, outsideApi: [bodyLimit, caller, rateLimitApi] }));

  app.route('/', healthRoutes({ canBackup: () => deps.backups.active === null, trustedProxies: deps.trustedProxies }));
  app.route('/', authRoutes(deps));
  app.route('/', authEmailRoutes(deps));
  app.route('/', authOAuth2Routes(deps));
  app.route('/', authSessionRoutes(deps));
  app.route('/', settingsRoutes(deps));
  app.route('/', recordRoutes(deps.records, deps.settings, { staging: deps.files.staging, limits: uploadLimits, maxFieldSize: deps.bodyLimit }));
  app.route('/', fileRoutes({ ...deps, superuserAllowed }));
  app.route('/', collectionRoutes({ collections: deps.collections, admin: deps.collectionAdmin, records: deps.records }));
  app.route('/', realtimeRoutes(deps.realtime, deps.trustedProxies));
  app.route('/', oauth2RedirectRoutes(deps));
  app.route('/', cronRoutes(deps.hooks.crons));
  app.route('/', openapiRoutes(deps));
  app.route('/', fileTokenRoutes());
  app.route('/', backupRoutes({ backups: deps.backups, isSuperuserFileToken: async (token, c) => (await deps.verifyFileToken(token))?.collection.name === '_superusers' && superuserAllowed(c) }));
  if (obs) app.route('/', logRoutes(obs.logs));
  if (obs) app.route('/', metricsRoutes(obs.metrics, obs.metricsToken));
  app.route('/', installRoutes(deps.installer));
  if (deps.sql) app.route('/', sqlRoutes(deps.sql));
  app.route('/', dashboardRoutes(deps.dashboardDir, deps.extensionsDir));
  const fastLane = createFastLane({
    records: deps.records,
    hooks: deps.hooks,
    registry: deps.registry,
    cors,
    bodyLimit: (path) => uploadLimits.bodyLimitFor(path),
    refreshSchema: () => deps.collections.refreshIfStale(),
    resolveCaller: (header) => resolveCaller(deps.sessions, header),
    rateLimit,
    requestLog,
    logger: deps.logger,
  });
  return { app, fastLane };
}

/** An invalid, expired or revoked token makes the caller anonymous; routes needing auth answer 401. */
async function resolveCaller(sessions: SessionService, header: string | undefined): Promise<AuthState | null> {
  if (!header) return null;
  const token = header.replace(/^Bearer\s+/i, '').trim();
  if (!token) return null;
  const verified = await sessions.verify(token);
  if (!verified) return null;
  return {
    collection: verified.collection,
    record: verified.record,
    isSuperuser: verified.collection.name === '_superusers',
    sessionId: verified.session.id,
  };
}
