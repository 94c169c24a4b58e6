/**
 * `planArchitecture`: the cheapest configuration of an architecture that meets its target at a
 * given load, closed (users, at target.p95) or open (requests/s, at target.p99 when the file gives
 * one, and target.p95), with availability >= target.availability.
 *
 * Searched with the analytic model (./analytic.ts): the knobs are web servers per datacenter
 * (1..maxWebServers), read replicas (0..maxReplicas), the balancer pair (off/on) and the cache's
 * size in memcached servers of `cache.serverCapacity` objects (1..maxCacheServers; Che's hit
 * ratio grows with it); a colocated database has no knobs. For each (replicas, pair, cache) the
 * fewest web servers that meet the latency target are found by bisection (the percentiles fall as
 * web servers are added, the other tiers unchanged), then the cheapest of those candidates wins
 * (ties: fewer servers, then lower p95). `bruteForcePlan` enumerates the whole space, for the
 * test. The answer is then confirmed by simulation (replications of ./simulate.ts with 95 %
 * intervals), and each single failure is evaluated analytically and simulated (./plan-failures.ts).
 */
import { ParameterError, requireInteger, requirePositive } from '../../errors';
import { confidenceInterval } from '../../sim/confidence';
import {
  availabilityOf,
  costOf,
  evaluateClosedWith,
  evaluateOpenWith,
  meetsLatency,
  serversOf,
  type Evaluation,
  type TierResult,
} from './analytic';
import { failureEffects, type FailureEffect } from './plan-failures';
import { simulateArchitecture } from './simulate';
import type { Architecture } from './types';

export type { FailureEffect } from './plan-failures';

export interface PlanOptions {
  /** Users to plan for (closed load; default the file's users.count). */
  users?: number;
  /** Requests/s to plan for (open load; default the file's arrivalRate). */
  rate?: number;
  maxWebServers?: number;
  maxReplicas?: number;
  /** Largest cache in servers of cache.serverCapacity objects (default 4). */
  maxCacheServers?: number;
  /** Replications of the confirming simulation (0: none). */
  replications?: number;
  duration?: number;
  seed?: number;
  /** Simulate each single failure (default: when replications >= 2). */
  simulateFailures?: boolean;
}

export interface PlanConfig {
  webServers: number;
  replicas: number;
  pair: boolean;
  /** memcached servers of cache.serverCapacity objects (0 without a cache). */
  cacheServers: number;
}

export interface PlanCandidate extends PlanConfig {
  p95: number;
  p99: number;
  availability: number;
  cost: number;
  servers: number;
  feasible: boolean;
}

export interface Plan {
  name: string;
  /** 'users' (closed) or 'requests/s' (open), and how many. */
  loadKind: 'users' | 'requests/s';
  load: number;
  /** Users planned for (NaN for open load). */
  users: number;
  target: { p95: number; p99?: number; availability: number };
  feasible: boolean;
  best: PlanCandidate | null;
  evaluation: Evaluation | null;
  bottleneck: string | null;
  tiers: TierResult[];
  simulated: {
    p95: number;
    p95Lo: number;
    p95Hi: number;
    p99: number;
    p99Lo: number;
    p99Hi: number;
    meanResponse: number;
    throughput: number;
    replications: number;
    overloaded: string[];
  } | null;
  failures: FailureEffect[];
  /** Configurations evaluated analytically. */
  evaluated: number;
  /** Why no configuration is feasible (null when one is). */
  reason: string | null;
}

/** The architecture with a configuration applied (autoscaling replaced by the fixed count). */
export function withConfig(a: Architecture, c: PlanConfig): Architecture {
  const b = structuredClone(a);
  b.web.servers = c.webServers;
  delete b.web.autoscaling;
  b.database.replicas = c.replicas;
  if (b.balancer) b.balancer.pair = c.pair;
  if (b.cache && c.cacheServers > 0) b.cache.capacity = c.cacheServers * b.cache.serverCapacity;
  return b;
}

interface Load {
  open: boolean;
  value: number;
}

