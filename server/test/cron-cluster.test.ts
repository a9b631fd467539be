/**
 * Cron across the workers of one deployment: `hearth serve --workers 2` on a hooks folder with a
 * job every second. Both workers schedule it (each lists it), yet each tick runs exactly once,
 * in one of the two worker processes (the tick is claimed in `_cronRuns`).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adminToken, Cluster } from './cluster-helpers.ts';

const TICKS_WANTED = 6;
const hooksDir = mkdtempSync(join(tmpdir(), 'hearth-cluster-hooks-'));
const ticksFile = join(hooksDir, 'ticks.log');
let cluster: (Cluster & { dir: string }) | null = null;

const ticks = (): string[] => (existsSync(ticksFile) ? readFileSync(ticksFile, 'utf8').trim().split('\n').filter(Boolean) : []);

afterAll(async () => {
  await cluster?.stop();
  if (cluster) rmSync(cluster.dir, { recursive: true, force: true });
  rmSync(hooksDir, { recursive: true, force: true });
});

describe('cron across workers', () => {
  it('both workers schedule the job, and every tick runs exactly once', async () => {
    copyFileSync(join(import.meta.dirname, 'fixtures/hooks-cron-cluster.ts'), join(hooksDir, 'jobs.ts'));
    cluster = await Cluster.start(2, { args: ['--hooks', hooksDir], env: { TICKS_FILE: ticksFile } });
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
});
