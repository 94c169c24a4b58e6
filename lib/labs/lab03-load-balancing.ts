/**
 * Lab 03, load balancing: which backend gets each request, and what that does to latency, to
 * errors when a backend or the balancer dies, and to caches when a backend leaves. Every
 * experiment runs the load balancer simulator (lib/systems/loadbalancer) beside its closed form.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../experiment/experiment';
import { theoryVsSimulation } from '../experiment/figures';
import { figure, line } from '../plot/builders';
import type { Figure } from '../plot/types';
import { Exponential } from '../random/exponential';
import { mg1 } from '../queueing/mg1';
import { mmck } from '../queueing/mmck';
import { mm1 } from '../queueing/mm1';
import type { BackendConfig, LoadBalancerConfig } from '../systems/loadbalancer/config';
import type { BalanceAlgorithm } from '../systems/loadbalancer/policies';
import { simulateLoadBalancer } from '../systems/loadbalancer/system';
import { keysMovedOnRemoval } from '../systems/loadbalancer/hashing';
import { masterDownInterval } from '../systems/loadbalancer/vrrp';
import {
  detectionDelay,
  erlangKSigma,
  expectedKeysMoved,
  l4PinnedImbalance,
  pooledBound,
  randomSplit,
  roundRobinErlang,
  supermarketMeanResponse,
  supermarketTail,
} from '../systems/loadbalancer/theory';

const lab = '03-load-balancing';

const serviceTimeSpec = { type: 'number', default: 0.1, min: 0, minOpen: true, max: 3600, unit: 's', doc: 'Mean service time of a request on a backend of speed 1 (exponential).' } as const;

/** Measured seconds for `requests` requests at `rate`, after a warm-up of a tenth of that. */
function runFor(requests: number, rate: number): { duration: number; warmup: number } {
  return { duration: requests / rate, warmup: requests / rate / 10 };
}

/** Row objects of a table. */
function rowsOf(t: ColumnTable): Array<Record<string, number | string | null>> {
  return t.objects() as Array<Record<string, number | string | null>>;
}

/** The t with sum_i p_i exp(-r_i t) = q (a mixture of exponentials' upper quantile), by bisection. */
function mixtureQuantile(p: readonly number[], r: readonly number[], q: number): number {
  const tail = (t: number) => p.reduce((s, pi, i) => s + pi * Math.exp(-r[i] * t), 0);
  let lo = 0;
  let hi = 1;
  while (tail(hi) > q) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// ---------------------------------------------------------------------------------------------
// load-balancing-policies
// ---------------------------------------------------------------------------------------------

export const loadBalancingPolicyNames = ['random', 'roundrobin', 'leastconn', 'least_request', 'least_time'] as const;
export const loadBalancingScenarios = ['equal', 'unequal', 'unequal-unweighted'] as const;

/** Backend speeds of a scenario: all 1, or half of them 1.6 and half 0.4 (same total capacity). */
export function loadBalancingScenarioSpeeds(scenario: string, k: number): number[] {
  return Array.from({ length: k }, (_, i) => (scenario === 'equal' ? 1 : i < Math.ceil(k / 2) ? 1.6 : 0.4));
}

export const loadBalancingPolicies = defineExperiment({
  name: 'load-balancing-policies',
  title: 'Mean and p99 response time vs load for each balancing algorithm',
  description:
    'Poisson requests over k backends with exponential service, balanced by random, round robin (NGINX smooth weighted), least connections, ' +
    "Envoy's least_request (the power of two choices) and least response time (peak EWMA). With equal backends random splitting makes each backend an M/M/1 queue " +
    'at lambda/k, round robin an E_k/M/1 queue (Erlang-k gaps), and the power of two choices approaches the supermarket mean-field value; no policy beats the pooled M/M/k queue. ' +
    "With unequal backends (half 4x faster than the others, weights proportional to speed unless 'unweighted') state-aware policies keep the slow backends from queueing. " +
    'Every policy sees the same arrivals and service draws (common random numbers).',
  lab,
  params: {
    utilisations: { type: 'numbers', default: [0.5, 0.7, 0.9, 0.95], min: 0, max: 1, minOpen: true, maxOpen: true, doc: 'Load rho = lambda x / (sum of backend speeds).' },
    policies: { type: 'choices', default: [...loadBalancingPolicyNames], choices: loadBalancingPolicyNames, doc: 'Balancing algorithms (HAProxy/NGINX/Envoy names).' },
    scenarios: { type: 'choices', default: ['equal', 'unequal'], choices: loadBalancingScenarios, doc: "Backends: equal speeds; half at 1.6 and half at 0.4 with weights = speeds; or the same without weights ('unequal-unweighted')." },
    backends: { type: 'integer', default: 10, min: 2, max: 1000, unit: 'backends', doc: 'Number of backends k.' },
    serviceTime: serviceTimeSpec,
    requests: { type: 'integer', default: 15000, min: 1000, max: 10_000_000, unit: 'requests', doc: 'Requests measured per replication.' },
  },
  replications: 4,
  metrics: ['W', 'p99'],
  sharedSeedAcross: ['policy'],
  points: (p) => p.scenarios.flatMap((scenario) => p.policies.flatMap((policy) => p.utilisations.map((rho) => ({ scenario: scenario, policy: policy, rho: rho })))),
  simulate: (point, p, seed) => {
    const speeds = loadBalancingScenarioSpeeds(point.scenario as string, p.backends);
    const total = speeds.reduce((a, b) => a + b, 0);
    const rate = ((point.rho as number) * total) / p.serviceTime;
    const weighted = point.scenario === 'unequal';
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        clients: { model: 'open', rate: rate },
        pools: [{ name: 'web', balance: point.policy as BalanceAlgorithm, service: new Exponential(1 / p.serviceTime), backends: speeds.map((v) => ({ speed: v, weight: weighted ? v * 10 : 1 })) }],
      },
      { seed: seed, ...runFor(p.requests, rate) },
    );
    return { W: s.meanResponse, p99: s.p99 };
  },
  theory: (point, p) => {
    const rho = point.rho as number;
    const x = p.serviceTime;
    const k = p.backends;
    const bound = pooledBound(k, rho, 1 / x);
    if (point.scenario === 'equal') {
      if (point.policy === 'random') return { W_theory: randomSplit(rho, 1 / x).W, p99_theory: randomSplit(rho, 1 / x).quantile(0.99), W_bound: bound };
      if (point.policy === 'roundrobin') {
        const rr = roundRobinErlang(k, rho, 1 / x);
        return { W_theory: rr.W, p99_theory: rr.quantile(0.99), W_bound: bound };
      }
      if (point.policy === 'least_request') return { W_theory: supermarketMeanResponse(2, rho, 1 / x), p99_theory: null, W_bound: bound };
      return { W_theory: null, p99_theory: null, W_bound: bound };
    }
    if (point.scenario === 'unequal' && point.policy === 'random') {
      // weighted random: each backend M/M/1 at load rho; a request lands on backend i with probability mu_i / sum mu
      const speeds = loadBalancingScenarioSpeeds('unequal', k);
      const total = speeds.reduce((a, b) => a + b, 0);
      const shares = speeds.map((v) => v / total);
      const rates = speeds.map((v) => (v / x) * (1 - rho));
      return { W_theory: shares.reduce((s, pi, i) => s + pi / rates[i], 0), p99_theory: mixtureQuantile(shares, rates, 0.01), W_bound: null };
    }
    return { W_theory: null, p99_theory: null, W_bound: null };
  },
  figures: (t: ColumnTable) => policyFigures(t),
});

