/**
 * Lab 03, load-balancing-health-checks: HAProxy's detection delay U·inter + fall·T + (fall − 1)·inter
 * (the next check starts `inter` after the previous one ends, src/check.c; T = min(timeout, inter)
 * for a blackholed host, 0 for a crashed one whose closed port answers RST), U uniform, and the
 * requests that fail meanwhile, λ/k per second plus those inside the backend (E_k/M/1 mean number
 * in system).
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { line } from '../../plot/builders';
import { Exponential } from '../../random/exponential';
import type { BackendConfig } from '../../systems/loadbalancer/config';
import { simulateLoadBalancer } from '../../systems/loadbalancer/system';
import { detectionDelay, erlangKSigma } from '../../systems/loadbalancer/theory';
import { lab, serviceTimeSpec, rowsOf, timedWork } from './shared';

export const loadBalancingHealthChecks = defineExperiment({
  name: 'load-balancing-health-checks',
  title: 'Detection time and failed requests vs check interval x fall',
  description:
    "HAProxy's active checks: a backend that dies is marked down after `fall` consecutive failed checks, each check starting `inter` after the previous one ENDED (src/check.c). " +
    'A blackholed host (dead or cut off: nothing answers) lets each check time out after T = min(timeout, inter); a crashed process with its port closed refuses it at once (T = 0). ' +
    'Until the host is marked down the balancer keeps sending it requests, which fail (no retry here). The detection delay is U inter + fall T + (fall - 1) inter with U uniform: ' +
    'on average (fall - 1/2) inter + fall T, at most fall x inter + fall T; about lambda/k requests per second fail meanwhile, plus those inside the backend at the failure.',
  lab,
  params: {
    inters: {
      type: 'numbers',
      default: [0.5, 1, 2, 4],
      min: 0,
      minOpen: true,
      max: 600,
      unit: 's',
      doc: 'HAProxy `inter` values (default 2 s).',
    },
    falls: {
      type: 'numbers',
      default: [1, 2, 3],
      min: 1,
      max: 100,
      integer: true,
      doc: 'HAProxy `fall` values (default 3).',
    },
    timeout: {
      type: 'number',
      default: 1,
      min: 0,
      minOpen: true,
      max: 600,
      unit: 's',
      doc: 'HAProxy `timeout check`: how long a check of a blackholed backend takes to fail (at most `inter`).',
    },
    failureMode: {
      type: 'choice',
      default: 'blackhole',
      choices: ['blackhole', 'crash'],
      doc: "How the backend dies: 'blackhole' (nothing answers: checks time out) or 'crash' (the port is closed: checks are refused at once).",
    },
    backends: {
      type: 'integer',
      default: 4,
      min: 2,
      max: 1000,
      unit: 'backends',
      doc: 'Backends in the pool.',
    },
    rate: {
      type: 'number',
      default: 20,
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 'req/s',
      doc: 'Requests per second.',
    },
    serviceTime: serviceTimeSpec,
    crashes: {
      type: 'integer',
      default: 5,
      min: 1,
      max: 1000,
      doc: 'Crashes per replication (one backend, 40 s apart, 20 s each).',
    },
  },
  replications: 4,
  metrics: { detection: 'nonNegative', failed: 'nonNegative' },
  precisionMetrics: ['detection', 'failed'],
  // worst at fall 1, inter 4 s: each replication's delay is one uniform draw U·inter (0-4 s) plus the
  // check timeout, and four replications average four of them (±83 % / ±94 %); the median row is
  // ±11 % (detection), ±18 % (failed)
  statedPrecision: { detection: 0.9, failed: 1.0 },
  units: { inter: 's', fall: 'checks', detection: 's', failed: 'requests per crash' },
  points: (p) =>
    p.falls.flatMap((fall) =>
      p.inters.map((inter) => ({ fall: fall, inter: inter, checkBudget: fall * inter })),
    ),
  workEstimate: (point, p) =>
    timedWork(p.rate, 30 + 40 * p.crashes, p.backends, point.inter as number),
  simulate: (point, p, seed) => {
    const failures = Array.from({ length: p.crashes }, (_, i) => ({
      at: 30 + 40 * i,
      duration: 20,
    }));
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        retries: 0,
        clients: { model: 'open', rate: p.rate },
        pools: [
          {
            name: 'web',
            balance: 'roundrobin',
            service: new Exponential(1 / p.serviceTime),
            health_check: {
              inter: point.inter as number,
              fall: point.fall as number,
              timeout: p.timeout,
            },
            backends: Array.from({ length: p.backends }, (_, i): BackendConfig =>
              i === 0
                ? { failures: failures, failure_mode: p.failureMode as 'blackhole' | 'crash' }
                : {},
            ),
          },
        ],
      },
      { seed: seed, duration: 30 + 40 * p.crashes },
    );
    const delays = s.detections.map((d) => d.delay);
    return {
      detection: delays.reduce((a, b) => a + b, 0) / delays.length,
      failed: s.failures.backend / p.crashes,
    };
  },
  theory: (point, p) => {
    const d = detectionDelay(point.inter as number, point.fall as number, p.timeout, {
      failure_mode: p.failureMode as 'blackhole' | 'crash',
    });
    const rho = (p.rate * p.serviceTime) / p.backends;
    const inside = rho < 1 ? rho / (1 - erlangKSigma(p.backends, rho)) : null; // E_k/M/1 mean number in system
    return {
      detection_theory: d.mean,
      detection_max: d.max,
      failed_theory: inside === null ? null : (p.rate / p.backends) * d.mean + inside,
    };
  },
  figures: (t: ColumnTable) => {
    const det = theoryVsSimulation(t, {
      x: 'checkBudget',
      y: 'detection',
      groupBy: 'fall',
      title: 'Time to mark a dead backend down (dotted: worst case)',
      xAxis: { title: 'fall × inter (s)' },
      yAxis: { title: 'detection delay (s)', fromZero: true },
    });
    const rows = rowsOf(t).sort((a, b) => (a.checkBudget as number) - (b.checkBudget as number));
    const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
    Array.from(new Set(rows.map((r) => r.fall as number))).forEach((fall, k) => {
      const rs = rows.filter((r) => r.fall === fall);
      det.data.push(
        line(
          rs.map((r) => r.checkBudget as number),
          rs.map((r) => r.detection_max as number),
          {
            name: `fall = ${fall}: worst case`,
            color: palette[k % palette.length],
            dash: 'dot',
            group: `fall = ${fall}`,
          },
        ),
      );
    });
    const failed = theoryVsSimulation(t, {
      x: 'checkBudget',
      y: 'failed',
      groupBy: 'fall',
      title: 'Requests failed per crash',
      xAxis: { title: 'fall × inter (s)' },
      yAxis: { title: 'failed requests per crash', fromZero: true },
    });
    return [det, failed];
  },
});