function evaluateAt(b: Architecture, load: Load, webServers: number): Evaluation {
  return load.open
    ? evaluateOpenWith(b, load.value, webServers)
    : evaluateClosedWith(b, load.value, webServers);
}

function candidate(a: Architecture, load: Load, c: PlanConfig): PlanCandidate {
  const b = withConfig(a, c);
  const e = evaluateAt(b, load, c.webServers);
  const availability = availabilityOf(b, c.webServers);
  return {
    ...c,
    p95: e.p95,
    p99: e.p99,
    availability: availability,
    cost: costOf(b, c.webServers),
    servers: serversOf(b, c.webServers),
    feasible: meetsLatency(a, e) && availability >= a.target.availability,
  };
}

function better(x: PlanCandidate, y: PlanCandidate | null): boolean {
  if (y === null) return true;
  if (x.cost !== y.cost) return x.cost < y.cost;
  if (x.servers !== y.servers) return x.servers < y.servers;
  return x.p95 < y.p95;
}

interface Space {
  webMax: number;
  replicas: number[];
  pairs: boolean[];
  caches: number[];
}

function space(a: Architecture, o: PlanOptions): Space {
  if (a.database.colocated) return { webMax: 1, replicas: [0], pairs: [false], caches: [0] };
  const maxCache = requireInteger('maxCacheServers', o.maxCacheServers ?? 4, 1, 64);
  return {
    webMax: a.balancer ? requireInteger('maxWebServers', o.maxWebServers ?? 32, 1, 1000) : 1,
    replicas: Array.from(
      { length: requireInteger('maxReplicas', o.maxReplicas ?? 4, 0, 100) + 1 },
      (_, i) => i,
    ),
    pairs: a.balancer ? [false, true] : [false],
    caches: a.cache ? Array.from({ length: maxCache }, (_, i) => i + 1) : [0],
  };
}

function loadOf(a: Architecture, o: PlanOptions): Load {
  if (o.users !== undefined && o.rate !== undefined)
    throw new ParameterError(
      'rate',
      o.rate,
      'give users (closed load) or rate (open load), not both',
    );
  const open = o.rate !== undefined || (o.users === undefined && a.users === undefined);
  if (open) {
    const rate = o.rate ?? a.arrivalRate;
    if (rate === undefined)
      throw new ParameterError(
        'rate',
        rate,
        "open-load planning needs a rate (requests/s) or the file's arrivalRate",
      );
    return { open: true, value: requirePositive('rate', rate) };
  }
  if (a.users === undefined)
    throw new ParameterError(
      'users',
      o.users,
      'closed-load planning needs users.thinkTime in the file (it has arrivalRate: plan with a rate)',
    );
  const k = a.geodns ? a.geodns.datacenters : 1;
  const n = requireInteger('users', o.users ?? a.users.count, 1, 1_000_000);
  if (n % k !== 0)
    throw new ParameterError('users', n, `must be a multiple of geodns.datacenters = ${k}`);
  return { open: false, value: n };
}

/** Every configuration of the space, evaluated: the cheapest feasible one (for the planner's test). */
export function bruteForcePlan(
  a: Architecture,
  options: PlanOptions = {},
): { best: PlanCandidate | null; evaluated: number } {
  const load = loadOf(a, options);
  const s = space(a, options);
  let best: PlanCandidate | null = null;
  let evaluated = 0;
  for (const cacheServers of s.caches)
    for (const pair of s.pairs)
      for (const replicas of s.replicas)
        for (let n = 1; n <= s.webMax; n++) {
          const c = candidate(a, load, {
            webServers: n,
            replicas: replicas,
            pair: pair,
            cacheServers: cacheServers,
          });
          evaluated++;
          if (c.feasible && better(c, best)) best = c;
        }
  return { best, evaluated };
}

