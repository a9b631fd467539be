/**
 * Hearth on PostgreSQL against its raw baseline on the same kind of database: per scenario the
 * throughput ratio hearth-pg/raw-pg and the same per second of server CPU (less distorted on a
 * busy machine), beside what the move costs Hearth (hearth-pg/hearth, SQLite) and the raw servers
 * (raw-pg/raw). Shown when the run has `hearth-pg` (`--targets hearth-pg,raw-pg,…`).
 */
import type { RunResult } from './runner.ts';
import type { TargetName } from './target.ts';

export const PG_RATIO_HEADERS = ['scenario', 'hearth-pg/raw-pg', 'per CPU-s: hearth-pg/raw-pg', 'hearth-pg/hearth', 'raw-pg/raw'];

function figure(r: RunResult, scenario: string, target: TargetName, key: 'rps' | 'reqPerCpuSec'): number | null {
  const v = r.cells.find((c) => c.scenario === scenario && c.target === target)?.median?.[key];
  return v === undefined || Number.isNaN(v) ? null : v;
}

export function pgRatioRows(r: RunResult): string[][] {
  if (!r.targets.includes('hearth-pg')) return [];
  const ratio = (a: number | null, b: number | null): string => (a && b ? (a / b).toFixed(2) : 'n/a');
  return r.scenarios.map(({ id }) => [
    id,
    ratio(figure(r, id, 'hearth-pg', 'rps'), figure(r, id, 'raw-pg', 'rps')),
    ratio(figure(r, id, 'hearth-pg', 'reqPerCpuSec'), figure(r, id, 'raw-pg', 'reqPerCpuSec')),
    ratio(figure(r, id, 'hearth-pg', 'rps'), figure(r, id, 'hearth', 'rps')),
    ratio(figure(r, id, 'raw-pg', 'rps'), figure(r, id, 'raw', 'rps')),
  ]);
}
