/**
 * Scheduled backups with a real backup service over a real data dir and a real croner job
 * running every second: automatic archives appear, only the newest `cronMaxKeep` are kept,
 * manual backups are never pruned, and clearing the cron stops the job.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDataDir } from '../main.ts';
import { createLogger } from '../shared/logger.ts';
import { createBackupService } from './backup-service.ts';
import { AUTO_BACKUP_PREFIX, createBackupSchedule, type BackupScheduleSettings } from './backup-schedule.ts';

const dir = mkdtempSync(join(tmpdir(), 'hearth-schedule-'));
const { db } = openDataDir(dir);
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

it('creates automatic backups on the cron, keeps the newest cronMaxKeep, never prunes manual ones', { timeout: 60_000 }, async () => {
  const backups = createBackupService({ db, dataDir: dir });
  const manual = await backups.createBackup('manual_one.zip');
  let settings: BackupScheduleSettings = { cron: '* * * * * *', cronMaxKeep: 2 };
  const schedule = createBackupSchedule({ backups, settings: () => settings, logger: createLogger('silent') });
  expect(schedule.next()).toBeInstanceOf(Date);
  const seen = new Set<string>();
  const autos = async () => (await backups.listBackups()).map((b) => b.key).filter((k) => k.startsWith(AUTO_BACKUP_PREFIX));
  await expect
    .poll(
      async () => {
        for (const k of await autos()) seen.add(k);
        return seen.size;
      },
      { timeout: 45_000, interval: 200 },
    )
    .toBeGreaterThanOrEqual(4);
  settings = { cron: '', cronMaxKeep: 2 };
  schedule.refresh();
  expect(schedule.next()).toBeNull();
  // A run that was under way when the job stopped finishes its create and prune.
  await expect.poll(async () => (await autos()).length, { timeout: 10_000 }).toBe(2);
  const left = await autos();
  // The two kept are the newest of every automatic backup that ever existed.
  expect(left.sort()).toEqual([...seen].sort().slice(-2));
  expect((await backups.listBackups()).map((b) => b.key)).toContain(manual);
  schedule.stop();
});
