/**
 * Lab 04, retry-storm: goodput after a transient overload with no retries, naive retries,
 * Envoy's jittered exponential back-off, and a retry budget (Envoy `retry_budget`:
 * budget_percent 20 %, min_retry_concurrency 3).
 *
 * A service of c workers (exponential service) behind a client with a per-try timeout. While
 * healthy almost no call times out and the load is λ. A surge (×`surgeMultiplier` for
 * `surgeDuration` s) fills the queue past timeout × capacity: every call then times out while
 * the service still does its work (nobody cancels it), and each timeout sends a retry, so the
 * offered load becomes Σ_{i=0..r} f^i·λ with f → 1, i.e. (r + 1)·λ > cμ: the overload sustains
 * itself after the surge ends, a metastable failure (Bronson et al., HotOS 2021; Huang et al.,
 * OSDI 2022). Back-off spreads the retries but does not lower their number; the budget caps
 * them at about 20 % of the calls in flight, so the load falls back below capacity and the
 * service recovers.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { figure, line, markers } from '../../plot/builders';
import { Exponential } from '../../random/exponential';
import type { MicroservicesConfig } from '../../systems/microservices/config';
import { simulateMicroservices } from '../../systems/microservices/system';
import { retryLoadMultiplier } from '../../systems/microservices/theory';
import { lab } from './shared';
import { workOf } from '../../experiment/work';

export const retryStrategies = [
  'no retries',
  'naive retries',
  'backoff + jitter',
  'retry budget',
] as const;
export type RetryStrategy = (typeof retryStrategies)[number];

export interface RetryStormOptions {
  /** Workers c and mean service time s: capacity c/s. */
  servers: number;
  serviceTime: number;
  /** Client per-try timeout (s) and retries r. */
  timeout: number;
  retries: number;
  /** Calls a worker pool holds (queue + service). */
  capacity: number;
  surgeAt: number;
  surgeDuration: number;
  surgeMultiplier: number;
  /** Envoy retry_back_off base_interval (s) of the back-off strategy (max_interval 10x). */
  baseInterval: number;
  timelineBin?: number;
}

export const retryStormDefaults: RetryStormOptions = {
  servers: 4,
  serviceTime: 0.1,
  timeout: 1,
  retries: 3,
  capacity: 120,
  surgeAt: 60,
  surgeDuration: 20,
  surgeMultiplier: 2.5,
  baseInterval: 0.1,
};

/** The retry-storm model at load ρ = λ·s/c under `strategy`. */
export function retryStormConfig(
  strategy: RetryStrategy,
  rho: number,
  o: RetryStormOptions = retryStormDefaults,
): MicroservicesConfig {
  const rate = (rho * o.servers) / o.serviceTime;
  const retrying = strategy !== 'no retries';
  return {
    services: [
      {
        name: 'api',
        servers: o.servers,
        service: Exponential.withMean(o.serviceTime),
        capacity: o.capacity,
        retry_budget:
          strategy === 'retry budget'
            ? { budget_percent: 20, min_retry_concurrency: 3 }
            : undefined,
      },
    ],
    clients: {
      rate: rate,
      surges: [{ at: o.surgeAt, duration: o.surgeDuration, multiplier: o.surgeMultiplier }],
      call: {
        timeout: o.timeout,
        retry_policy: retrying
          ? {
              num_retries: o.retries,
              retry_back_off: {
                base_interval: strategy === 'backoff + jitter' ? o.baseInterval : 0,
              },
            }
          : undefined,
      },
    },
    timelineBin: o.timelineBin ?? 0,
  };
}