function policyFigures(t: ColumnTable): Figure[] {
  const out: Figure[] = [];
  const scenarios = Array.from(new Set(t.array('scenario') as unknown as string[]));
  for (const scenario of scenarios) {
    const rows = t.filter(`d => d.scenario === ${JSON.stringify(scenario)}`);
    const mean = theoryVsSimulation(rows, { x: 'rho', y: 'W', groupBy: 'policy', title: `Mean response time, ${scenario} backends`, xAxis: { title: 'load ρ' }, yAxis: { title: 'mean response time W (s)', log: true } });
    const b = rowsOf(rows).filter((r) => r.policy === rows.get('policy', 0) && typeof r.W_bound === 'number');
    if (b.length > 0) mean.data.push(line(b.map((r) => r.rho as number), b.map((r) => r.W_bound as number), { name: 'pooled M/M/k (lower bound)', color: '#000000', dash: 'dot' }));
    out.push(mean);
    out.push(theoryVsSimulation(rows, { x: 'rho', y: 'p99', groupBy: 'policy', title: `p99 response time, ${scenario} backends`, xAxis: { title: 'load ρ' }, yAxis: { title: 'p99 response time (s)', log: true } }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// load-balancing-queue-tail
// ---------------------------------------------------------------------------------------------

export const loadBalancingQueueTail = defineExperiment({
  name: 'load-balancing-queue-tail',
  title: 'Queue-length tails: random vs round robin vs the power of two choices',
  description:
    'The time-average fraction of backends holding at least i requests, P(N >= i), over many backends at high load. Random splitting decays geometrically (rho^i, M/M/1), ' +
    'round robin as rho sigma^(i-1) (E_k/M/1), and the best of two random draws doubly exponentially, s_i = rho^(2^i - 1) (Mitzenmacher\'s supermarket model): ' +
    'at rho = 0.9, 21% vs 59% of backends hold four or more with random.',
  lab,
  params: {
    utilisation: { type: 'number', default: 0.9, min: 0, max: 1, minOpen: true, maxOpen: true, doc: 'Load per backend rho.' },
    policies: { type: 'choices', default: ['random', 'roundrobin', 'least_request'], choices: loadBalancingPolicyNames, doc: 'Balancing algorithms.' },
    backends: { type: 'integer', default: 100, min: 2, max: 2000, unit: 'backends', doc: 'Number of backends (the mean-field model is the limit of many).' },
    maxLength: { type: 'integer', default: 6, min: 2, max: 60, unit: 'requests', doc: 'Largest i shown.' },
    requests: { type: 'integer', default: 100000, min: 1000, max: 10_000_000, unit: 'requests', doc: 'Requests measured per replication (random splitting at high load needs long runs to forget the empty start).' },
  },
  replications: 3,
  metrics: ['tail'],
  sharedSeedAcross: ['policy'],
  points: (p) => p.policies.map((policy) => ({ policy: policy })),
  simulate: (point, p, seed) => {
    const rate = p.utilisation * p.backends;
    const s = simulateLoadBalancer(
      { mode: 'L7', clients: { model: 'open', rate: rate }, pools: [{ name: 'web', balance: point.policy as BalanceAlgorithm, service: new Exponential(1), backends: p.backends }] },
      { seed: seed, ...runFor(p.requests, rate) },
    );
    const rho = p.utilisation;
    const sigma = erlangKSigma(p.backends, rho);
    return Array.from({ length: p.maxLength }, (_, j) => {
      const i = j + 1;
      const theory = point.policy === 'random' ? Math.pow(rho, i) : point.policy === 'roundrobin' ? rho * Math.pow(sigma, i - 1) : point.policy === 'least_request' ? supermarketTail(2, rho, i) : null;
      return { i: i, tail: s.queueTail[i], tail_theory: theory };
    });
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, { x: 'i', y: 'tail', groupBy: 'policy', title: 'Fraction of backends with at least i requests', xAxis: { title: 'i (requests at a backend)' }, yAxis: { title: 'P(N ≥ i)', log: true } }),
  ],
});

// ---------------------------------------------------------------------------------------------
// load-balancing-health-checks
// ---------------------------------------------------------------------------------------------

export const loadBalancingHealthChecks = defineExperiment({
  name: 'load-balancing-health-checks',
  title: 'Detection time and failed requests vs check interval x fall',
  description:
    "HAProxy's active checks: a backend that crashes is marked down after `fall` consecutive failed checks every `inter` seconds, each failure known `timeout` after the check starts; " +
    'until then the balancer keeps sending it requests, which fail (no retry here). The detection delay is (U + fall - 1) inter + timeout with U uniform: ' +
    'at most fall x inter + timeout, on average (fall - 1/2) inter + timeout; about lambda/k requests per second fail meanwhile, plus those inside the backend at the crash.',
  lab,
  params: {
    inters: { type: 'numbers', default: [0.5, 1, 2, 4], min: 0, minOpen: true, max: 600, unit: 's', doc: 'HAProxy `inter` values (default 2 s).' },
    falls: { type: 'numbers', default: [1, 2, 3], min: 1, max: 100, integer: true, doc: 'HAProxy `fall` values (default 3).' },
    timeout: { type: 'number', default: 1, min: 0, minOpen: true, max: 600, unit: 's', doc: 'HAProxy `timeout check`: how long a check of a dead backend takes to fail (at most `inter`).' },
    backends: { type: 'integer', default: 4, min: 2, max: 1000, unit: 'backends', doc: 'Backends in the pool.' },
    rate: { type: 'number', default: 20, min: 0, minOpen: true, max: 1e6, unit: 'req/s', doc: 'Requests per second.' },
    serviceTime: serviceTimeSpec,
    crashes: { type: 'integer', default: 5, min: 1, max: 1000, doc: 'Crashes per replication (one backend, 40 s apart, 20 s each).' },
  },
  replications: 4,
  metrics: ['detection', 'failed'],
  points: (p) => p.falls.flatMap((fall) => p.inters.map((inter) => ({ fall: fall, inter: inter, checkBudget: fall * inter }))),
  simulate: (point, p, seed) => {
    const failures = Array.from({ length: p.crashes }, (_, i) => ({ at: 30 + 40 * i, duration: 20 }));
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        retries: 0,
        clients: { model: 'open', rate: p.rate },
        pools: [{
          name: 'web', balance: 'roundrobin', service: new Exponential(1 / p.serviceTime),
          health_check: { inter: point.inter as number, fall: point.fall as number, timeout: p.timeout },
          backends: Array.from({ length: p.backends }, (_, i): BackendConfig => (i === 0 ? { failures: failures } : {})),
        }],
      },
      { seed: seed, duration: 30 + 40 * p.crashes },
    );
    const delays = s.detections.map((d) => d.delay);
    return { detection: delays.reduce((a, b) => a + b, 0) / delays.length, failed: s.failures.backend / p.crashes };
  },
  theory: (point, p) => {
    const d = detectionDelay(point.inter as number, point.fall as number, p.timeout);
    const rho = (p.rate * p.serviceTime) / p.backends;
    const inside = rho < 1 ? rho / (1 - erlangKSigma(p.backends, rho)) : null; // E_k/M/1 mean number in system
    return { detection_theory: d.mean, detection_max: d.max, failed_theory: inside === null ? null : (p.rate / p.backends) * d.mean + inside };
  },
  figures: (t: ColumnTable) => {
    const det = theoryVsSimulation(t, { x: 'checkBudget', y: 'detection', groupBy: 'fall', title: 'Time to mark a crashed backend down', xAxis: { title: 'fall × inter (s)' }, yAxis: { title: 'detection delay (s)', fromZero: true } });
    const rows = rowsOf(t).sort((a, b) => (a.checkBudget as number) - (b.checkBudget as number));
    det.data.push(line(rows.map((r) => r.checkBudget as number), rows.map((r) => r.detection_max as number), { name: 'bound: fall × inter + timeout', color: '#000000', dash: 'dot' }));
    const failed = theoryVsSimulation(t, { x: 'checkBudget', y: 'failed', groupBy: 'fall', title: 'Requests failed per crash', xAxis: { title: 'fall × inter (s)' }, yAxis: { title: 'failed requests per crash', fromZero: true } });
    return [det, failed];
  },
});

// ---------------------------------------------------------------------------------------------
// load-balancing-crash-timeline
// ---------------------------------------------------------------------------------------------

export const loadBalancingCrashHandling = ['active checks', 'passive (outlier ejection)', 'active checks + L7 retry', 'no checks'] as const;

export const loadBalancingCrashTimeline = defineExperiment({
  name: 'load-balancing-crash-timeline',
  title: 'Error rate over time across a backend crash',
  description:
    "One of four backends crashes at t = 30 s and comes back at t = 90 s. With HAProxy's default active checks (inter 2 s, fall 3, rise 2) errors last until it is marked down; " +
    "with Envoy's outlier ejection (5 consecutive 5xx) they stop after a handful of requests, but the dead backend is tried again every time its ejection ends; an L7 retry on another backend " +
    'hides the failures from clients (only requests inside the backend at the crash are lost); without checks a quarter of requests fail until the backend returns.',
  lab,
  params: {
    handling: { type: 'choices', default: [...loadBalancingCrashHandling], choices: loadBalancingCrashHandling, doc: 'How the balancer notices the crash.' },
    rate: { type: 'number', default: 40, min: 0, minOpen: true, max: 1e6, unit: 'req/s', doc: 'Requests per second.' },
    serviceTime: serviceTimeSpec,
    bin: { type: 'number', default: 1, min: 0.01, max: 60, unit: 's', doc: 'Width of a time bin.' },
  },
  replications: 5,
  metrics: ['errorRate'],
  points: (p) => p.handling.map((h) => ({ handling: h })),
  sharedSeedAcross: ['handling'],
  simulate: (point, p, seed) => {
    const h = point.handling as string;
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        retries: h === 'active checks + L7 retry' ? 1 : 0,
        timeline_bin: p.bin,
        clients: { model: 'open', rate: p.rate },
        pools: [{
          name: 'web', balance: 'roundrobin', service: new Exponential(1 / p.serviceTime),
          health_check: h.startsWith('active') ? {} : false,
          outlier_detection: h.startsWith('passive') ? { max_ejection_percent: 50 } : false,
          backends: [{ failures: [{ at: 30, duration: 60 }] }, {}, {}, {}],
        }],
      },
      { seed: seed, duration: 150 },
    );
    const tl = s.timeline;
    const bins = Math.round(150 / p.bin);
    return Array.from({ length: bins }, (_, i) => {
      const ok = tl.completed[i] ?? 0;
      const bad = tl.failed[i] ?? 0;
      return { t: (i + 0.5) * p.bin, errorRate: ok + bad > 0 ? bad / (ok + bad) : 0 };
    });
  },
  figures: (t: ColumnTable) => {
    const rows = rowsOf(t);
    const groups = Array.from(new Set(rows.map((r) => String(r.handling))));
    return [
      figure(
        groups.map((g) => {
          const rs = rows.filter((r) => r.handling === g);
          return line(rs.map((r) => r.t as number), rs.map((r) => r.errorRate as number), { name: g, group: g, dash: g === 'no checks' ? 'dot' : undefined });
        }),
        { title: 'Failed requests around a crash (backend 0 of 4 down from 30 s to 90 s)', x: { title: 'time (s)', range: [20, 110] }, y: { title: 'error rate (mean over replications)', fromZero: true } },
      ),
    ];
  },
});

