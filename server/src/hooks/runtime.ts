/**
 * The live hooks of a server: the current registry (swapped whole on reload), the record and
 * auth hook implementations records/ and auth/ call, after-commit dispatch from RecordChanged
 * events, and the cron scheduler. With no hooks registered every entry point returns at once.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { RecordWriteHooks, Row } from '../records/index.ts';
import type { AuthHooks } from '../auth/index.ts';
import type { EventBus, RecordChanged } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import type { SqlDb, SqlEngine } from '../db/index.ts';
import type { SqlQueryable } from '../db/index.ts';
import type { HookContext, HookTx, RecordAfterHook, RecordBeforeEvent, RecordBeforeHook } from './api.ts';
import { hookFailure } from './api-error.ts';
import { hookAuth, hookCollection, hookRecord } from './context.ts';
import { createCronScheduler, type CronScheduler } from './cron.ts';
import { loadHooks } from './loader.ts';
import { emptyRegistry, scoped, type HookRegistry } from './registry.ts';

/** Changes to a hooks folder often come as bursts of events (editor save = write + rename). */
const RELOAD_DEBOUNCE_MS = 100;

export interface Hooks {
  records: RecordWriteHooks;
  auth: AuthHooks;
  /** The registry in force (routes and request hooks are read from it per request). */
  current(): HookRegistry;
  crons: CronScheduler;
  context: HookContext;
  /** Loads the hooks folder (no folder = no hooks); throws if a file fails. */
  load(): Promise<void>;
  /** `--dev`: reload on change; a failing reload is logged and the previous hooks stay. */
  watch(): void;
  /** The error of the last failed reload, cleared by the next successful one. */
  readonly reloadError: string | null;
  /** Resolves when the after-commit hooks started so far have finished. */
  idle(): Promise<void>;
  close(): void;
}

export interface HooksDeps {
  dir: string;
  /** SQLite: the synchronous interface (not used by the hooks themselves; kept for callers). */
  db?: SqlDb;
  /** Cron tick claims go through the engine. */
  engine: SqlEngine;
  registry: CollectionRegistry;
  events: EventBus;
  logger: Logger;
  context: HookContext;
  /** false in tools that open the data dir without serving (no cron timers). */
  schedule: boolean;
}

/** SQLite: the synchronous interface, inside the write's transaction (values come back directly). */
const txOf = (db: SqlDb): HookTx => ({
  get: (sql, params) => db.get(sql, params),
  all: (sql, params) => db.all(sql, params),
  run: (sql, params) => ({ changes: db.run(sql, params).changes }),
});

/** PostgreSQL: the write's transaction on the engine (promises). */
const txOn = (q: SqlQueryable): HookTx => ({
  get: (sql, params) => q.get(sql, params),
  all: (sql, params) => q.all(sql, params),
  run: async (sql, params) => ({ changes: (await q.run(sql, params)).changes }),
});

const isPromise = (v: unknown): v is Promise<unknown> => typeof (v as { then?: unknown } | null)?.then === 'function';

/** The hooks after one that returned a promise, each awaited in turn. */
async function awaitRest(first: Promise<unknown>, rest: RecordBeforeHook[], e: RecordBeforeEvent): Promise<void> {
  try {
    await first;
    for (const fn of rest) await fn(e);
  } catch (err) {
    throw hookFailure(err);
  }
}

export function createHooks(deps: HooksDeps): Hooks {
  let reg = emptyRegistry();
  const crons = createCronScheduler({ engine: deps.engine, logger: deps.logger, schedule: deps.schedule });
  const pending = new Set<Promise<void>>();
  let watcher: FSWatcher | null = null;
  let reloadError: string | null = null;
  const app = deps.context;

  const records: RecordWriteHooks = {
    handles: (action, collection) => scoped(reg.before[action], collection.name).length > 0,
    before(w) {
      const list = scoped(reg.before[w.action], w.collection.name);
      if (list.length === 0) return;
      const e = {
        action: w.action,
        collection: hookCollection(w.collection),
        body: w.body,
        record: w.current ? hookRecord(w.collection, w.current) : null,
        auth: hookAuth(w.info.auth),
        tx: deps.engine.kind === 'sqlite' && w.db ? txOf(w.db) : txOn(w.q),
        app,
      };
      for (let i = 0; i < list.length; i++) {
        let out: unknown;
        try {
          out = list[i]!(e);
        } catch (err) {
          throw hookFailure(err);
        }
        // An async hook: the write awaits it (and the ones after it) inside its transaction.
        if (isPromise(out)) return awaitRest(out, list.slice(i + 1), e);
      }
    },
  };

  const auth: AuthHooks = {
    beforeSignIn(s) {
      const list = scoped(reg.signIn, s.collection.name);
      if (list.length === 0) return;
      const e = { collection: hookCollection(s.collection), record: hookRecord(s.collection, s.record as Row), method: s.method, app };
      for (const fn of list) {
        try {
          fn(e);
        } catch (err) {
          throw hookFailure(err);
        }
      }
    },
  };

  const runAfter = (list: RecordAfterHook[], change: RecordChanged): void => {
    const collection = deps.registry.find(change.collectionId);
    if (!collection) return;
    const e = { action: change.action, collection: hookCollection(collection), record: hookRecord(collection, change.record as Row), app };
    const p = (async () => {
      for (const fn of list) {
        try {
          await fn(e);
        } catch (err) {
          deps.logger.error(`after-${change.action} hook of "${collection.name}" failed`, err);
        }
      }
    })();
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  const offChanges = deps.events.on('recordChanged', (change) => {
    const list = scoped(reg.after[change.action], change.collectionName);
    if (change.action === 'create' && reg.signUp.length > 0 && deps.registry.find(change.collectionId)?.type === 'auth') {
      list.push(...scoped(reg.signUp, change.collectionName));
    }
    if (list.length > 0) runAfter(list, change);
  });

  const load = async (): Promise<void> => {
    const { registry, files } = await loadHooks(deps.dir, app);
    crons.set(registry.crons);
    reg = registry;
    if (files.length > 0) deps.logger.info(`hooks: loaded ${files.length} file(s) from ${deps.dir}`);
  };

  return {
    records,
    auth,
    current: () => reg,
    crons,
    context: app,
    load,
    get reloadError() {
      return reloadError;
    },
    watch() {
      if (watcher) return;
      let timer: NodeJS.Timeout | null = null;
      try {
        watcher = watch(deps.dir, () => {
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => {
            load().then(
              () => (reloadError = null),
              (err: unknown) => {
                reloadError = err instanceof Error ? err.message : String(err);
                deps.logger.error('hooks: reload failed, keeping the previous hooks', err);
              },
            );
          }, RELOAD_DEBOUNCE_MS);
        });
      } catch {
        deps.logger.debug(`hooks: ${deps.dir} does not exist; not watching`);
      }
    },
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close() {
      offChanges();
      watcher?.close();
      crons.stop();
    },
  };
}
