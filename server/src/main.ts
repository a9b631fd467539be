/**
 * Composition root: config → db → services → http app → listen. `createServer()` is the
 * programmatic API the CLI and tests use; nothing else wires services together.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { assertServableDb, loadConfig, splitHostPort, type Config, type ConfigInput } from './config/config.ts';
import { claimTick, lockDataDir, openReadPool, openSqliteEngine, openSqlRunner, runMigrations, type SqlDb, type SqlEngine } from './db/index.ts';
import { EventBus } from './shared/events.ts';
import { createLogger, type Logger } from './shared/logger.ts';
import { createCollectionsService, createRegistry, type CollectionsService } from './collections/index.ts';
import type { CollectionRegistry } from './collections/registry.ts';
import { validateRule } from './rules/index.ts';
import { createRecordsService, type RecordsService } from './records/index.ts';
import { createAuth, createDbBucketStore, createMailer, createRateLimiter, createSessionService, hashPassword, verifyFileToken, verifyPassword, type RecordWriter, type SessionService } from './auth/index.ts';
import { authMailSettings, createBackupSchedule, createBackupService, createObservability, createSettingsStore, createSuperuserIps, defaultSettings, mailerSettings, rateLimitRules, type BackupService } from './admin/index.ts';
import type { ScryptParams } from './auth/index.ts';
import { createCollectionAdmin, createInstaller } from './admin/index.ts';
import { createHttpHandlers } from './http/app.ts';
import { withFastLane, type NodeListener } from './http/fast-lane.ts';
import { createServer as createNodeServer, type RequestListener, type ServerOptions } from 'node:http';
import { attachRealtimeWebSocket } from './http/realtime-ws.ts';
import { createRealtime, type Realtime, type RealtimeOptionsInput } from './realtime/index.ts';
import { createHookContext, createHooks, type Hooks } from './hooks/index.ts';
import { createFilesService, type FilesService } from './files/index.ts';
import type { PeerLink } from './shared/peers.ts';
import { linkPeers } from './cluster/link-peers.ts';

/**
 * Node's default (16 KiB) would answer long filter URLs with a bare 431; at 64 KiB the request
 * reaches Hearth, whose own limits answer with a 400 naming the problem.
 */
export const MAX_HEADER_SIZE = 64 * 1024;
/** Scheduled backups claim their ticks in `_cronRuns` under this name (one backup per deployment). */
export const BACKUP_TICK_NAME = '@backups';
/** A worker of a cluster names itself in this response header (and in WebSocket upgrades). */
export const WORKER_HEADER = 'x-hearth-worker';

export interface HearthServer {
  config: Config;
  /** The database engine services are moving onto; `db` is the synchronous interface on the same connections. */
  engine: SqlEngine;
  db: SqlDb;
  registry: CollectionRegistry;
  collections: CollectionsService;
  records: RecordsService;
  sessions: SessionService;
  events: EventBus;
  realtime: Realtime;
  hooks: Hooks;
  backups: BackupService;
  files: FilesService;
  logger: Logger;
  /** The one-time first-superuser token while none exists (`/_/#/install/TOKEN`), else null. */
  installToken(): string | null;
  fetch: (request: Request) => Response | Promise<Response>;
  /** Loads the hooks files (watching them in `--dev`), then starts listening; resolves with the bound address (port 0 picks a free one). */
  listen(): Promise<{ host: string; port: number; url: string }>;
  /** Stops accepting, lets in-flight requests finish, checkpoints the WAL and closes the db. */
  close(): Promise<void>;
}

/** Opens (or initialises) the data dir: db, migrations, registry, system collections. */
export function openDataDir(dir: string, logger: Logger = createLogger('warn'), durability: Config['durability'] = 'normal') {
  mkdirSync(dir, { recursive: true });
  const engine = openSqliteEngine(join(dir, 'data.db'), { synchronous: durability === 'full' ? 'FULL' : 'NORMAL' });
  const { db } = engine;
  runMigrations(db);
  const events = new EventBus();
  const registry = createRegistry({ engine, db });
  const collections = createCollectionsService({
    engine,
    db,
    registry,
    events,
    validateRule: (collection, rule, text, catalog) => validateRule(registry, collection, rule, text, catalog),
  });
  collections.bootstrapSystemCollectionsSync();
  return { engine, db, events, registry, collections, logger };
}

/**
 * Programmatic-only options (tests, embedding): realtime limits and retention (defaults in
 * realtime/options.ts), cluster membership, and the scrypt cost of new password hashes (default
 * OWASP's, see auth/password.ts; test fixtures that hash many passwords lower it).
 */