// ---------------------------------------------------------------------------------------------
// load-balancing-slow-start
// ---------------------------------------------------------------------------------------------

/** Envoy's slow-start factor max(min_weight_percent/100, (max(t, 1)/window)^(1/aggression)), capped at 1. */
function slowStartFactor(t: number, window: number, aggression: number, minPercent: number): number {
  if (window <= 0 || t >= window) return 1;
  return Math.min(1, Math.max(minPercent / 100, Math.pow(Math.max(t, 1) / window, 1 / aggression)));
}

export const loadBalancingSlowStart = defineExperiment({
  name: 'load-balancing-slow-start',
  title: 'Slow start: the returning backend\'s share of requests',
  description:
    'Backend 0 of 4 is down from 20 s to 40 s and comes back cold. Without slow start it gets its full quarter of the requests at once; ' +
    "with Envoy's slow_start_config its weight ramps as max(min_weight_percent, (t/slow_start_window)^(1/aggression)) of the nominal weight, " +
    'so under weighted round robin its share is f/(f + 3) and rises to 1/4 over the window instead of stepping.',
  lab,
  params: {
    windows: { type: 'numbers', default: [0, 30], min: 0, max: 3600, unit: 's', doc: 'Envoy `slow_start_window` values (0: no slow start).' },
    aggression: { type: 'number', default: 1, min: 0.1, max: 10, doc: 'Envoy `aggression` (1: linear).' },
    minWeightPercent: { type: 'number', default: 10, min: 0, max: 100, doc: 'Envoy `min_weight_percent`.' },
    rate: { type: 'number', default: 200, min: 1, max: 1e6, unit: 'req/s', doc: 'Requests per second.' },
    bin: { type: 'number', default: 2, min: 0.1, max: 60, unit: 's', doc: 'Width of a time bin.' },
  },
  replications: 3,
  metrics: ['share'],
  sharedSeedAcross: ['slow_start_window'],
  points: (p) => p.windows.map((w) => ({ slow_start_window: w })),
  simulate: (point, p, seed) => {
    const w = point.slow_start_window as number;
    const until = 100;
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        timeline_bin: p.bin,
        clients: { model: 'open', rate: p.rate },
        pools: [{
          name: 'web', balance: 'roundrobin', service: new Exponential(100),
          slow_start: w > 0 ? { slow_start_window: w, aggression: p.aggression, min_weight_percent: p.minWeightPercent } : false,
          backends: [{ failures: [{ at: 20, duration: 20 }] }, {}, {}, {}],
        }],
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
      return { t: lo + p.bin / 2, share: all > 0 ? (tl.dispatched[0][i] ?? 0) / all : null, share_theory: th };
    });
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, { x: 't', y: 'share', groupBy: 'slow_start_window', title: 'Share of requests sent to backend 0 (down 20-40 s)', xAxis: { title: 'time (s)' }, yAxis: { title: 'share of requests', fromZero: true } }),
  ],
});

