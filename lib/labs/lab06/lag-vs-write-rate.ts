/**
 * Lab 06, experiment 2: replay lag (mean, p50, p99) vs write rate, beside d + the M/M/1 sojourn
 * of the apply queue; the knee at the apply capacity μ.
 */
import { defineExperiment } from '../../experiment/experiment';
import { figure, line, markers } from '../../plot/builders';
import { Deterministic } from '../../random/deterministic';
import { Exponential } from '../../random/exponential';
import { simulateReplication } from '../../systems/replication/simulate';
import { applyLagQuantile, meanApplyLag } from '../../systems/replication/theory';
import { col, LAB, replicationWork, applyRateParam, linkLatencyParam } from './common';

export const replicationLagVsWriteRate = defineExperiment({
  name: 'replication-lag-vs-write-rate',
  title: 'Replay lag vs write rate: the knee at the apply capacity',
  description:
    'Asynchronous replication, one apply thread of rate μ (exponential), constant link latency d. Below μ the replay lag is d + the M/M/1 sojourn, Exp(μ − λ): mean d + 1/(μ − λ), p-quantile d − ln(1 − p)/(μ − λ). At and above μ there is no steady state: the lag of the writes applied during a run grows with the run.',
  lab: LAB,
  params: {
    writeRates: {
      type: 'numbers',
      default: [20, 50, 80, 110, 140, 160, 175, 185, 190, 210, 230],
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 'writes/s',
      doc: 'write rates λ to simulate',
    },
    applyRate: applyRateParam,
    linkLatency: linkLatencyParam,
    duration: {
      type: 'number',
      default: 120,
      min: 1,
      max: 1e6,
      unit: 's',
      doc: 'simulated time after warm-up',
    },
    warmup: { type: 'number', default: 10, min: 0, max: 1e6, unit: 's', doc: 'warm-up discarded' },
  },
  replications: 5,
  metrics: {
    lagMean: 'nonNegative',
    lagP50: 'quantile',
    lagP99: 'quantile',
    overloaded: 'proportion',
  },
  precisionMetrics: ['lagMean', 'lagP99'],
  // worst just below saturation (rho 0.925); the median row is ±5 % (mean), ±11 % (p99)
  statedPrecision: { lagMean: 0.25, lagP99: 0.3 },
  units: { writeRate: 'writes/s', lagMean: 'ms', lagP50: 'ms', lagP99: 'ms' },
  points: (p) => p.writeRates.map((w) => ({ writeRate: w })),
  workEstimate: (point, p) =>
    replicationWork(point.writeRate as number, 0, 1, p.duration + p.warmup),
  simulate: (point, p, seed) => {
    const { summary } = simulateReplication(
      {
        replicas: 1,
        writeRate: point.writeRate as number,
        applyTime: new Exponential(p.applyRate),
        linkLatency: new Deterministic(p.linkLatency),
      },
      { seed, duration: p.duration, warmup: p.warmup },
    );
    return {
      lagMean: summary.lag.mean * 1000,
      lagP50: summary.lag.p50 * 1000,
      lagP99: summary.lag.p99 * 1000,
      overloaded: summary.overloaded ? 1 : 0,
    };
  },
  theory: (point, p) => {
    const l = point.writeRate as number;
    if (l >= p.applyRate)
      return {
        rho: l / p.applyRate,
        lagMean_theory: null,
        lagP50_theory: null,
        lagP99_theory: null,
      };
    return {
      rho: l / p.applyRate,
      lagMean_theory:
        1000 *
        meanApplyLag({
          writeRate: l,
          applyMean: 1 / p.applyRate,
          applyScv: 1,
          linkLatency: p.linkLatency,
        }),
      lagP50_theory: 1000 * applyLagQuantile(l, p.applyRate, p.linkLatency, 0.5),
      lagP99_theory: 1000 * applyLagQuantile(l, p.applyRate, p.linkLatency, 0.99),
    };
  },
  figures: (table, p) => {
    const x = col(table, 'writeRate') as number[];
    const traces = [];
    const names: Array<[string, string]> = [
      ['lagMean', 'mean'],
      ['lagP50', 'p50'],
      ['lagP99', 'p99'],
    ];
    // theory on a fine grid up to 0.99 μ
    const grid = Array.from({ length: 60 }, (_, i) => (p.applyRate * 0.99 * (i + 1)) / 60);
    // points whose replay backlog grew without bound over the run: no steady state, drawn apart
    const flagged = col(table, 'overloaded').map((v) => v !== null && v > 0);
    const keep = (v: Array<number | null>, overloaded: boolean) =>
      v.map((u, i) => (flagged[i] === overloaded ? u : null));
    for (const [m, label] of names) {
      const th = grid.map(
        (l) =>
          1000 *
          (m === 'lagMean'
            ? meanApplyLag({
                writeRate: l,
                applyMean: 1 / p.applyRate,
                applyScv: 1,
                linkLatency: p.linkLatency,
              })
            : applyLagQuantile(l, p.applyRate, p.linkLatency, m === 'lagP50' ? 0.5 : 0.99)),
      );
      traces.push(line(grid, th, { name: `${label}: d + M/M/1 sojourn`, group: m }));
      traces.push(
        markers(x, keep(col(table, m), false), {
          name: `${label}: simulation`,
          group: m,
          lower: keep(col(table, `${m}_lo`), false),
          upper: keep(col(table, `${m}_hi`), false),
        }),
      );
      if (flagged.some(Boolean))
        traces.push(
          markers(x, keep(col(table, m), true), {
            name: `${label}: overloaded, not a steady state`,
            group: m,
            symbol: 'x-open',
            size: 9,
          }),
        );
    }
    traces.push(
      line([p.applyRate, p.applyRate], [0.5, 1e6], {
        name: `apply capacity μ = ${p.applyRate}/s`,
        dash: 'dot',
        color: '#444',
      }),
    );
    return [
      figure(traces, {
        title: 'Replay lag vs write rate (one apply thread)',
        x: { title: 'write rate λ (writes/s)' },
        y: {
          title: 'replay lag (ms)',
          log: true,
          range: [
            0,
            Math.log10(
              Math.max(1e4, ...(col(table, 'lagP99').filter((v) => v !== null) as number[])) * 1.5,
            ),
          ],
        },
        height: 460,
      }),
    ];
  },
});
