/**
 * Scheduled work across the workers of one deployment, on `hearth serve --workers 2`: both
 * workers arm every schedule, yet each tick runs exactly once in the deployment, in one of the
 * two worker processes (the tick is claimed in `_cronRuns`) — a hooks cron job every second, and
 * scheduled backups (`backups.cron`, minute resolution: this waits for the next minute).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, Cluster } from './cluster-helpers.ts';

const TICKS_WANTED = 6;
const hooksDir = mkdtempSync(join(tmpdir(), 'hearth-cluster-hooks-'));
const ticksFile = join(hooksDir, 'ticks.log');
let cluster: Cluster & { dir: string };

const ticks = (): string[] => (existsSync(ticksFile) ? readFileSync(ticksFile, 'utf8').trim().split('\n').filter(Boolean) : []);

beforeAll(async () => {
  copyFileSync(join(import.meta.dirname, 'fixtures/hooks-cron-cluster.ts'), join(hooksDir, 'jobs.ts'));
  // info: each worker logs what it did with every scheduled backup tick.
  cluster = await Cluster.start(2, { args: ['--hooks', hooksDir], env: { TICKS_FILE: ticksFile, HEARTH_LOG_LEVEL: 'info' } });
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
  if (cluster) rmSync(cluster.dir, { recursive: true, force: true });
  rmSync(hooksDir, { recursive: true, force: true });
});

describe('scheduled work across workers', () => {
  it('both workers schedule the cron job, and every tick runs exactly once', async () => {
    for (const id of [1, 2]) {
      const client = cluster.on(id);
      const list = await client.api('GET', '/api/crons', undefined, await adminToken(client));
      expect(list.body).toEqual([{ id: 'every_second', expression: '* * * * * *' }]);
      client.close();
    }
    while (ticks().length < TICKS_WANTED) await new Promise((r) => setTimeout(r, 100));
    const lines = ticks();
    const slots = lines.map((l) => l.split(' ')[0]);
    expect(slots.every((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(s!))).toBe(true);
    expect(new Set(slots).size).toBe(slots.length);
    const workerPids = new Set([...cluster.pids.values()].map(String));
    expect(lines.every((l) => workerPids.has(l.split(' ')[1]!))).toBe(true);
  }, 90_000);

  it('makes one scheduled backup per tick for the whole deployment', async () => {
    const w1 = cluster.on(1);
    const w2 = cluster.on(2);
    try {
      const token = await adminToken(w1);
      // Set on worker 1; worker 2 arms the same schedule from the settings note.
      const on = await w1.api('PATCH', '/api/settings', { backups: { cron: '* * * * *', cronMaxKeep: 10 } }, token);
      expect(on.status, JSON.stringify(on.body)).toBe(200);
      // Each worker logs one line per tick: it made the backup, or another process claimed it.
      type Decision = { tick: string; made: boolean; key?: string };
      const decisions = (): Decision[] =>
        cluster.output
          .split('\n')
          .filter((l) => l.startsWith('{') && l.includes('scheduled backup'))
          .map((l) => JSON.parse(l) as { msg: string; extra?: { tick?: string; key?: string } })
          .filter((l) => l.extra?.tick)
          .map((l) => ({ tick: l.extra!.tick!, made: l.msg === 'scheduled backup created', key: l.extra!.key }));
      // A tick both workers decided on (the first one may come before worker 2 armed the schedule).
      const decidedByBoth = (): string | undefined => {
        const counts = new Map<string, number>();
        for (const d of decisions()) counts.set(d.tick, (counts.get(d.tick) ?? 0) + 1);
        return [...counts].find(([, n]) => n >= 2)?.[0];
      };
      await cluster.until(() => decidedByBoth() !== undefined, 'a backup tick both workers decided on', 150_000);
      const tick = decidedByBoth()!;
      const forTick = decisions().filter((d) => d.tick === tick);
      expect(forTick.map((d) => d.made).sort()).toEqual([false, true]);
      const made = decisions().filter((d) => d.made);
      expect(new Set(made.map((d) => d.tick)).size).toBe(made.length);
      const listed = await w2.api('GET', '/api/backups', undefined, token);
      expect(listed.status).toBe(200);
      const autos = (listed.body as Array<{ key: string }>).map((b) => b.key).filter((k) => k.startsWith('@auto_hearth_backup_'));
      expect(autos.sort()).toEqual(made.map((d) => d.key).sort());
      const off = await w1.api('PATCH', '/api/settings', { backups: { cron: '' } }, token);
      expect(off.status).toBe(200);
    } finally {
      w1.close();
      w2.close();
    }
  }, 180_000);
});