// ---------------------------------------------------------------------------------------------
// load-balancing-failover
// ---------------------------------------------------------------------------------------------

export const loadBalancingFailover = defineExperiment({
  name: 'load-balancing-failover',
  title: 'Active-passive balancer pair: failover downtime vs VRRP advertisement interval',
  description:
    'Two balancers share a virtual address with VRRP (keepalived). When the master dies the backup takes over when it has heard no advertisement for ' +
    'Master_Down_Interval = 3 x advert_int + skew, skew = (256 - priority) x advert_int / 256 (VRRPv3): 3.609 s for 1 s and priority 100. ' +
    'The crash falls uniformly between advertisements, so the downtime is that interval minus U x advert_int: on average Master_Down_Interval - advert_int/2. ' +
    'Every request sent meanwhile fails, and so does every answer in flight through the dead balancer.',
  lab,
  params: {
    advertInts: { type: 'numbers', default: [0.1, 0.25, 0.5, 1, 2, 3], min: 0.01, max: 255, unit: 's', doc: 'keepalived `advert_int` values (default 1 s).' },
    priority: { type: 'integer', default: 100, min: 1, max: 254, doc: "The backup's VRRP `priority` (default 100)." },
    rate: { type: 'number', default: 50, min: 0, minOpen: true, max: 1e6, unit: 'req/s', doc: 'Requests per second.' },
  },
  replications: 10,
  metrics: ['downtime', 'failed'],
  points: (p) => p.advertInts.map((a) => ({ advert_int: a })),
  simulate: (point, p, seed) => {
    const a = point.advert_int as number;
    const crash = 20 + 10 * a; // the phase of the advertisements is random per replication
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        clients: { model: 'open', rate: p.rate },
        balancer: { failures: [{ at: crash, duration: 1000 }], pair: { advert_int: a, priority: p.priority } },
        pools: [{ name: 'web', backends: 4, service: new Exponential(100) }],
      },
      { seed: seed, duration: crash + 3 * a + 20 },
    );
    return { downtime: s.failovers[0].downtime, failed: s.failures.balancer };
  },
  theory: (point, p) => {
    const a = point.advert_int as number;
    const mdi = masterDownInterval(a, p.priority);
    return { downtime_theory: mdi - a / 2, failed_theory: p.rate * (mdi - a / 2), downtime_max: mdi };
  },
  figures: (t: ColumnTable) => {
    const f = theoryVsSimulation(t, { x: 'advert_int', y: 'downtime', title: 'Failover downtime of the VRRP pair', xAxis: { title: 'advert_int (s)' }, yAxis: { title: 'time without a master (s)', fromZero: true } });
    const rows = rowsOf(t);
    f.data.push(line(rows.map((r) => r.advert_int as number), rows.map((r) => r.downtime_max as number), { name: 'Master_Down_Interval (worst case)', color: '#000000', dash: 'dot' }));
    return [f, theoryVsSimulation(t, { x: 'advert_int', y: 'failed', title: 'Requests failed per failover', xAxis: { title: 'advert_int (s)' }, yAxis: { title: 'failed requests', fromZero: true } })];
  },
});

