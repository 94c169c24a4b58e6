import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Exponential } from '../../../lib/random';
import { Sink, Source, Station } from '../../../lib/sim';
import type { Simulation } from '../../../lib/sim';
import { collectWarmup, reportWarmup } from '../../../lib/sim/warmup-report';
import type { WarmupReport } from '../../../lib/sim/warmup-report';
import { WARMUP_SAMPLES, measure } from '../../../lib/systems/common/runner';
import { defineExperiment } from '../../../lib/experiment/experiment';
import { withWarmupReport } from '../../../lib/experiment/aggregate';
import { simulateTask } from '../../../lib/experiment/run';
import { shardStem } from '../../../lib/experiment/shard';
import { findShardFiles, mergeShards } from '../../../lib/experiment/merge';
import { writeResult } from '../../../lib/experiment/results';
import { ResultCache } from '../../../lib/experiment/cache';
import { catalog } from '../../../lib/labs/catalog';
import { warmupVerdict } from '../../../scripts/ci/precision-check';

/**
 * M/M/1, λ = 0.5, μ = 1 (ρ = 0.5, steady-state mean number in system ρ/(1 − ρ) = 1), started with
 * `backlog` jobs queued at time 0: the backlog drains at μ − λ = 0.5 jobs/s, so the transient of
 * the work in progress lasts about backlog / (μ − λ) = 400 s for 200 jobs. Another `arrivalRate`
 * gives another λ (1.5: ρ = 1.5, unstable).
 */
const backlogged =
  (backlog: number, arrivalRate: number = 0.5) =>
  (sim: Simulation) => {
    const station = new Station(sim, {
      name: 'server',
      service: new Exponential(1),
      to: new Sink(sim, { name: 'done' }),
    });
    new Source(sim, { name: 'clients', interarrival: new Exponential(arrivalRate), to: station });
    for (let i = 0; i < backlog; i++) {
      const job = sim.jobs.alloc();
      sim.jobs.born[job] = 0;
      station.accept(job);
    }
    return station;
  };

describe('measure: the MSER-5 check of its fixed warm-up (lib/sim/warmup-report.ts)', () => {
  it('a known transient: MSER-5 truncates after a short fixed warm-up and before a long one', () => {
    const short = collectWarmup(() =>
      measure(backlogged(200), { seed: 3, warmup: 50, duration: 3000 }),
    ).reports;
    const long = collectWarmup(() =>
      measure(backlogged(200), { seed: 3, warmup: 1500, duration: 3000 }),
    ).reports;
    expect(short).toHaveLength(1);
    expect(long).toHaveLength(1);
    const [s, l] = [short[0], long[0]];
    expect(s).toMatchObject({
      deletedSeconds: 50,
      measuredSeconds: 3000,
      series: 'jobs in system',
      samples: WARMUP_SAMPLES,
      capped: false,
    });
    // too short by MSER-5's rule, long enough by it
    expect(s.mser5Seconds).toBeGreaterThan(50);
    expect(l.mser5Seconds).toBeLessThan(1500);
    // not before the backlog has drained: backlog / (μ − λ) = 400 s, spread about
    // sqrt(backlog (ρ + 1)) / (μ − λ) ≈ 35 s, so 200 s is ~6 spreads early
    for (const r of [s, l]) expect(r.mser5Seconds).toBeGreaterThan(200);
  });

  it('an unstable run (ρ > 1): MSER-5 at its cap, half the run', () => {
    const [r] = collectWarmup(() =>
      measure(backlogged(0, 1.5), { seed: 3, warmup: 10, duration: 990 }),
    ).reports;
    expect(r.capped).toBe(true);
    expect(r.mser5Seconds).toBe(500);
  });

  it('the sampler only reads: same numbers with and without it, 500 events more', () => {
    const plain = measure(backlogged(50), { seed: 9, warmup: 100, duration: 1000 });
    const checked = collectWarmup(() =>
      measure(backlogged(50), { seed: 9, warmup: 100, duration: 1000 }),
    ).result;
    expect(checked.system.summary()).toEqual(plain.system.summary());
    expect(checked.sim.now).toBe(plain.sim.now);
    expect(checked.sim.eventsProcessed).toBe(plain.sim.eventsProcessed + WARMUP_SAMPLES);
  });

  it('reports only inside a collection; nested collections stay apart', () => {
    const r: WarmupReport = {
      deletedSeconds: 1,
      mser5Seconds: 2,
      measuredSeconds: 3,
      series: 'jobs in system',
      samples: 500,
      capped: false,
    };
    reportWarmup(r); // nobody collecting: dropped
    const outer = collectWarmup(() => {
      reportWarmup(r);
      const inner = collectWarmup(() => reportWarmup({ ...r, mser5Seconds: 9 }));
      expect(inner.reports).toEqual([{ ...r, mser5Seconds: 9 }]);
    });
    expect(outer.reports).toEqual([r]);
  });

  it('withWarmupReport: the worst of several runs on the first observation; an own check kept', () => {
    const r = (deleted: number, mser: number): WarmupReport => ({
      deletedSeconds: deleted,
      mser5Seconds: mser,
      measuredSeconds: 100,
      series: 'jobs in system',
      samples: 500,
      capped: false,
    });
    const out = withWarmupReport([{ x: 1 }, { x: 2 }], [r(10, 12), r(0, 5), r(50, 1)]);
    expect(out[0]).toMatchObject({
      x: 1,
      warmupMser5Seconds: 5,
      warmupDeletedSeconds: 0,
      warmupRuns: 3,
    });
    expect(out[1]).toEqual({ x: 2 });
    const own = [{ x: 1, warmupTruncated: 30 }];
    expect(withWarmupReport(own, [r(10, 12)])).toBe(own);
    expect(withWarmupReport(own, [])).toBe(own);
  });
});

