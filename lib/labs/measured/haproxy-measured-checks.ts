/**
 * Lab 03, haproxy-measured-checks: how long real HAProxy takes to mark a dead backend DOWN under
 * `inter`, `fall`, `rise`, `timeout check`, beside the simulator's active checks and the closed
 * form U·inter + fall·T + (fall − 1)·inter (theory.ts detectionDelay; src/check.c: the next
 * check starts `inter` after the previous one ends). T is how long one failing check takes: 0 for a
 * crashed backend (SIGKILL: port closed, the connect is refused at once, check_status L4CON); for a
 * frozen one (SIGSTOP: the kernel still completes the handshake, the HTTP check waits for an answer
 * that never comes, L7TOUT) HAProxy 2.6 takes up to max(min(inter, timeout connect), timeout check)
 * and at least `timeout check` (lib/measure/haproxy.ts hungCheckDuration: the check task is not
 * requeued when the connection comes up, so `timeout check` does not reliably shorten the connect
 * phase's expiry); both are `timeout check` when `timeout connect` equals it, the default here. The
 * model and the simulator get the upper T as their check timeout (detection_min uses the lower);
 * the measured rows carry the failing check's own check_status and check_duration from the stats
 * socket beside it. Detection is read every 5 ms.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import type { Observation } from '../../experiment/experiment';
import { Exponential } from '../../random/exponential';
import { deriveSeed } from '../../random/streams';
import { findHaproxy, machine } from '../../measure/components';
import { hungCheckDuration } from '../../measure/haproxy';
import type { DetectionTrials } from '../../measure/haproxy';
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
    "beside the load balancer simulator's detections (source 'simulation') and the closed form U inter + fall T + (fall - 1) inter, T the failing check's duration: 0 crashed (refused), " +
    'between timeout check and max(min(inter, timeout connect), timeout check) frozen (HAProxy 2.6: the check task is not requeued when the connection comes up; both equal timeout check by default). About 25 s.',
  lab: '03-load-balancing',
  params: {
    inter: { type: 'number', default: 0.5, min: 0.05, max: 10, unit: 's', doc: 'HAProxy `inter`.' },
    falls: {
      type: 'numbers',
      default: [1, 3],
      min: 1,
      max: 10,
      integer: true,
      doc: 'HAProxy `fall` values.',
    },
    rise: {
      type: 'integer',
      default: 1,
      min: 1,
      max: 10,
      doc: 'HAProxy `rise` (checks to come back UP between trials).',
    },
    timeout: {
      type: 'number',
      default: 0.2,
      min: 0.01,
      max: 10,
      unit: 's',
      doc: 'HAProxy `timeout check`.',
    },
    timeoutConnect: {
      type: 'number',
      default: 0.2,
      min: 0.01,
      max: 60,
      unit: 's',
      doc: "HAProxy `timeout connect` (bounds a frozen backend's check in HAProxy 2.6, see the description).",
    },
    failureModes: {
      type: 'choices',
      default: ['crash', 'blackhole'],
      choices: ['crash', 'blackhole'],
      doc: "'crash' (SIGKILL) or 'blackhole' (SIGSTOP).",
    },
    sources: {
      type: 'choices',
      default: ['measured', 'simulation'],
      choices: ['measured', 'simulation'],
      doc: 'Which rows to produce.',
    },
    trials: { type: 'integer', default: 3, min: 2, max: 100, doc: 'Failures measured per point.' },
  },
  replications: 1,
  sharedSeedAcross: ['source'],
  // the interval is the trials' t interval, computed here: no framework metric, so detection_lo/_hi pass through (one measurement is one replication)
  metrics: [],
  points: (p) =>
    p.sources.flatMap((source) =>
      p.failureModes.flatMap((mode) =>
        p.falls.map((fall) => ({
          source: source,
          failure_mode: mode,
          fall: fall,
          checkBudget: fall * p.inter,
        })),
      ),
    ),
  simulate: (point, p, seed): Observation => {
    const fall = point.fall as number;
    const mode = point.failure_mode as 'crash' | 'blackhole';
    if (point.source === 'measured') {
      const h = findHaproxy();
      const r = runMeasurement<DetectionTrials>({
        kind: 'haproxy-detection',
        args: {
          check: {
            inter: p.inter,
            fall: fall,
            rise: p.rise,
            timeout: p.timeout,
            timeoutConnect: p.timeoutConnect,
          },
          mode: mode,
          trials: p.trials,
          backends: 2,
          seed: seed,
        },
      });
      const d = intervalOf(r.delays);
      const checkDuration =
        r.checkDuration.reduce((a, b) => a + b, 0) / Math.max(1, r.checkDuration.length);
      return {
        detection: d.mean,
        detection_lo: d.lo,
        detection_hi: d.hi,
        trials: r.delays.length,
        checkStatus: Array.from(new Set(r.checkStatus)).join(' '),
        checkDuration: checkDuration,
        component: `HAProxy ${h.version}`,
        machine: machine(),
      };
    }
    const delays: number[] = [];
    const crashes = 20;
    // crashes at phases of the check cycle spread by the golden ratio (uniform U, low discrepancy)
    const failures = Array.from({ length: crashes }, (_, i) => ({
      at: 10 + 20 * i + ((i * 0.6180339887) % 1) * p.inter,
      duration: 10,
    }));
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        retries: 0,
        clients: { model: 'open', rate: 10 },
        pools: [
          {
            name: 'be',
            balance: 'roundrobin',
            service: new Exponential(100),
            health_check: {
              inter: p.inter,
              fall: fall,
              rise: p.rise,
              timeout: hungCheckDuration(p),
            },
            backends: [0, 1].map((i): BackendConfig =>
              i === 0 ? { failures: failures, failure_mode: mode } : {},
            ),
          },
        ],
      },
      { seed: deriveSeed(seed, 'simulation'), duration: 10 + 20 * crashes },
    );
    for (const x of s.detections) delays.push(x.delay);
    const d = intervalOf(delays);
    return {
      detection: d.mean,
      detection_lo: d.lo,
      detection_hi: d.hi,
      trials: delays.length,
      checkStatus: null,
      checkDuration: null,
      component: 'scalelab loadbalancer simulator',
      machine: machine(),
    };
  },
  theory: (point, p) => {
    // HAProxy 2.6 ends a frozen backend's check between timeout check and T (hungCheckDuration): min from the one, mean and max from the other
    const mode = point.failure_mode as 'crash' | 'blackhole';
    const d = detectionDelay(p.inter, point.fall as number, hungCheckDuration(p), {
      failure_mode: mode,
    });
    const lower = detectionDelay(
      p.inter,
      point.fall as number,
      hungCheckDuration(p, { lower: true }),
      { failure_mode: mode },
    );
    return {
      detection_theory: d.mean,
      detection_max: d.max,
      detection_min: lower.min,
      checkDuration_theory: mode === 'crash' ? 0 : Math.min(hungCheckDuration(p), p.inter),
    };
  },
  figures: (t: ColumnTable) => [
    measuredFigure(t, {
      x: 'checkBudget',
      y: 'detection',
      theory: ['detection_theory', 'detection_max'],
      theoryNames: ['theory (mean)', 'worst case'],
      groupBy: 'failure_mode',
      title:
        'Real HAProxy (◆) vs simulator (○) and theory (line; dotted: worst case): time to mark DOWN',
      xAxis: { title: 'fall × inter (s)' },
      yAxis: { title: 'detection delay (s)', fromZero: true },
    }),
  ],
});