// ---------------------------------------------------------------------------------------------
// load-balancing-l4-vs-l7
// ---------------------------------------------------------------------------------------------

export const loadBalancingL4VsL7 = defineExperiment({
  name: 'load-balancing-l4-vs-l7',
  title: 'L4 vs L7 with long-lived connections: how unevenly the backends are loaded',
  description:
    'K clients each hold one long-lived (HTTP/2, gRPC-style) connection and multiplex requests on it; the total request rate is fixed. ' +
    'An L4 balancer picks a backend once per connection, round robin, so a backend gets (connections it holds)/K of the requests: ' +
    'the busiest gets ceil(K/N)/K, and with K < N backends, N - K sit idle. An L7 balancer picks per request and spreads 1/N each whatever K. ' +
    'Imbalance = busiest backend share x N (1 is perfect).',
  lab,
  params: {
    connections: { type: 'numbers', default: [1, 2, 4, 6, 8, 12, 16, 24, 32, 64], min: 1, max: 100000, integer: true, doc: 'Numbers of persistent client connections K.' },
    backends: { type: 'integer', default: 8, min: 2, max: 1000, unit: 'backends', doc: 'Backends N.' },
    utilisation: { type: 'number', default: 0.1, min: 0, minOpen: true, max: 1, maxOpen: true, doc: 'Total load over all backends (kept low so that one pinned backend can carry every connection).' },
    balance: { type: 'choice', default: 'roundrobin', choices: ['roundrobin', 'leastconn', 'random'], doc: 'Algorithm (at L4 leastconn counts connections, not requests).' },
    serviceTime: serviceTimeSpec,
    requests: { type: 'integer', default: 8000, min: 500, max: 10_000_000, unit: 'requests', doc: 'Requests measured per replication.' },
  },
  replications: 3,
  metrics: ['imbalance', 'p99'],
  sharedSeedAcross: ['mode'],
  points: (p) => ['L4', 'L7'].flatMap((mode) => p.connections.map((k) => ({ mode: mode, connections: k }))),
  simulate: (point, p, seed) => {
    const rate = (p.utilisation * p.backends) / p.serviceTime;
    const s = simulateLoadBalancer(
      {
        mode: point.mode as 'L4' | 'L7',
        clients: { model: 'open', rate: rate, clients: point.connections as number, requests_per_connection: Infinity },
        pools: [{ name: 'web', balance: p.balance as BalanceAlgorithm, service: new Exponential(1 / p.serviceTime), backends: p.backends }],
      },
      { seed: seed, ...runFor(p.requests, rate) },
    );
    return { imbalance: Math.max(...s.backends.map((b) => b.share)) * p.backends, p99: s.p99 };
  },
  theory: (point, p) => ({ imbalance_theory: point.mode === 'L7' ? 1 : p.balance === 'random' ? null : l4PinnedImbalance(point.connections as number, p.backends) }),
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, { x: 'connections', y: 'imbalance', groupBy: 'mode', title: 'Busiest backend share × N (1 = even)', xAxis: { title: 'persistent connections K', log: true }, yAxis: { title: 'imbalance', log: true } }),
    theoryVsSimulation(t, { x: 'connections', y: 'p99', groupBy: 'mode', theory: null, title: 'p99 response time', xAxis: { title: 'persistent connections K', log: true }, yAxis: { title: 'p99 (s)', log: true } }),
  ],
});