export const retryStorm = defineExperiment({
  name: 'retry-storm',
  title: 'Retry storm: goodput after a transient overload vs offered load, by retry strategy',
  description:
    'Poisson requests to a service of 4 workers (mean 100 ms, capacity 40 req/s) with a 1 s per-try timeout and up to 3 retries. At t = 60 s the load surges ×2.5 for 20 s. ' +
    'Goodput and latency are measured from t = 120 s, long after the surge ended. Without retries the queue drains; naive retries and retries with back-off keep every call timing out ' +
    '(the load multiplier Σ f^i reaches r + 1 = 4 with f → 1: a metastable failure); the retry budget caps retries at 20 % of active calls and recovers.',
  lab,
  params: {
    utilisations: {
      type: 'numbers',
      default: [0.3, 0.5, 0.7, 0.85],
      min: 0.01,
      max: 0.99,
      doc: 'Offered load ρ = λ·s/c before and after the surge.',
    },
    strategies: {
      type: 'choices',
      default: [...retryStrategies],
      choices: retryStrategies,
      doc: 'Retry strategies.',
    },
    measure: {
      type: 'number',
      default: 120,
      min: 10,
      max: 1e5,
      unit: 's',
      doc: 'Seconds measured from t = 120 s.',
    },
  },
  replications: 3,
  metrics: {
    goodputRatio: 'nonNegative',
    p99: 'quantile',
    attemptsPerRequest: 'nonNegative',
    attemptFailure: 'proportion',
  },
  precisionMetrics: ['goodputRatio', 'attemptsPerRequest'],
  statedPrecision: { goodputRatio: 0.15, attemptsPerRequest: 0.05 },
  units: {
    rho: 'fraction',
    goodputRatio: 'fraction',
    p99: 's',
    attemptsPerRequest: 'attempts',
    attemptFailure: 'fraction',
  },
  sharedSeedAcross: ['strategy'],
  points: (p) =>
    p.strategies.flatMap((strategy) =>
      p.utilisations.map((rho) => ({ strategy: strategy, rho: rho })),
    ),
  workEstimate: (point, p) =>
    workOf({
      measure:
        16 *
        (((point.rho as number) * retryStormDefaults.servers) / retryStormDefaults.serviceTime) *
        (120 + p.measure),
    }),
  simulate: (point, p, seed) => {
    const rho = point.rho as number;
    const rate = (rho * retryStormDefaults.servers) / retryStormDefaults.serviceTime;
    const s = simulateMicroservices(retryStormConfig(point.strategy as RetryStrategy, rho), {
      seed: seed,
      warmup: 120,
      duration: p.measure,
    });
    const e = s.edges[0];
    return {
      goodputRatio: s.goodput / rate,
      p99: s.latency.p99,
      attemptsPerRequest: s.attemptsPerRequest,
      attemptFailure: e.succeeded + e.failed > 0 ? e.failed / (e.succeeded + e.failed) : NaN,
    };
  },
  theory: (point) => ({
    goodputRatio_theory: 1,
    attemptsPerRequest_theory: point.strategy === 'no retries' ? 1 : null,
  }),
  figures: (t: ColumnTable) => {
    const rows = t.objects() as Array<Record<string, number | string | null>>;
    const strategies = retryStrategies.filter((k) => rows.some((r) => r.strategy === k));
    const rhos = [...new Set(rows.map((r) => r.rho as number))].sort((a, b) => a - b);
    const span = rhos.length > 1 ? rhos[rhos.length - 1] - rhos[0] : 1;
    const offset = (i: number) => (i - (strategies.length - 1) / 2) * 0.012 * span; // side by side: the points would hide each other
    const series = (y: string) =>
      strategies.map((k, i) => {
        const rs = rows.filter((r) => r.strategy === k);
        return markers(
          rs.map((r) => (r.rho as number) + offset(i)),
          rs.map((r) => r[y] as number),
          {
            name: k,
            group: k,
            lower: rs.map((r) => r[`${y}_lo`] as number),
            upper: rs.map((r) => r[`${y}_hi`] as number),
            symbol: ['circle', 'square', 'diamond', 'triangle-up'][i % 4],
          },
        );
      });
    const ends = [rhos[0] - 0.03 * span, rhos[rhos.length - 1] + 0.03 * span];
    const r = retryStormDefaults.retries;
    // the multiplier holds where every failed try is retried (up to r): naive and back-off; a budget refuses some
    const unconditional = strategies
      .map((k, i) => ({ k: k, i: i }))
      .filter((x) => x.k === 'naive retries' || x.k === 'backoff + jitter');
    const multiplier = unconditional.map(({ k, i }, j) => {
      const rs = rows.filter((x) => x.strategy === k);
      return markers(
        rs.map((x) => (x.rho as number) + offset(i)),
        rs.map((x) => retryLoadMultiplier(Math.max(0, x.attemptFailure as number), r)),
        {
          name: `Σ_{i≤${r}} f^i at the measured f`,
          color: '#444',
          symbol: 'x-thin-open',
          size: 12,
          showlegend: j === 0,
        },
      );
    });
    return [
      figure(
        [
          line(ends, [1, 1], { name: 'healthy: goodput = offered', color: '#444', dash: 'dot' }),
          ...series('goodputRatio'),
        ],
        {
          title: 'Goodput after the surge ended (share of offered requests answered in time)',
          x: { title: 'offered load ρ' },
          y: { title: 'goodput / offered', range: [-0.05, 1.15] },
        },
      ),
      figure(
        [
          line(ends, [r + 1, r + 1], {
            name: `f → 1: r + 1 = ${r + 1}`,
            color: '#444',
            dash: 'dot',
          }),
          line(ends, [1, 1], { name: 'f = 0: 1', color: '#999', dash: 'dot' }),
          ...series('attemptsPerRequest'),
          ...multiplier,
        ],
        {
          title: 'Attempts per request: the load multiplier Σ_{i=0..r} f^i (x: at the measured f)',
          x: { title: 'offered load ρ' },
          y: { title: 'attempts per request' },
        },
      ),
    ];
  },
});

/** The multiplier Σ_{i=0..r} f^i at the attempt failure ratio f measured in a row (for tables). */
export function retryMultiplierOf(
  attemptFailure: number,
  retries = retryStormDefaults.retries,
): number {
  return retryLoadMultiplier(attemptFailure, retries);
}
