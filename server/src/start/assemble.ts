/**
 * The services of one server over an opened engine base (SQLite or PostgreSQL), the HTTP app,
 * and the server's listen/close. The same wiring on both engines: only what `EngineBase`
 * provides differs.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createServer as createNodeServer, type RequestListener, type ServerOptions } from 'node:http';
import { splitHostPort, type Config } from '../config/config.ts';
import type { Logger } from '../shared/logger.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import { createRecordsService, type RecordsService } from '../records/index.ts';
import { createAuth, createMailer, createRateLimiter, createSessionService, hashPassword, verifyFileToken, verifyPassword, type RecordWriter } from '../auth/index.ts';
import { authMailSettings, createBackupSchedule, createObservability, createSuperuserIps, mailerSettings, rateLimitRules } from '../admin/index.ts';
import { createCollectionAdmin, createInstaller } from '../admin/index.ts';
import { createHttpHandlers } from '../http/app.ts';
import { withFastLane, type NodeListener } from '../http/fast-lane.ts';
import { attachRealtimeWebSocket } from '../http/realtime-ws.ts';
import { createHookContext, createHooks, type Hooks } from '../hooks/index.ts';
import { createFilesService } from '../files/index.ts';
import { linkPeers } from '../cluster/link-peers.ts';
import type { EngineBase } from './engine-base.ts';
import { MAX_HEADER_SIZE, WORKER_HEADER, type HearthServer, type ServerInput } from './server-types.ts';

/** Reading `db` of a server on PostgreSQL: there is no synchronous interface there. */
const NO_SYNC_DB = 'This server runs on PostgreSQL: it has no synchronous SqlDb (use server.engine).';

export function assemble(input: ServerInput, config: Config, base: EngineBase, logger: Logger, release: () => void): HearthServer {
  const { engine, events, registry, collections, settings } = base;
  const db = base.db ?? undefined;
  const sessions = createSessionService({ engine, db, registry, sharedRevocation: base.sharedRevocation });
  const superuserIps = createSuperuserIps(settings);
  const rateLimiter = createRateLimiter(base.sharedBuckets ? { shared: base.sharedBuckets('auth') } : {});
  const applyLimits = (): void => {
    rateLimiter.setRules(rateLimitRules(settings.get()));
    rateLimiter.setEnabled(settings.get().rateLimits.enabled);
  };
  applyLimits();
  settings.onChange(applyLimits);
  // Hooks need the records service (their context) and records calls the hooks: tie the knot lazily.
  let hooks: Hooks | null = null;
  const files = createFilesService({ dir: config.dir, onError: (message, err) => logger.warn(message, err), localUploadsRefused: base.uploadsNeedS3 });
  const configureFiles = (): void => files.configure(settings.get().s3);
  configureFiles();
  settings.onChange(configureFiles);
  const records = createRecordsService({
    engine,
    db,
    reads: base.reads,
    registry,
    events,
    hashPassword: (p) => hashPassword(p, input.passwordParams),
    verifyPassword,
    hooks: { before: (w) => hooks!.records.before(w), handles: (action, c) => hooks!.records.handles?.(action, c) ?? true },
    files: files.store,
    onBackgroundError: (message, err) => logger.warn(message, err),
  });
  events.on('schemaChanged', (e) => {
    // Another process changed the data file (`hearth superuser ips` bumps the schema version with its settings write).
    if (e.collectionId === null) settings.reload().catch((err: unknown) => logger.error('failed to re-read the settings another process wrote', err));
    // A deleted collection takes its stored files with it (after its schema change committed).
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
  const realtime = base.openRealtime({
    registry,
    events,
    sessions,
    options: { ...perIp, ...input.realtime },
    superuserAllowedFrom: (ip) => superuserIps.allows(ip),
  });
  const backups = base.openBackups({
    dataDir: config.dir,
    appName: () => settings.get().meta.appName,
    s3Settings: () => settings.get().backups.s3,
    // The restored file may hold another schema, settings and sessions: re-read what is cached.
    onRestored: () => {
      registry.reloadSync!();
      settings.reload().catch((err: unknown) => logger.error('failed to re-read the settings after a restore', err));
      events.emit('schemaChanged', { collectionId: null });
    },
  });
  const schedule = base.claimBackupTick
    ? createBackupSchedule({ backups, settings: () => settings.get().backups, logger, claim: base.claimBackupTick })
    : null;
  if (schedule) settings.onChange(() => schedule.refresh());
  const observability = createObservability({
    dir: config.dir,
    db: base.db,
    logsSettings: () => settings.get().logs,
    realtime: () => ({ ...realtime.stats(), latestSeq: realtime.feed.latestSeq() }),
    logger,
    metricsToken: config.metricsToken,
  });
  const installer = createInstaller(base.superusers, registry, input.installToken, base.superusersExist);
  if (base.peers) {
    linkPeers(base.peers, {
      events,
      refreshSchema: () => base.refreshSchema(),
      reloadSettings: () => void settings.reload().catch((err: unknown) => logger.error('failed to re-read the settings another process wrote', err)),
      onSettingsChange: (listener) => settings.onChange(listener),
      wakeFeed: () => realtime.feed.wake?.(),
      logger,
    });
  }
  const { app, fastLane } = createHttpHandlers({
    registry,
    collections,
    collectionAdmin: createCollectionAdmin(engine, registry),
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
    sql: base.sql,
    superuserIps,
    rateLimitBuckets: base.sharedBuckets?.('rules'),
  });

  let server: ServerType | null = null;
  let closeWebSockets: (() => Promise<void>) | null = null;
  const workerId = base.peers ? String(base.peers.workerId) : null;
  const hearth: Omit<HearthServer, 'db'> = {
    config,
    engine,
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
        if (workerId !== null) {
          worker[WORKER_HEADER] = workerId;
          server.prependListener('request', (_req, res: { setHeader(k: string, v: string): void }) => res.setHeader(WORKER_HEADER, workerId));
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
      schedule?.stop();
      backups.close();
      observability.close();
      files.close();
      await base.close();
      release();
    },
  };
  const syncDb = base.db;
  return Object.defineProperty(hearth, 'db', {
    enumerable: true,
    get: () => {
      if (!syncDb) throw new Error(NO_SYNC_DB);
      return syncDb;
    },
  }) as HearthServer;
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
