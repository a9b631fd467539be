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
import type { HookContext, HookTx, RecordAfterHook } from './api.ts';
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
  db: SqlDb;
  /** Cron tick claims go through the engine. */
  engine: SqlEngine;
  registry: CollectionRegistry;
  events: EventBus;
  logger: Logger;
  context: HookContext;
  /** false in tools that open the data dir without serving (no cron timers). */
  schedule: boolean;
}

const txOf = (db: SqlDb): HookTx => ({
  get: (sql, params) => db.get(sql, params),
  all: (sql, params) => db.all(sql, params),
  run: (sql, params) => ({ changes: db.run(sql, params).changes }),
});

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
        tx: txOf(w.db),
        app,
      };
      for (const fn of list) {
        let out: unknown;
        try {
          out = fn(e);
        } catch (err) {
          throw hookFailure(err);
        }
        if (out && typeof (out as Promise<unknown>).then === 'function') {
          throw new Error(`a before-${w.action} hook of "${w.collection.name}" returned a promise; before hooks must be synchronous`);
        }
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
