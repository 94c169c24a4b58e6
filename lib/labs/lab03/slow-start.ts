/**
 * Lab 03, load-balancing-slow-start: Envoy's slow_start_config ramp, weight ×
 * max(min_weight_percent/100, (t/window)^(1/aggression)), so the returning backend's round-robin
 * share is f/(f + 3).
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Exponential } from '../../random/exponential';
import { simulateLoadBalancer } from '../../systems/loadbalancer/system';
import { lab, timedWork } from './shared';

/** Envoy's slow-start factor max(min_weight_percent/100, (max(t, 1)/window)^(1/aggression)), capped at 1. */
function slowStartFactor(
  t: number,
  window: number,
  aggression: number,
  minPercent: number,
): number {
  if (window <= 0 || t >= window) return 1;
  return Math.min(1, Math.max(minPercent / 100, Math.pow(Math.max(t, 1) / window, 1 / aggression)));
}

export const loadBalancingSlowStart = defineExperiment({
  name: 'load-balancing-slow-start',
  title: "Slow start: the returning backend's share of requests",
  description:
    'Backend 0 of 4 is down from 20 s to 40 s and comes back cold. Without slow start it gets its full quarter of the requests at once; ' +
    "with Envoy's slow_start_config its weight ramps as max(min_weight_percent, (t/slow_start_window)^(1/aggression)) of the nominal weight, " +
    'so under weighted round robin its share is f/(f + 3) and rises to 1/4 over the window instead of stepping.',
  lab,
  params: {
    windows: {
      type: 'numbers',
      default: [0, 30],
      min: 0,
      max: 3600,
      unit: 's',
      doc: 'Envoy `slow_start_window` values (0: no slow start).',
    },
    aggression: {
      type: 'number',
      default: 1,
      min: 0.1,
      max: 10,
      doc: 'Envoy `aggression` (1: linear).',
    },
    minWeightPercent: {
      type: 'number',
      default: 10,
      min: 0,
      max: 100,
      doc: 'Envoy `min_weight_percent`.',
    },
    rate: {
      type: 'number',
      default: 200,
      min: 1,
      max: 1e6,
      unit: 'req/s',
      doc: 'Requests per second.',
    },
    bin: { type: 'number', default: 2, min: 0.1, max: 60, unit: 's', doc: 'Width of a time bin.' },
  },
  replications: 3,
  metrics: { share: 'proportion' },
  precisionMetrics: ['share'],
  // worst at the ramp's first seconds (a share of 3 %); the median row is ±1 %
  statedPrecision: { share: 0.2 },
  units: { slow_start_window: 's', share: 'fraction of requests', t: 's' },
  sharedSeedAcross: ['slow_start_window'],
  points: (p) => p.windows.map((w) => ({ slow_start_window: w })),
  workEstimate: (_point, p) => timedWork(p.rate, 100, 4),
  simulate: (point, p, seed) => {
    const w = point.slow_start_window as number;
    const until = 100;
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        timeline_bin: p.bin,
        clients: { model: 'open', rate: p.rate },
        pools: [
          {
            name: 'web',
            balance: 'roundrobin',
            service: new Exponential(100),
            slow_start:
              w > 0
                ? {
                    slow_start_window: w,
                    aggression: p.aggression,
                    min_weight_percent: p.minWeightPercent,
                  }
                : false,
            // a restart: the process is gone but the host answers, so connections are refused at once ('crash')
            backends: [{ failures: [{ at: 20, duration: 20 }], failure_mode: 'crash' }, {}, {}, {}],
          },
        ],
      },
      { seed: seed, duration: until },
    );
    const bins = Math.round(until / p.bin);
    const tl = s.timeline;
    return Array.from({ length: bins }, (_, i) => {
      const all = tl.dispatched.reduce((sum, d) => sum + (d[i] ?? 0), 0);
      // the bin average of f/(f + 3); none while it is down (without checks the balancer keeps trying it,
      // and the L7 retry of each failure goes elsewhere)
      const lo = i * p.bin;
      let th: number | null = 0;
      for (let k = 0; k < 50; k++) {
        const t = lo + ((k + 0.5) * p.bin) / 50;
        if (t >= 20 && t < 40) th = null;
        if (th === null) break;
        const f = t < 20 ? 1 : slowStartFactor(t - 40, w, p.aggression, p.minWeightPercent);
        th += f / (f + 3) / 50;
      }
      return {
        t: lo + p.bin / 2,
        share: all > 0 ? (tl.dispatched[0][i] ?? 0) / all : null,
        share_theory: th,
      };
    });
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 't',
      y: 'share',
      groupBy: 'slow_start_window',
      title: 'Share of requests sent to backend 0 (down 20-40 s)',
      xAxis: { title: 'time (s)' },
      yAxis: { title: 'share of requests', fromZero: true },
    }),
  ],
});