/** The planner: analytic search, then confirmation by simulation and the single-failure table. */
export function planArchitecture(a: Architecture, options: PlanOptions = {}): Plan {
  const load = loadOf(a, options);
  const s = space(a, options);
  let best: PlanCandidate | null = null;
  let evaluated = 0;
  const at = (n: number, replicas: number, pair: boolean, cacheServers: number): PlanCandidate => {
    evaluated++;
    return candidate(a, load, {
      webServers: n,
      replicas: replicas,
      pair: pair,
      cacheServers: cacheServers,
    });
  };
  const fast = (c: PlanCandidate): boolean =>
    c.p95 <= a.target.p95 && (a.target.p99 === undefined || c.p99 <= a.target.p99);
  for (const cacheServers of s.caches)
    for (const pair of s.pairs)
      for (const replicas of s.replicas) {
        // the fewest web servers whose latency meets the target (availability only grows with n)
        const top = at(s.webMax, replicas, pair, cacheServers);
        if (!fast(top)) continue;
        let lo = 0;
        let hi = s.webMax;
        let found = top;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          const c = at(mid, replicas, pair, cacheServers);
          if (fast(c)) {
            hi = mid;
            found = c;
          } else lo = mid;
        }
        // availability may need more web servers than the latency does
        let c = found;
        while (!c.feasible && c.webServers < s.webMax)
          c = at(c.webServers + 1, replicas, pair, cacheServers);
        if (c.feasible && better(c, best)) best = c;
      }
  const plan: Plan = {
    name: a.name,
    loadKind: load.open ? 'requests/s' : 'users',
    load: load.value,
    users: load.open ? NaN : load.value,
    target: { ...a.target },
    feasible: best !== null,
    best: best,
    evaluation: null,
    bottleneck: null,
    tiers: [],
    simulated: null,
    failures: [],
    evaluated: evaluated,
    reason: null,
  };
  if (best === null) {
    const most = at(
      s.webMax,
      s.replicas[s.replicas.length - 1],
      s.pairs[s.pairs.length - 1],
      s.caches[s.caches.length - 1],
    );
    const latency =
      `p95 ${most.p95.toFixed(3)} s (target ${a.target.p95} s)` +
      (a.target.p99 !== undefined
        ? ` and p99 ${most.p99.toFixed(3)} s (target ${a.target.p99} s)`
        : '');
    plan.reason = !fast(most)
      ? `even the largest configuration (${most.webServers} web servers, ${most.replicas} replicas${most.cacheServers ? `, ${most.cacheServers} cache servers` : ''}) has ${latency}: the bottleneck is not a knob of this architecture`
      : `no configuration reaches availability ${a.target.availability} (at most ${most.availability.toFixed(5)}): a single server that every request needs (the host or the primary without a replica) caps it`;
    return plan;
  }
  const b = withConfig(a, best);
  const e = evaluateAt(b, load, best.webServers);
  plan.evaluation = e;
  plan.bottleneck = e.bottleneck;
  plan.tiers = e.tiers;
  const reps = options.replications ?? 3;
  const seed = options.seed ?? 1;
  const duration = options.duration ?? Math.max(30, 8000 / e.throughput);
  if (reps >= 2) {
    const runs = Array.from({ length: reps }, (_, i) =>
      simulateArchitecture(
        b,
        { seed: seed + i, duration: duration, warmup: 15 },
        { load: load.value, webServers: best!.webServers },
      ),
    );
    const p95 = confidenceInterval(runs.map((r) => r.latency.p95));
    const p99 = confidenceInterval(runs.map((r) => r.latency.p99));
    const overloaded = new Set<string>();
    for (const r of runs) for (const t of r.tiers) if (t.overloaded) overloaded.add(t.tier);
    plan.simulated = {
      p95: p95.mean,
      p95Lo: p95.lower,
      p95Hi: p95.upper,
      p99: p99.mean,
      p99Lo: p99.lower,
      p99Hi: p99.upper,
      meanResponse: runs.reduce((x, r) => x + r.latency.mean, 0) / reps,
      throughput: runs.reduce((x, r) => x + r.throughput, 0) / reps,
      replications: reps,
      overloaded: [...overloaded],
    };
  }
  const simFailures = options.simulateFailures ?? reps >= 2;
  plan.failures = failureEffects(b, {
    load: load.value,
    open: load.open,
    webServers: best.webServers,
    window: simFailures ? Math.max(20, Math.min(duration, 4000 / e.throughput)) : 0,
    warmup: 10,
    seed: seed + 1000,
  });
  return plan;
}