// ---------------------------------------------------------------------------------------------
// load-balancing-hashing
// ---------------------------------------------------------------------------------------------

export const loadBalancingHashing = defineExperiment({
  name: 'load-balancing-hashing',
  title: 'Keys moved when a backend leaves: modulo vs consistent hashing',
  description:
    "Source or URI hashing pins each key (a client, a cache entry) to a backend. HAProxy's default map-based hashing takes the hash modulo the servers up, " +
    'so when one of N leaves almost every key moves, (N-1)/N of them, and a cache tier loses that share of its hits. ' +
    'Consistent hashing (Envoy ring_hash, 1024 ring points) moves only the keys the departed backend owned, about 1/N. Counted by enumeration; each replication removes another backend.',
  lab,
  params: {
    hosts: { type: 'numbers', default: [2, 3, 4, 5, 8, 10, 16, 20, 32, 50], min: 2, max: 10000, integer: true, doc: 'Numbers of backends N before one leaves.' },
    keys: { type: 'integer', default: 20000, min: 100, max: 10_000_000, doc: 'Keys enumerated.' },
    minimumRingSize: { type: 'integer', default: 1024, min: 1, max: 8388608, doc: 'Envoy `minimum_ring_size`.' },
  },
  replications: 3,
  metrics: ['moved'],
  points: (p) => ['modulo', 'ring_hash'].flatMap((scheme) => p.hosts.map((n) => ({ scheme: scheme, hosts: n }))),
  simulate: (point, p, seed) => {
    const n = point.hosts as number;
    return { moved: keysMovedOnRemoval(point.scheme as 'modulo' | 'ring_hash', n, p.keys, seed % n, p.minimumRingSize) };
  },
  theory: (point) => ({ moved_theory: expectedKeysMoved(point.scheme as 'modulo' | 'ring_hash', point.hosts as number) }),
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, { x: 'hosts', y: 'moved', groupBy: 'scheme', title: 'Fraction of keys remapped when one backend leaves', xAxis: { title: 'backends N', log: true }, yAxis: { title: 'keys moved', log: true } }),
  ],
});

