/**
 * Lab 04, hedged-requests (Dean & Barroso, "The Tail at Scale", CACM 56(2), 2013): send a second
 * copy of a call to another replica once the first has been outstanding for the leaf's q-quantile
 * latency, take the first answer and cancel the loser. With an exponential leaf of rate μ and no
 * queueing the answer is min(X₁, d + X₂): P(T > t) = e^(−μt) below d and e^(−μ(2t − d)) above,
 * and a fraction e^(−μd) = 1 − q of calls send a hedge (the extra load). With queueing leaves
 * (M/M/1 per replica at ρ) the hedges add load and the delay is the leaf's own response-time
 * quantile −ln(1 − q)/(μ(1 − ρ)); there the simulation stands alone.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Deterministic } from '../../random/deterministic';
import { Exponential } from '../../random/exponential';
import type { MicroservicesConfig } from '../../systems/microservices/config';
import { simulateMicroservices } from '../../systems/microservices/system';
import { hedgeFraction, hedgedExponentialQuantile } from '../../systems/microservices/theory';
import { lab } from './shared';
import { requestsWork } from '../../experiment/work';

export const hedgeSettings = ['no queueing', 'queueing leaves'] as const;

/** Hedge delay (s) at the leaf's q-quantile; q = 1 means no hedge. */
export function hedgeDelay(setting: string, q: number, leafMean: number, rho: number): number {
  return setting === 'no queueing'
    ? -Math.log(1 - q) * leafMean
    : (-Math.log(1 - q) * leafMean) / (1 - rho);
}

/** A zero-time frontend calling one of 10 leaf replicas, hedged after `delay` (null: no hedge). */
export function hedgeConfig(
  setting: string,
  delay: number | null,
  leafMean: number,
  rho: number,
): MicroservicesConfig {
  const replicas = 10;
  const queueing = setting !== 'no queueing';
  const rate = queueing ? (rho * replicas) / leafMean : 20;
  return {
    services: [
      {
        name: 'frontend',
        service: new Deterministic(0),
        servers: 64,
        calls: [{ service: 'leaf', hedge: delay !== null ? { delay: delay } : undefined }],
      },
      {
        name: 'leaf',
        service: Exponential.withMean(leafMean),
        replicas: replicas,
        servers: queueing ? 1 : 64,
        balance: queueing ? 'random' : 'roundrobin',
      },
    ],
    clients: { rate: rate },
  };
}

export const hedgedRequests = defineExperiment({
  name: 'hedged-requests',
  title:
    'Hedged requests: p99 with a hedge after the leaf’s q-quantile, against its cost in extra load',
  description:
    'A frontend calls one of 10 leaf replicas (exponential, mean 10 ms); after the leaf’s q-quantile latency a second copy goes to another replica, the first answer wins and the loser is cancelled. ' +
    'Without queueing the p99 falls from 46 ms to 38 ms with a hedge at the p95 for 5 % more calls (1 − q), and to 27 ms with a hedge at the median for 50 % more. With queueing leaves (M/M/1 at ρ = 0.5 with random balancing) the same hedges help less: they add load.',
  lab,
  params: {
    quantiles: {
      type: 'numbers',
      default: [0.5, 0.75, 0.9, 0.95, 0.99, 1],
      min: 0.01,
      max: 1,
      doc: 'Hedge after the leaf’s q-quantile latency (1: never).',
    },
    settings: {
      type: 'choices',
      default: [...hedgeSettings],
      choices: hedgeSettings,
      doc: 'Leaves without queueing (the theory) or M/M/1 leaves at ρ.',
    },
    leafMean: {
      type: 'number',
      default: 0.01,
      min: 0,
      minOpen: true,
      max: 60,
      unit: 's',
      doc: 'Mean leaf service time.',
    },
    rho: {
      type: 'number',
      default: 0.5,
      min: 0.01,
      max: 0.95,
      doc: 'Leaf utilisation without hedges (queueing leaves).',
    },
    requests: {
      type: 'integer',
      default: 20000,
      min: 100,
      max: 1e7,
      unit: 'requests',
      doc: 'Requests measured per replication.',
    },
  },
  replications: 3,
  metrics: { p99: 'quantile', p50: 'quantile', extraLoad: 'nonNegative', overloaded: 'proportion' },
  precisionMetrics: ['p99'],
  statedPrecision: { p99: 0.1 },
  units: { q: 'quantile', p99: 's', p50: 's', extraLoad: 'fraction' },
  sharedSeedAcross: ['q'],
  points: (p) =>
    p.settings.flatMap((setting) => p.quantiles.map((q) => ({ setting: setting, q: q }))),
  workEstimate: (_point, p) => requestsWork(p.requests, 8),
  simulate: (point, p, seed) => {
    const q = point.q as number;
    const setting = point.setting as string;
    const config = hedgeConfig(
      setting,
      q < 1 ? hedgeDelay(setting, q, p.leafMean, p.rho) : null,
      p.leafMean,
      p.rho,
    );
    const rate = config.clients.rate as number;
    const s = simulateMicroservices(config, { seed: seed, duration: p.requests / rate, warmup: 2 });
    return {
      p99: s.latency.p99,
      p50: s.latency.p50,
      extraLoad: s.edges[0].hedges / s.requests,
      overloaded: s.overloaded ? 1 : 0,
    };
  },
  theory: (point, p) => {
    if (point.setting !== 'no queueing')
      return { p99_theory: null, p50_theory: null, extraLoad_theory: null };
    const q = point.q as number;
    const mu = 1 / p.leafMean;
    const d = q < 1 ? hedgeDelay('no queueing', q, p.leafMean, p.rho) : Infinity;
    return {
      p99_theory: hedgedExponentialQuantile(mu, d, 0.99),
      p50_theory: hedgedExponentialQuantile(mu, d, 0.5),
      extraLoad_theory: hedgeFraction(mu, d),
    };
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'extraLoad',
      y: 'p99',
      groupBy: 'setting',
      title: 'p99 vs extra load: each point a hedge quantile q (right: earlier hedges)',
      xAxis: { title: 'extra calls per request (hedges sent)' },
      yAxis: { title: 'p99 latency (s)' },
    }),
    theoryVsSimulation(t, {
      x: 'q',
      y: 'p99',
      groupBy: 'setting',
      title: 'p99 vs the hedge quantile q (q = 1: no hedge)',
      xAxis: { title: 'hedge after the leaf’s q-quantile' },
      yAxis: { title: 'p99 latency (s)' },
    }),
  ],
});
