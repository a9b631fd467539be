/**
 * Cron jobs from hooks files (croner schedules them). Every process on a data dir schedules the
 * same jobs; before a tick runs, the process claims it with one row in `_cronRuns` keyed by
 * (job, scheduled time) — the INSERT that wins runs the job, the others skip. So a job runs once
 * per tick per deployment, however many processes (workers, or nodes on one Postgres database)
 * serve it. The claim goes through the async engine, so it works on either engine.
 */
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import { claimTickOn, type SqlEngine } from '../db/index.ts';
import type { Logger } from '../shared/logger.ts';
import type { CronDef } from './registry.ts';

export interface CronJobInfo {
  id: string;
  expression: string;
}

export interface CronScheduler {
  /** Replaces the scheduled jobs (start, and every hooks reload). Throws on an invalid expression. */
  set(defs: CronDef[]): void;
  /** Sorted by id, as PocketBase lists them. */
  list(): CronJobInfo[];
  /** Runs a job now in this process (a superuser's manual run, not claimed); false if unknown. */
  runNow(id: string): boolean;
  stop(): void;
}

interface Job {
  def: CronDef;
  cron: Cron;
}

export function createCronScheduler(deps: { engine: SqlEngine; logger: Logger; schedule: boolean }): CronScheduler {
  const owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  let jobs = new Map<string, Job>();

  const execute = async (def: CronDef, scheduled: Date | null): Promise<void> => {
    try {
      await def.fn({ name: def.name, scheduled });
    } catch (err) {
      deps.logger.error(`cron job "${def.name}" failed${scheduled ? ` (tick ${scheduled.toISOString()})` : ''}`, err);
    }
  };

  const tick = async (def: CronDef, cron: Cron): Promise<void> => {
    // The scheduled instant this timer fired for (croner fires at or just after it).
    const slot = cron.previousRuns(1, new Date(Date.now() + 1))[0];
    if (!slot) return;
    let won = false;
    try {
      won = await claimTickOn(deps.engine, def.name, slot.getTime(), owner);
    } catch (err) {
      deps.logger.error(`cron job "${def.name}": could not claim tick ${slot.toISOString()}`, err);
    }
    if (won) void execute(def, slot);
  };

  return {
    set(defs) {
      const next = new Map<string, Job>();
      for (const def of defs) {
        // paused: parse (and validate) now, start below once every expression is valid.
        const cron = new Cron(def.expression, { paused: true, unref: true, protect: true });
        next.set(def.name, { def, cron });
      }
      for (const job of jobs.values()) job.cron.stop();
      jobs = next;
      if (!deps.schedule) return;
      for (const job of jobs.values()) {
        job.cron.schedule(() => tick(job.def, job.cron));
        job.cron.resume();
      }
    },
    list: () => [...jobs.values()].map((j) => ({ id: j.def.name, expression: j.def.expression })).sort((a, b) => a.id.localeCompare(b.id)),
    runNow(id) {
      const job = jobs.get(id);
      if (!job) return false;
      void execute(job.def, null);
      return true;
    },
    stop() {
      for (const job of jobs.values()) job.cron.stop();
      jobs = new Map();
    },
  };
}