// ---------------------------------------------------------------------------------------------
// load-balancing-bottleneck
// ---------------------------------------------------------------------------------------------

export const loadBalancingBottleneck = defineExperiment({
  name: 'load-balancing-bottleneck',
  title: 'The balancer as the bottleneck',
  description:
    'The balancer is a station too: here one worker at `balancerRate` requests per second with room for `maxconn` requests (HAProxy global maxconn), in front of backends with twice its capacity. ' +
    'Past its capacity throughput flattens at its rate and the excess is refused: an M/M/1/K queue, throughput lambda (1 - P_K). Adding backends does not help; a faster balancer or a second active one does.',
  lab,
  params: {
    rates: { type: 'numbers', default: [200, 400, 600, 800, 900, 1000, 1200, 1500], min: 1, max: 1e7, unit: 'req/s', doc: 'Offered request rates.' },
    balancerRate: { type: 'number', default: 1000, min: 1, max: 1e7, unit: 'req/s', doc: 'Service rate of the balancer (one worker).' },
    maxconn: { type: 'integer', default: 50, min: 1, max: 1e6, doc: 'HAProxy `maxconn`: requests the balancer holds at once.' },
    backends: { type: 'integer', default: 20, min: 1, max: 1000, unit: 'backends', doc: 'Backends (each 100 req/s).' },
    requests: { type: 'integer', default: 8000, min: 500, max: 10_000_000, unit: 'requests', doc: 'Requests offered per replication.' },
  },
  replications: 3,
  metrics: ['X', 'refused', 'W'],
  points: (p) => p.rates.map((r) => ({ rate: r })),
  simulate: (point, p, seed) => {
    const rate = point.rate as number;
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        clients: { model: 'open', rate: rate },
        balancer: { service: new Exponential(p.balancerRate), maxconn: p.maxconn },
        pools: [{ name: 'web', balance: 'random', service: new Exponential(100), backends: p.backends }],
      },
      { seed: seed, ...runFor(p.requests, rate) },
    );
    return { X: s.throughput, refused: s.failures.balancer_overload / Math.max(1, s.requests), W: s.meanResponse };
  },
  theory: (point, p) => {
    const rate = point.rate as number;
    const lb = mmck({ lambda: rate, mu: p.balancerRate, c: 1, K: p.maxconn });
    const perBackend = lb.lambdaEff / p.backends;
    // backends behind a random split, each M/M/1 (the balancer's departures are nearly Poisson)
    const backendW = perBackend < 100 ? mm1({ lambda: perBackend, mu: 100 }).W : null;
    return { X_theory: lb.lambdaEff, refused_theory: lb.PK, W_theory: backendW === null ? null : lb.W + backendW };
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, { x: 'rate', y: 'X', title: 'Throughput vs offered load', xAxis: { title: 'offered load (req/s)' }, yAxis: { title: 'throughput (req/s)', fromZero: true } }),
    theoryVsSimulation(t, { x: 'rate', y: 'refused', title: 'Refused by the balancer', xAxis: { title: 'offered load (req/s)' }, yAxis: { title: 'fraction refused', fromZero: true } }),
    theoryVsSimulation(t, { x: 'rate', y: 'W', title: 'Response time (balancer + backend)', xAxis: { title: 'offered load (req/s)' }, yAxis: { title: 'mean response time (s)', log: true } }),
  ],
});

// ---------------------------------------------------------------------------------------------
// gateway-path-routing
// ---------------------------------------------------------------------------------------------

/** The request mix of the gateway experiment: path, share, mean work (s). */
export const gatewayPathRoutingMix = [
  { name: 'images', path: '/images/logo.png', share: 0.7, work: 0.02 },
  { name: 'api', path: '/api/orders?id=42', share: 0.25, work: 0.1 },
  { name: 'upload', path: '/upload', share: 0.05, work: 1 },
] as const;

/** Servers per pool sized by the pool's own load at target utilisation `target`. */
export function gatewayPathRoutingPoolSizes(rate: number, target: number): number[] {
  return gatewayPathRoutingMix.map((c) => Math.max(1, Math.ceil((rate * c.share * c.work) / target)));
}

