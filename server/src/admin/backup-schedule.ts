/**
 * Scheduled backups: the `backups` settings section (PocketBase's shape: `cron`, `cronMaxKeep`)
 * drives a croner job that creates `@auto_hearth_backup_…` archives through the backup service
 * and then deletes the oldest automatic ones beyond `cronMaxKeep`. Manual backups are never
 * pruned. Re-armed whenever the settings change; a run that finds a backup or restore already
 * in progress is skipped, and runs never overlap. Every worker arms the job; each tick is claimed
 * in the database first (db/tick-claims.ts), so a deployment makes one backup per tick.
 */
import { Cron } from 'croner';
import type { Logger } from '../shared/logger.ts';
import type { BackupService } from './backup-service.ts';

export const AUTO_BACKUP_PREFIX = '@auto_hearth_backup_';

export interface BackupScheduleSettings {
  /** Cron expression, UTC (settings accept five fields or a macro; croner also takes seconds); '' = off. */
  cron: string;
  /** Automatic backups kept; older ones are deleted after each run. */
  cronMaxKeep: number;
}

export interface BackupScheduleDeps {
  backups: BackupService;
  settings: () => BackupScheduleSettings | undefined;
  logger: Logger;
  /** Claims the tick scheduled at `slotMs` for this process; false: another one runs it. Default: always run. */
  claim?: (slotMs: number) => boolean;
}

export interface BackupSchedule {
  /** Reads the settings again and (re)arms or stops the job. */
  refresh(): void;
  /** Runs one scheduled backup now (create, then prune); resolves with the new key or null when skipped. */
  runOnce(): Promise<string | null>;
  /** The next planned run, or null. */
  next(): Date | null;
  stop(): void;
}

export function createBackupSchedule(deps: BackupScheduleDeps): BackupSchedule {
  let job: Cron | null = null;
  let armed = '';

  async function prune(keep: number): Promise<void> {
    const auto = (await deps.backups.listBackups()).filter((b) => b.key.startsWith(AUTO_BACKUP_PREFIX));
    // listBackups is newest first; ties on the second are broken by the name's timestamp.
    auto.sort((a, b) => (a.modified === b.modified ? b.key.localeCompare(a.key) : b.modified.localeCompare(a.modified)));
    for (const old of auto.slice(Math.max(keep, 1))) await deps.backups.deleteBackup(old.key);
  }

  async function runOnce(tick: string | null = null): Promise<string | null> {
    const settings = deps.settings();
    if (deps.backups.active !== null) {
      deps.logger.warn('scheduled backup skipped: another backup or restore is running');
      return null;
    }
    const key = await deps.backups.createBackup(undefined, { prefix: AUTO_BACKUP_PREFIX });
    await prune(settings?.cronMaxKeep ?? 1);
    deps.logger.info('scheduled backup created', tick ? { key, tick } : { key });
    return key;
  }

  function refresh(): void {
    const cron = deps.settings()?.cron.trim() ?? '';
    if (cron === armed && (job !== null) === (cron !== '')) return;
    job?.stop();
    job = null;
    armed = cron;
    if (!cron) return;
    try {
      job = new Cron(cron, { protect: true, timezone: 'UTC', unref: true }, async (self: Cron) => {
        try {
          // The scheduled instant this timer fired for (croner fires at or just after it).
          const slot = self.previousRuns(1, new Date(Date.now() + 1))[0];
          const tick = slot?.toISOString() ?? null;
          if (deps.claim && slot && !deps.claim(slot.getTime())) {
            deps.logger.info('scheduled backup left to the process that claimed the tick', { tick });
            return;
          }
          await runOnce(tick);
        } catch (err) {
          deps.logger.error('scheduled backup failed', err);
        }
      });
    } catch (err) {
      deps.logger.error(`invalid backups.cron "${cron}"; scheduled backups are off`, err);
    }
  }

  refresh();
  return {
    refresh,
    runOnce: () => runOnce(),
    next: () => job?.nextRun() ?? null,
    stop() {
      job?.stop();
      job = null;
      armed = '';
    },
  };
}