export type ServerInput = ConfigInput & {
  realtime?: RealtimeOptionsInput;
  /**
   * This server is one worker of a `hearth serve --workers N` deployment (cluster/): the primary
   * holds the dir lock; rate limits and session revocations are shared through the database;
   * commits are announced to the other workers over the link.
   */
  cluster?: PeerLink;
  /** The first-superuser install token (a cluster's primary makes one for all its workers). */
  installToken?: string;
  passwordParams?: ScryptParams;
  /** Read workers for costly client queries and their time budget (defaults in db/read-pool.ts); 0 workers reads inline. */
  reads?: { workers?: number; budgetMs?: number };
  /** The time budget of `POST /api/sql` scripts (default SQL_BUDGET_MS in db/sql-runner.ts). */
  sql?: { budgetMs?: number };
};

export function createServer(input: ServerInput = {}): HearthServer {
  const config = loadConfig(input);
  assertServableDb(config);
  // One server per data dir; released by close() or, after a crash, by the kernel.
  // A cluster's workers serve the dir whose lock their primary holds.
  const unlock = input.cluster ? () => {} : lockDataDir(config.dir);
  try {
    return assemble(input, config, unlock);
  } catch (err) {
    unlock();
    throw err;
  }
}

function assemble(input: ServerInput, config: Config, unlock: () => void): HearthServer {
  const logger = createLogger(config.logLevel, (line) => process.stdout.write(line + '\n'));
  const { engine, db, events, registry, collections } = openDataDir(config.dir, logger, config.durability);
  const sessions = createSessionService({ engine, db, registry, sharedRevocation: input.cluster !== undefined });
  const settings = createSettingsStore(db, defaultSettings(`http://${config.http}`));
  const superuserIps = createSuperuserIps(settings);
  const rateLimiter = createRateLimiter(input.cluster ? { store: createDbBucketStore(db) } : {});
  const applyLimits = (): void => {
    rateLimiter.setRules(rateLimitRules(settings.get()));
    rateLimiter.setEnabled(settings.get().rateLimits.enabled);
  };
  applyLimits();
  settings.onChange(applyLimits);
  // Hooks need the records service (their context) and records calls the hooks: tie the knot lazily.
  let hooks: Hooks | null = null;
  const files = createFilesService({ dir: config.dir, onError: (message, err) => logger.warn(message, err) });
  const configureFiles = (): void => files.configure(settings.get().s3);
  configureFiles();
  settings.onChange(configureFiles);
  const reads = input.reads?.workers === 0 ? null : openReadPool(db.path, input.reads);
  const sql = openSqlRunner(db.path, input.sql);
  const records = createRecordsService({
    engine,
    db,
    reads,
    registry,
    events,
    hashPassword: (p) => hashPassword(p, input.passwordParams),
    verifyPassword,
    hooks: { before: (w) => hooks!.records.before(w), handles: (action, c) => hooks!.records.handles?.(action, c) ?? true },
    files: files.store,
    onBackgroundError: (message, err) => logger.warn(message, err),
  });
  // A deleted collection takes its stored files with it (after its schema change committed).
  events.on('schemaChanged', (e) => {
    if (e.collectionId && !registry.find(e.collectionId)) {
      files.store.deletePrefix(`${e.collectionId}/`).catch((err: unknown) => logger.warn('failed to delete the files of a deleted collection', err));
    }
  });
  const mailer = createMailer({ settings: () => mailerSettings(settings.get()), smtpUrl: config.smtpUrl, dev: config.dev, logger });
  const context = createHookContext({ registry, records, logger, sendMail: (m) => mailer.send(m) });
  hooks = createHooks({ dir: config.hooksDir, db, engine, registry, events, logger, context, schedule: true });
  const writer = recordWriter(records, registry);
  const auth = createAuth({
    engine,
    db,
    registry,
    sessions,
    rateLimiter,
    mailer,
    writer,
    mailSettings: () => authMailSettings(settings.get()),
    hooks: hooks.auth,
    passwordParams: input.passwordParams,
    superuserAllowedFrom: (ip) => superuserIps.allows(ip),
  });
  events.on('recordChanged', (e) => {
    if (e.action !== 'create' && registry.find(e.collectionId)?.type === 'auth') {
      sessions.forgetRecord(e.collectionId, String(e.record.id));
      if (e.action === 'delete') {
        auth.forgetRecord(e.collectionId, String(e.record.id)).catch((err: unknown) => logger.warn('failed to drop the auth state of a deleted record', err));
      }
    }
  });
  const perIp = config.realtimeConnectionsPerIp > 0 ? { maxConnectionsPerIp: config.realtimeConnectionsPerIp } : {};
  const link = input.cluster;
  const calls = link?.call ? { self: link.workerId, call: (to: number, op: unknown) => link.call!(to, op) } : undefined;
  const realtime = createRealtime({
    db,
    engine,
    registry,
    events,
    sessions,
    logger,
    options: { ...perIp, ...input.realtime },
    calls,
    superuserAllowedFrom: (ip) => superuserIps.allows(ip),
  });
  link?.onCall?.((op) => realtime.answerCall(op));
  const backups = createBackupService({
    db,
    dataDir: config.dir,
    appName: () => settings.get().meta.appName,
    s3Settings: () => settings.get().backups.s3,
    // The restored file may hold another schema, settings and sessions: re-read what is cached.
    onRestored: () => {
      registry.reloadSync!();
      settings.reload();
      events.emit('schemaChanged', { collectionId: null });
    },
  });
  const schedule = createBackupSchedule({
    backups,
    settings: () => settings.get().backups,
    logger,
    claim: (slotMs) => claimTick(db, BACKUP_TICK_NAME, slotMs, `${process.pid}`),
  });
  settings.onChange(() => schedule.refresh());
  const observability = createObservability({
    dir: config.dir,
    db,
    logsSettings: () => settings.get().logs,
    realtime: () => ({ ...realtime.stats(), latestSeq: realtime.feed.latestSeq() }),
    logger,
    metricsToken: config.metricsToken,
  });
  const installer = createInstaller(db, registry, input.installToken);
  if (input.cluster) {
    linkPeers(input.cluster, {
      events,
      refreshSchema: () => collections.refreshIfStale(),
      reloadSettings: () => settings.reload(),
      onSettingsChange: (listener) => settings.onChange(listener),
      wakeFeed: () => realtime.feed.wake?.(),
      logger,
    });
  }
  const { app, fastLane } = createHttpHandlers({
    registry,
    collections,
    collectionAdmin: createCollectionAdmin(db, engine, registry),
    records,
    sessions,
    auth,
    settings,
    mailer,
    trustedProxies: config.trustedProxies,
    realtime,
    backups,
    verifyFileToken: (token) => verifyFileToken(engine, registry, token),
    logger,
    bodyLimit: config.bodyLimit,
    corsOrigins: config.corsOrigins,
    hooks,
    observability,
    installer,
    dashboardDir: config.dashboardDir,
    extensionsDir: config.extensionsDir,
    files,
    sql,
    superuserIps,
  });

  let server: ServerType | null = null;
  let closeWebSockets: (() => Promise<void>) | null = null;
  return {
    config,
    engine,
    db,
    registry,
    collections,
    records,
    sessions,
    events,
    realtime,
    hooks,
    backups,
    files,
    logger,
    installToken: () => installer.token(),
    fetch: (request) => app.fetch(request),
    async listen() {
      await hooks.load();
      if (config.dev) hooks.watch();
      const { host, port } = splitHostPort(config.http);
      return new Promise((resolve, reject) => {
        server = serve({ fetch: app.fetch, hostname: host, port, serverOptions: { maxHeaderSize: MAX_HEADER_SIZE }, createServer: ((options: ServerOptions, listener: RequestListener) => createNodeServer(options, withFastLane(fastLane, listener as NodeListener))) as typeof createNodeServer }, (info: AddressInfo) => {
          const shown = info.address.includes(':') ? `[${info.address}]` : info.address;
          resolve({ host: info.address, port: info.port, url: `http://${shown}:${info.port}` });
        });
        server.once('error', reject);
        const worker: Record<string, string> = {};
        if (input.cluster) {
          const id = String(input.cluster.workerId);
          worker[WORKER_HEADER] = id;
          server.prependListener('request', (_req, res: { setHeader(k: string, v: string): void }) => res.setHeader(WORKER_HEADER, id));
        }
        closeWebSockets = attachRealtimeWebSocket(server, realtime, config.trustedProxies, worker);
      });
    },
    async close() {
      hooks.close();
      // Open realtime streams would keep server.close() waiting: end them first.
      realtime.close();
      mailer.close();
      await closeWebSockets?.();
      const s = server as (ServerType & { closeIdleConnections?: () => void }) | null;
      if (s) {
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeIdleConnections?.();
        });
      }
      schedule.stop();
      backups.close();
      observability.close();
      files.close();
      await reads?.close();
      sql.close();
      await engine.close();
      unlock();
    },
  };
}

/** Auth's writes go through the records service as a system caller (rules bypassed, hooks kept). */
function recordWriter(records: RecordsService, registry: CollectionRegistry): RecordWriter {
  const system = (body: Record<string, unknown>) => ({
    auth: { collection: registry.get('_superusers'), record: { id: '' }, isSuperuser: true },
    method: 'PATCH',
    query: {},
    headers: {},
    body,
  });
  return {
    create: async (collection, body, info) => String((await records.create(collection.name, body, {}, info)).id),
    update: async (collection, id, body) => void (await records.update(collection.name, id, body, {}, system(body))),
  };
}