export const gatewayPathRouting = defineExperiment({
  name: 'gateway-path-routing',
  title: 'Application gateway: path routing to pools sized by their own load vs one shared pool',
  description:
    'An L7 gateway routes /images/* to an image pool, /api/* to an API pool and everything else (uploads) to a default pool (first-match rules, Azure/ALB style; the query string is ignored). ' +
    'Each pool is sized for its own load (70% image requests of 20 ms, 25% API calls of 100 ms, 5% uploads of 1 s). ' +
    'Against one shared pool of the same total servers, separate pools isolate the fast requests from the slow ones: behind a random split each backend is an M/G/1 queue, ' +
    'and in a shared pool an image request waits behind uploads (the mixture has a squared coefficient of variation far above 1).',
  lab,
  params: {
    rates: { type: 'numbers', default: [60, 80, 100, 110], min: 1, max: 1e6, unit: 'req/s', doc: 'Request rates (pools are sized for `sizingRate`).' },
    sizingRate: { type: 'number', default: 100, min: 1, max: 1e6, unit: 'req/s', doc: 'Rate the pools are sized for.' },
    target: { type: 'number', default: 0.7, min: 0.05, max: 0.99, doc: 'Utilisation each pool is sized for.' },
    requests: { type: 'integer', default: 15000, min: 1000, max: 10_000_000, unit: 'requests', doc: 'Requests measured per replication.' },
  },
  replications: 3,
  metrics: ['W_images', 'W_api', 'W_upload'],
  sharedSeedAcross: ['layout'],
  points: (p) => ['separate pools', 'shared pool'].flatMap((layout) => p.rates.map((r) => ({ layout: layout, rate: r }))),
  simulate: (point, p, seed) => {
    const rate = point.rate as number;
    const sizes = gatewayPathRoutingPoolSizes(p.sizingRate, p.target);
    const separate = point.layout === 'separate pools';
    const config: LoadBalancerConfig = {
      mode: 'L7',
      clients: { model: 'open', rate: rate, mix: gatewayPathRoutingMix.map((c) => ({ path: c.path, weight: c.share, work: new Exponential(1 / c.work) })) },
      gateway: separate
        ? { match: 'first-match', listeners: [{ rules: [{ path: '/images/*', pool: 'images' }, { path: '/api/*', pool: 'api' }], default_pool: 'upload' }] }
        : { listeners: [{ rules: [], default_pool: 'shared' }] },
      pools: separate
        ? gatewayPathRoutingMix.map((c, i) => ({ name: c.name, balance: 'random' as const, backends: sizes[i] }))
        : [{ name: 'shared', balance: 'random' as const, backends: sizes.reduce((a, b) => a + b, 0) }],
    };
    const s = simulateLoadBalancer(config, { seed: seed, ...runFor(p.requests, rate) });
    return { W_images: s.classes[0].meanResponse, W_api: s.classes[1].meanResponse, W_upload: s.classes[2].meanResponse };
  },
  theory: (point, p) => {
    const rate = point.rate as number;
    const sizes = gatewayPathRoutingPoolSizes(p.sizingRate, p.target);
    const out: Record<string, number | null> = {};
    if (point.layout === 'separate pools') {
      gatewayPathRoutingMix.forEach((c, i) => {
        const lambda = (rate * c.share) / sizes[i];
        out[`W_${c.name}_theory`] = lambda * c.work < 1 ? mm1({ lambda: lambda, mu: 1 / c.work }).W : null;
      });
      return out;
    }
    // shared pool behind a random split: M/G/1 per backend with the mixture of exponentials as service
    const n = sizes.reduce((a, b) => a + b, 0);
    const mean = gatewayPathRoutingMix.reduce((s, c) => s + c.share * c.work, 0);
    const second = gatewayPathRoutingMix.reduce((s, c) => s + c.share * 2 * c.work * c.work, 0);
    const lambda = rate / n;
    const stable = lambda * mean < 1;
    const wq = stable ? mg1({ lambda: lambda, mean: mean, scv: second / (mean * mean) - 1 }).Wq : NaN;
    for (const c of gatewayPathRoutingMix) out[`W_${c.name}_theory`] = stable ? wq + c.work : null;
    return out;
  },
  figures: (t: ColumnTable) =>
    gatewayPathRoutingMix.map((c) =>
      theoryVsSimulation(t, { x: 'rate', y: `W_${c.name}`, groupBy: 'layout', title: `${c.name} requests (${c.path.split('?')[0]})`, xAxis: { title: 'request rate (req/s)' }, yAxis: { title: 'mean response time (s)', log: true } }),
    ),
});

/** Every experiment of lab 03, in the notebook's order. */
export const lab03Experiments = [
  loadBalancingPolicies,
  loadBalancingQueueTail,
  loadBalancingHealthChecks,
  loadBalancingCrashTimeline,
  loadBalancingSlowStart,
  loadBalancingFailover,
  loadBalancingL4VsL7,
  loadBalancingHashing,
  loadBalancingBottleneck,
  gatewayPathRouting,
] as const;
