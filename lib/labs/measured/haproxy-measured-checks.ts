/**
 * Lab 03, haproxy-measured-checks: how long real HAProxy takes to mark a dead backend DOWN under
 * `inter`, `fall`, `rise`, `timeout check`, beside the simulator's active checks and the closed
 * form U·inter + fall·T + (fall − 1)·inter (theory.ts detectionDelay; src/check.c: the next
 * check starts `inter` after the previous one ends; T = min(timeout, inter) for a blackholed
 * backend, 0 for a crashed one). Real failures: SIGKILL (port closed, the check is refused at
 * once) and SIGSTOP (the kernel still completes the handshake, the HTTP check waits for an
 * answer that never comes). Detection is read from the stats socket every 5 ms.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import type { Observation } from '../../experiment/experiment';
import { Exponential } from '../../random/exponential';
import { deriveSeed } from '../../random/streams';
import { findHaproxy, machine } from '../../measure/components';
import { runMeasurement } from '../../measure/run-sync';
import type { BackendConfig } from '../../systems/loadbalancer/config';
import { simulateLoadBalancer } from '../../systems/loadbalancer/system';
import { detectionDelay } from '../../systems/loadbalancer/theory';
import { intervalOf } from './batches';
import { measuredFigure } from './figures';

export const haproxyMeasuredChecks = defineExperiment({
  name: 'haproxy-measured-checks',
  requires: 'haproxy',
  title: 'Real HAProxy vs the model: time to mark a killed or frozen backend DOWN',
  description:
    "Debian's haproxy with `option httpchk` checks (inter, fall, rise, timeout check) over two real backends; backend b0 is killed (SIGKILL: crash, port closed) or frozen (SIGSTOP: blackhole, " +
    "the kernel accepts but nothing answers) at a random phase of its checks, and the time until the stats socket shows it DOWN is measured (source 'measured', a t interval over the trials), " +
    "beside the load balancer simulator's detections (source 'simulation') and the closed form U inter + fall T + (fall - 1) inter (T = min(timeout, inter) blackholed, 0 crashed). About 25 s.",
  lab: '03-load-balancing',
  params: {
    inter: { type: 'number', default: 0.5, min: 0.05, max: 10, unit: 's', doc: 'HAProxy `inter`.' },
    falls: { type: 'numbers', default: [1, 3], min: 1, max: 10, integer: true, doc: 'HAProxy `fall` values.' },
    rise: { type: 'integer', default: 1, min: 1, max: 10, doc: 'HAProxy `rise` (checks to come back UP between trials).' },
    timeout: { type: 'number', default: 0.2, min: 0.01, max: 10, unit: 's', doc: 'HAProxy `timeout check`.' },
    failureModes: { type: 'choices', default: ['crash', 'blackhole'], choices: ['crash', 'blackhole'], doc: "'crash' (SIGKILL) or 'blackhole' (SIGSTOP)." },
    sources: { type: 'choices', default: ['measured', 'simulation'], choices: ['measured', 'simulation'], doc: 'Which rows to produce.' },
    trials: { type: 'integer', default: 3, min: 2, max: 100, doc: 'Failures measured per point.' },
  },
  replications: 1,
  sharedSeedAcross: ['source'],
  metrics: ['detection'],
  points: (p) => p.sources.flatMap((source) => p.failureModes.flatMap((mode) => p.falls.map((fall) => ({ source: source, failure_mode: mode, fall: fall, checkBudget: fall * p.inter })))),
  simulate: (point, p, seed): Observation => {
    const fall = point.fall as number;
    const mode = point.failure_mode as 'crash' | 'blackhole';
    if (point.source === 'measured') {
      const h = findHaproxy();
      const r = runMeasurement<{ delays: number[] }>({ kind: 'haproxy-detection', args: { check: { inter: p.inter, fall: fall, rise: p.rise, timeout: p.timeout }, mode: mode, trials: p.trials, backends: 2, seed: seed } });
      const d = intervalOf(r.delays);
      return { detection: d.mean, detection_lo: d.lo, detection_hi: d.hi, trials: r.delays.length, component: `HAProxy ${h.version}`, machine: machine() };
    }
    const delays: number[] = [];
    const crashes = 20;
    // crashes at phases of the check cycle spread by the golden ratio (uniform U, low discrepancy)
    const failures = Array.from({ length: crashes }, (_, i) => ({ at: 10 + 20 * i + ((i * 0.6180339887) % 1) * p.inter, duration: 10 }));
    const s = simulateLoadBalancer(
      {
        mode: 'L7', retries: 0, clients: { model: 'open', rate: 10 },
        pools: [{ name: 'be', balance: 'roundrobin', service: new Exponential(100), health_check: { inter: p.inter, fall: fall, rise: p.rise, timeout: p.timeout },
          backends: [0, 1].map((i): BackendConfig => (i === 0 ? { failures: failures, failure_mode: mode } : {})) }],
      },
      { seed: deriveSeed(seed, 'simulation'), duration: 10 + 20 * crashes },
    );
    for (const x of s.detections) delays.push(x.delay);
    const d = intervalOf(delays);
    return { detection: d.mean, detection_lo: d.lo, detection_hi: d.hi, trials: delays.length, component: 'scalelab loadbalancer simulator', machine: machine() };
  },
  theory: (point, p) => {
    const d = detectionDelay(p.inter, point.fall as number, p.timeout, { failure_mode: point.failure_mode as 'crash' | 'blackhole' });
    return { detection_theory: d.mean, detection_max: d.max, detection_min: d.min };
  },
  figures: (t: ColumnTable) => [
    measuredFigure(t, { x: 'checkBudget', y: 'detection', theory: ['detection_theory', 'detection_max'], theoryNames: ['theory (mean)', 'worst case'], groupBy: 'failure_mode', title: 'Real HAProxy (◆) vs simulator (○) and theory (line; dotted: worst case): time to mark DOWN', xAxis: { title: 'fall × inter (s)' }, yAxis: { title: 'detection delay (s)', fromZero: true } }),
  ],
});
