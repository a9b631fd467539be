/**
 * Smoke test of the harness itself: one tiny round of every scenario against the raw baseline
 * (and Hearth when its CLI exists, with the realtime fan-out), driven by autocannon, which is
 * always installed. Asserts the result's structure only — never timings — and, for the fan-out,
 * that every subscriber got exactly its own events.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from './scenarios/index.ts';
import { PLANS } from './harness/plan.ts';
import { cleanupAll } from './harness/processes.ts';
import { hookRows, ratios } from './harness/report.ts';
import { runBench } from './harness/runner.ts';
import { pgRatioRows } from './harness/pg-report.ts';
import { hearthAvailable } from './harness/target-hearth.ts';
import type { TargetName } from './harness/target.ts';

const FIGURES = ['rps', 'p50', 'p90', 'p99', 'cpuPct', 'rssMb', 'requests', 'durationSec'] as const;

describe('bench harness', () => {
  afterAll(() => cleanupAll());

  it('runs one tiny round and reports numeric figures', { timeout: 180_000 }, async () => {
    const targets: TargetName[] = hearthAvailable() === null ? ['raw', 'hearth', 'hearth-hooks'] : ['raw'];
    const result = await runBench({
      plan: PLANS.smoke,
      targets,
      scenarios: [...SCENARIOS.map((s) => s.id), ...(targets.includes('hearth') ? ['fanout', 'fanout-nonmatching'] : [])],
      tool: 'autocannon',
      threads: 1,
      log: () => {},
    });

    expect(result.cells).toHaveLength(SCENARIOS.length * targets.length);
    for (const cell of result.cells.filter((c) => c.target === 'raw')) {
      expect(cell.na, `${cell.scenario}: ${cell.na}`).toBeNull();
      for (const key of FIGURES) expect(typeof cell.median?.[key], `${cell.scenario}.${key}`).toBe('number');
      expect(cell.median!.requests).toBeGreaterThan(0);
    }
    // Hearth may still lack a feature: then the cell says why instead of holding figures.
    for (const cell of result.cells.filter((c) => c.target === 'hearth')) {
      if (cell.median) for (const key of FIGURES) expect(typeof cell.median[key]).toBe('number');
      else expect(cell.na).toEqual(expect.any(String));
    }
    // With a hooks file that hooks nothing these requests touch, Hearth answers every scenario it
    // answers without one, and the hook-cost table has a row per scenario.
    for (const cell of result.cells.filter((c) => c.target === 'hearth-hooks')) {
      const plain = result.cells.find((c) => c.target === 'hearth' && c.scenario === cell.scenario)!;
      if (plain.median) expect(cell.na, `${cell.scenario}: ${cell.na}`).toBeNull();
    }
    if (targets.includes('hearth-hooks')) expect(hookRows(result).map((r) => r[0])).toEqual(SCENARIOS.map((s) => s.id));
    expect(ratios(result).map((r) => r.scenario)).toEqual(SCENARIOS.map((s) => s.id));
    for (const f of result.fanout ?? []) {
      expect(f.na, `fanout (${f.form})`).toBeNull();
      for (const rate of f.rates) {
        expect(rate.na, `fanout ${rate.rate}/s`).toBeNull();
        expect(rate.median!.delivered).toBe(rate.median!.expected);
        expect(rate.median!.expected).toBeGreaterThan(0);
        expect(rate.median!.duplicates + rate.median!.unexpected).toBe(0);
        expect(typeof rate.median!.cpuUsPerEvent).toBe('number');
      }
      // Every level ran, its non-matching subscriptions received nothing, the owners got everything.
      expect(f.nonMatching.map((l) => l.subscriptions)).toEqual(PLANS.smoke.fanout.nonMatching.levels);
      for (const l of f.nonMatching) {
        expect(l.na, `non-matching ${l.subscriptions}`).toBeNull();
        expect(l.report.unexpected).toBe(0);
        expect(l.report.delivered).toBe(l.report.expected);
        expect(l.report.writesOk).toBeGreaterThan(0);
      }
    }
  });

  it('runs Hearth on PostgreSQL beside the raw baseline there, every scenario answered as on SQLite', { timeout: 300_000 }, async () => {
    const result = await runBench({ plan: PLANS.smoke, targets: ['raw-pg', 'hearth-pg'], scenarios: SCENARIOS.map((s) => s.id), tool: 'autocannon', threads: 1, log: () => {} });
    expect(result.cells).toHaveLength(SCENARIOS.length * 2);
    for (const cell of result.cells.filter((c) => c.target === 'hearth-pg')) {
      // The preflight checked each scenario's first answer: the same shapes as the other targets'.
      expect(cell.na, `${cell.scenario}: ${cell.na}`).toBeNull();
      expect(cell.median!.requests).toBeGreaterThan(0);
      expect(cell.median!.non2xx, cell.scenario).toBe(0);
    }
    expect(pgRatioRows(result).map((r) => r[0])).toEqual(SCENARIOS.map((s) => s.id));
    for (const row of pgRatioRows(result)) expect(row[1], row[0]).toMatch(/^\d+\.\d\d$/);
  });

  it('runs the raw baseline on PostgreSQL through every scenario', { timeout: 180_000 }, async () => {
    const result = await runBench({ plan: PLANS.smoke, targets: ['raw-pg'], scenarios: SCENARIOS.map((s) => s.id), tool: 'autocannon', threads: 1, log: () => {} });
    expect(result.cells).toHaveLength(SCENARIOS.length);
    for (const cell of result.cells) {
      // The preflight checked each scenario's first answer: the same shapes as the SQLite baseline.
      expect(cell.na, `${cell.scenario}: ${cell.na}`).toBeNull();
      for (const key of FIGURES) expect(typeof cell.median?.[key], `${cell.scenario}.${key}`).toBe('number');
      expect(cell.median!.requests).toBeGreaterThan(0);
      expect(cell.median!.non2xx, cell.scenario).toBe(0);
    }
  });
});