// A toy sweep through measure(): an M/M/1 with a backlog, the point's warm-up fixed.
const sweep = defineExperiment({
  name: 'toy-warmup-sweep',
  title: 'Toy warm-up sweep',
  description: 'M/M/1 with a backlog of 100 jobs, warm-up 20 s or 600 s.',
  params: {
    warmups: { type: 'numbers', default: [20, 600], min: 0, doc: 'warm-up (s)' },
  },
  replications: 3,
  metrics: ['W'],
  points: (p) => p.warmups.map((w) => ({ warmup: w })),
  simulate: (point, _p, seed) => {
    const { system } = measure(backlogged(100), {
      seed: seed,
      warmup: point.warmup as number,
      duration: 1500,
    });
    return { W: system.summary().meanResponse };
  },
  figures: () => [],
});

describe('the warm-up check in the provenance', () => {
  it('a toy sweep: per point, MSER-5 in seconds beside the fixed warm-up; rows without it', async () => {
    const r = await sweep.runWithProvenance({}, { seed: 4 });
    expect(r.provenance.warmup).toHaveLength(2);
    const [a, b] = r.provenance.warmup!;
    expect(a).toMatchObject({
      point: { warmup: 20 },
      method: 'MSER-5',
      deleted: 20,
      measured: 1500,
      unit: 'seconds',
      deletion: 'fixed: warmup seconds',
      series: 'jobs in system',
      samples: 500,
      beyond: 3,
      capped: 0,
    });
    expect(a.median).toBeGreaterThan(20);
    expect(b).toMatchObject({ point: { warmup: 600 }, deleted: 600, beyond: 0 });
    expect(Object.keys(r.rows[0])).toEqual(['warmup', 'replications', 'W', 'W_lo', 'W_hi']);
  });

  it('identical through shards + merge and the cache', async () => {
    const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-warmup-'));
    const whole = await sweep.runWithProvenance({}, { seed: 4 });
    const dir = tmp();
    for (let i = 0; i < 2; i++) {
      const part = await sweep.runWithProvenance({}, { seed: 4, shard: { index: i, count: 2 } });
      writeResult(sweep as never, part, dir, shardStem(sweep.name, { index: i, count: 2 }));
    }
    const merged = mergeShards(findShardFiles([dir]));
    expect(merged.provenance.warmup).toEqual(whole.provenance.warmup);
    expect(merged.rows).toEqual(whole.rows);
    const cache = new ResultCache(tmp());
    await sweep.runWithProvenance({}, { seed: 4, cache: cache });
    const cached = await sweep.runWithProvenance({}, { seed: 4, cache: cache });
    expect(cached.provenance.warmup).toEqual(whole.provenance.warmup);
    expect(cached.rows).toEqual(whole.rows);
  });

  it('a lab 04 experiment: every point has its entry, and its numbers are those of a plain simulate', async () => {
    const e = catalog.find((x) => x.name === 'bottleneck-service')!;
    const params = e.resolve({});
    const points = e.points(params);
    const r = await e.runWithProvenance({}, { seed: 2, replications: 2 });
    expect(r.provenance.warmup).toHaveLength(points.length);
    for (const w of r.provenance.warmup!)
      expect(w).toMatchObject({ unit: 'seconds', deletion: 'fixed: warmup seconds', samples: 500 });
    const task = { point: points[0], params: params, seed: 77 };
    const checked = simulateTask(e, task);
    const plain = e.simulate(points[0] as never, params as never, 77);
    const plainObs = Array.isArray(plain) ? plain : [plain];
    expect(checked).toHaveLength(plainObs.length);
    expect(checked[0]).toMatchObject(plainObs[0]);
    expect(typeof checked[0].warmupMser5Seconds).toBe('number');
    expect(checked.slice(1)).toEqual(plainObs.slice(1));
  });
});

describe('precision-check: the warm-up line', () => {
  it('counts the points beyond the fixed warm-up, the unsettled apart, and names the worst', () => {
    const at = (rho: number, median: number, beyond: number, capped = 0) => ({
      point: { rho: rho },
      median: median,
      max: median,
      deleted: 100,
      measured: 1000,
      unit: 'seconds',
      beyond: beyond,
      capped: capped,
    });
    const line = warmupVerdict('x', [at(0.5, 40, 0), at(0.8, 150, 3), at(0.9, 300, 4, 3)], 4);
    expect(line).toBe(
      "x: 1/3 points with MSER-5's median beyond the fixed warm-up (7 replications beyond at any point); " +
        '1 points never settle (MSER-5 at its cap, half the run, in most replications: overloaded or a transient by design); ' +
        'worst at rho=0.8: median 150 s vs 100 s deleted, 5.0% of the measured 1000 s',
    );
    expect(warmupVerdict('x', [], 4)).toBeNull();
  });
});
