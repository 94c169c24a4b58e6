/**
 * Lab 04, circuit-breaker: a service `api` calls `dependency` (per-try timeout T) for every
 * request; the dependency hangs for `outage` seconds (its replica still accepts connections, so
 * every call waits for the timeout). Without a breaker every call reaches the hung dependency
 * and every caller waits T. With Resilience4j's CircuitBreaker (defaults: failureRateThreshold
 * 50 %, COUNT_BASED window 100, minimumNumberOfCalls 100, permittedNumberOfCallsInHalfOpenState
 * 10) the window full of successes opens at the 50th failure, recorded T after it was sent, so
 * 50 + λT calls get through first; then each cycle of waitDurationInOpenState W plus the trials
 * (10 arrivals at λ, the last failing T later) lets 10 calls through:
 *   calls reaching ≈ [50 + λT + 10·(⌊(D − 50/λ − T − W) / (W + 10/λ + T)⌋ + 1)] / D per second
 * (the reference's "≈ 10 probes per 60 s"), and callers are rejected at once instead of waiting:
 * mean caller latency ≈ s_api + T·(calls reaching / λ).
 * Measured over the outage only (the warm-up ends when it begins).
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Exponential } from '../../random/exponential';
import type { MicroservicesConfig } from '../../systems/microservices/config';
import { simulateMicroservices } from '../../systems/microservices/system';
import { lab } from './shared';
import { openLoadWork } from '../../experiment/work';

export interface BreakerScenario {
  rate: number;
  timeout: number;
  outageAt: number;
  outage: number;
  waitDurationInOpenState: number;
  breaker: boolean;
  timelineBin?: number;
}

/** The breaker model: client → api (5 ms) → dependency (10 ms, 8 workers), the dependency hung over [outageAt, outageAt + outage). */
export function breakerConfig(s: BreakerScenario): MicroservicesConfig {
  return {
    services: [
      {
        name: 'api',
        servers: 8,
        service: Exponential.withMean(0.005),
        calls: [
          {
            service: 'dependency',
            timeout: s.timeout,
            circuitBreaker: s.breaker
              ? { waitDurationInOpenState: s.waitDurationInOpenState }
              : undefined,
          },
        ],
      },
      {
        name: 'dependency',
        servers: 8,
        service: Exponential.withMean(0.01),
        onCrash: 'keep',
        propagateCancellation: true,
        failures: { outages: [{ at: s.outageAt, duration: s.outage }] },
      },
    ],
    clients: { rate: s.rate },
    timelineBin: s.timelineBin ?? 0,
  };
}

/** Calls per second reaching the hung dependency with the breaker (see the header). */
export function breakerCallsTheory(
  rate: number,
  timeout: number,
  outage: number,
  wait: number,
  permitted = 10,
  threshold = 50,
): number {
  const first = threshold + rate * timeout;
  const opensAt = threshold / rate + timeout;
  // HALF_OPEN phases that begin within the outage, one every W + 10/λ + T after the first opening
  const cycle = wait + permitted / rate + timeout;
  const phases = outage > opensAt + wait ? Math.floor((outage - opensAt - wait) / cycle) + 1 : 0;
  return Math.min(rate, (first + permitted * phases) / outage);
}

export const circuitBreaker = defineExperiment({
  name: 'circuit-breaker',
  title:
    'Circuit breaker: calls reaching a hung dependency, and caller latency, with and without Resilience4j’s breaker',
  description:
    'Requests at 20 req/s; the api calls a dependency with a 1 s timeout; the dependency hangs for 600 s. Without the breaker all 20 calls/s reach it and every request waits 1 s and fails. ' +
    'With the breaker (Resilience4j defaults) it opens after 50 failures and then lets 10 trial calls through per waitDurationInOpenState: about 10 per 60 s at the default; ' +
    'requests are rejected at once (fail fast). Measured over the outage.',
  lab,
  params: {
    waits: {
      type: 'numbers',
      default: [10, 30, 60],
      min: 0.1,
      max: 3600,
      unit: 's',
      doc: 'waitDurationInOpenState values.',
    },
    rate: { type: 'number', default: 20, min: 1, max: 1e4, unit: 'req/s', doc: 'Request rate.' },
    timeout: {
      type: 'number',
      default: 1,
      min: 0.01,
      max: 60,
      unit: 's',
      doc: 'Per-try timeout of the api’s call.',
    },
    outage: {
      type: 'number',
      default: 600,
      min: 10,
      max: 1e5,
      unit: 's',
      doc: 'How long the dependency hangs.',
    },
  },
  replications: 3,
  metrics: { callsPerSecond: 'nonNegative', meanLatency: 'nonNegative', p99: 'quantile' },
  precisionMetrics: ['callsPerSecond', 'meanLatency'],
  statedPrecision: { callsPerSecond: 0.05, meanLatency: 0.05 },
  units: { wait: 's', callsPerSecond: 'calls/s', meanLatency: 's', p99: 's' },
  points: (p) => ['off', 'on'].flatMap((b) => p.waits.map((w) => ({ breaker: b, wait: w }))),
  workEstimate: (_point, p) => openLoadWork(p.rate, 30 + p.outage, 8, 'rate × outage'),
  simulate: (point, p, seed) => {
    const outageAt = 30;
    const s = simulateMicroservices(
      breakerConfig({
        rate: p.rate,
        timeout: p.timeout,
        outageAt: outageAt,
        outage: p.outage,
        waitDurationInOpenState: point.wait as number,
        breaker: point.breaker === 'on',
      }),
      {
        seed: seed,
        warmup: outageAt,
        duration: p.outage,
      },
    );
    return {
      callsPerSecond: s.services[1].arrivals / p.outage,
      meanLatency: s.latencyAll.mean,
      p99: s.latencyAll.p99,
    };
  },
  theory: (point, p) => {
    const calls =
      point.breaker === 'on'
        ? breakerCallsTheory(p.rate, p.timeout, p.outage, point.wait as number)
        : p.rate;
    // a request reaching the dependency waits the timeout; a rejected one only the api's 5 ms
    return {
      callsPerSecond_theory: calls,
      meanLatency_theory: 0.005 + (p.timeout * calls) / p.rate,
    };
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'wait',
      y: 'callsPerSecond',
      groupBy: 'breaker',
      title: 'Calls per second reaching the hung dependency',
      xAxis: { title: 'waitDurationInOpenState (s)' },
      yAxis: { title: 'calls/s', log: true },
    }),
    theoryVsSimulation(t, {
      x: 'wait',
      y: 'meanLatency',
      groupBy: 'breaker',
      title: 'Mean caller latency during the outage',
      xAxis: { title: 'waitDurationInOpenState (s)' },
      yAxis: { title: 'mean latency (s)', log: true },
    }),
  ],
});
