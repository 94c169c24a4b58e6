/**
 * `planArchitecture`: the cheapest configuration of an architecture that meets its target at a
 * given load: p95 <= target.p95 (users, closed) and availability >= target.availability.
 *
 * Searched with the analytic model (./analytic.ts): the knobs are web servers per datacenter
 * (1..maxWebServers), read replicas (0..maxReplicas) and the balancer pair (off/on); a colocated
 * database has no knobs. For each (replicas, pair) the fewest web servers that meet the p95 are
 * found by bisection (the p95 falls as web servers are added, the other tiers unchanged), then the
 * cheapest of those candidates wins (ties: fewer servers, then lower p95). `bruteForcePlan`
 * enumerates the whole space, for the test. The answer is then confirmed by simulation
 * (replications of ./simulate.ts with 95 % intervals), and each single failure is evaluated: one
 * web server, one replica or the cache lost (the p95 of what is left), the balancer or the primary
 * lost (an outage of everything, or of writes, unless the pair takes over).
 */
import { ParameterError, requireInteger } from '../../errors';
import { confidenceInterval } from '../../sim/confidence';
import { availabilityOf, costOf, evaluateClosedWith, serversOf, type Evaluation, type TierResult } from './analytic';
import { simulateArchitecture } from './simulate';
import type { Architecture } from './types';

export interface PlanOptions {
  /** Users to plan for (default the file's users.count). */
  users?: number;
  maxWebServers?: number;
  maxReplicas?: number;
  /** Replications of the confirming simulation (0: none). */
  replications?: number;
  duration?: number;
  seed?: number;
}

export interface PlanConfig {
  webServers: number;
  replicas: number;
  pair: boolean;
}

export interface PlanCandidate extends PlanConfig {
  p95: number;
  availability: number;
  cost: number;
  servers: number;
  feasible: boolean;
}

export interface FailureEffect {
  component: string;
  effect: string;
  /** p95 after the failure (Infinity: outage, NaN: writes fail but reads go on). */
  p95: number;
  meetsTarget: boolean;
}

export interface Plan {
  name: string;
  users: number;
  target: { p95: number; availability: number };
  feasible: boolean;
  best: PlanCandidate | null;
  evaluation: Evaluation | null;
  bottleneck: string | null;
  tiers: TierResult[];
  simulated: { p95: number; p95Lo: number; p95Hi: number; meanResponse: number; throughput: number; replications: number } | null;
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
  return b;
}

function candidate(a: Architecture, users: number, c: PlanConfig): PlanCandidate {
  const b = withConfig(a, c);
  const e = evaluateClosedWith(b, users, c.webServers);
  const availability = availabilityOf(b, c.webServers);
  return {
    ...c,
    p95: e.p95,
    availability: availability,
    cost: costOf(b, c.webServers),
    servers: serversOf(b, c.webServers),
    feasible: e.p95 <= a.target.p95 && availability >= a.target.availability,
  };
}

function better(x: PlanCandidate, y: PlanCandidate | null): boolean {
  if (y === null) return true;
  if (x.cost !== y.cost) return x.cost < y.cost;
  if (x.servers !== y.servers) return x.servers < y.servers;
  return x.p95 < y.p95;
}

function space(a: Architecture, o: Required<Pick<PlanOptions, 'maxWebServers' | 'maxReplicas'>>): { webMax: number; replicas: number[]; pairs: boolean[] } {
  if (a.database.colocated) return { webMax: 1, replicas: [0], pairs: [false] };
  return {
    webMax: a.balancer ? o.maxWebServers : 1,
    replicas: Array.from({ length: o.maxReplicas + 1 }, (_, i) => i),
    pairs: a.balancer ? [false, true] : [false],
  };
}

function usersOf(a: Architecture, o: PlanOptions): number {
  if (a.users === undefined) throw new ParameterError('users', undefined, 'planning needs closed load (users {count, thinkTime}); open load is not planned yet');
  const k = a.geodns ? a.geodns.datacenters : 1;
  const n = requireInteger('users', o.users ?? a.users.count, 1, 1_000_000);
  if (n % k !== 0) throw new ParameterError('users', n, `must be a multiple of geodns.datacenters = ${k}`);
  return n;
}

/** Every configuration of the space, evaluated: the cheapest feasible one (for the planner's test). */
export function bruteForcePlan(a: Architecture, options: PlanOptions = {}): { best: PlanCandidate | null; evaluated: number } {
  const users = usersOf(a, options);
  const s = space(a, { maxWebServers: options.maxWebServers ?? 32, maxReplicas: options.maxReplicas ?? 4 });
  let best: PlanCandidate | null = null;
  let evaluated = 0;
  for (const pair of s.pairs) for (const replicas of s.replicas) for (let n = 1; n <= s.webMax; n++) {
    const c = candidate(a, users, { webServers: n, replicas: replicas, pair: pair });
    evaluated++;
    if (c.feasible && better(c, best)) best = c;
  }
  return { best, evaluated };
}

/** The planner: analytic search, then confirmation by simulation and the single-failure table. */
export function planArchitecture(a: Architecture, options: PlanOptions = {}): Plan {
  const users = usersOf(a, options);
  const s = space(a, { maxWebServers: options.maxWebServers ?? 32, maxReplicas: options.maxReplicas ?? 4 });
  let best: PlanCandidate | null = null;
  let evaluated = 0;
  const at = (n: number, replicas: number, pair: boolean): PlanCandidate => {
    evaluated++;
    return candidate(a, users, { webServers: n, replicas: replicas, pair: pair });
  };
  for (const pair of s.pairs) for (const replicas of s.replicas) {
    // the fewest web servers whose p95 meets the target (availability only grows with n)
    const top = at(s.webMax, replicas, pair);
    if (top.p95 > a.target.p95) continue;
    let lo = 0;
    let hi = s.webMax;
    let found = top;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const c = at(mid, replicas, pair);
      if (c.p95 <= a.target.p95) {
        hi = mid;
        found = c;
      } else lo = mid;
    }
    // availability may need more web servers than the p95 does
    let c = found;
    while (!c.feasible && c.webServers < s.webMax) c = at(c.webServers + 1, replicas, pair);
    if (c.feasible && better(c, best)) best = c;
  }
  const plan: Plan = { name: a.name, users: users, target: { ...a.target }, feasible: best !== null, best: best, evaluation: null, bottleneck: null, tiers: [], simulated: null, failures: [], evaluated: evaluated, reason: null };
  if (best === null) {
    const most = at(s.webMax, s.replicas[s.replicas.length - 1], s.pairs[s.pairs.length - 1]);
    plan.reason =
      most.p95 > a.target.p95
        ? `even the largest configuration (${most.webServers} web servers, ${most.replicas} replicas) has p95 ${most.p95.toFixed(3)} s > ${a.target.p95} s: the bottleneck is not a knob of this architecture`
        : `no configuration reaches availability ${a.target.availability} (at most ${most.availability.toFixed(5)}): a single server that every request needs (the host or the primary without a replica) caps it`;
    return plan;
  }
  const b = withConfig(a, best);
  const e = evaluateClosedWith(b, users, best.webServers);
  plan.evaluation = e;
  plan.bottleneck = e.bottleneck;
  plan.tiers = e.tiers;
  const reps = options.replications ?? 3;
  if (reps >= 2) {
    const runs = Array.from({ length: reps }, (_, i) =>
      simulateArchitecture(b, { seed: (options.seed ?? 1) + i, duration: options.duration ?? Math.max(30, 8000 / e.throughput), warmup: 15 }, { load: users, webServers: best!.webServers }),
    );
    const ci = confidenceInterval(runs.map((r) => r.latency.p95));
    plan.simulated = {
      p95: ci.mean,
      p95Lo: ci.lower,
      p95Hi: ci.upper,
      meanResponse: runs.reduce((x, r) => x + r.latency.mean, 0) / reps,
      throughput: runs.reduce((x, r) => x + r.throughput, 0) / reps,
      replications: reps,
    };
  }
  plan.failures = failureEffects(b, users, best);
  return plan;
}

/** What one failure of each component does to the planned configuration (one datacenter hit). */
export function failureEffects(b: Architecture, users: number, c: PlanConfig): FailureEffect[] {
  const out: FailureEffect[] = [];
  const target = b.target.p95;
  const p95With = (x: Architecture, n: number): number => evaluateClosedWith(x, users, n).p95;
  const push = (component: string, effect: string, p95: number): void => {
    out.push({ component: component, effect: effect, p95: p95, meetsTarget: p95 <= target });
  };
  if (b.balancer) {
    if (c.pair) push('balancer', 'the backup takes the virtual IP (VRRP): same capacity', p95With(b, c.webServers));
    else push('balancer', 'outage: no way in until it is repaired', Infinity);
  }
  if (c.webServers > 1) push('web server', `${c.webServers - 1} web servers left (every datacenter, worst case)`, p95With(b, c.webServers - 1));
  else push(b.database.colocated ? 'host' : 'web server', 'outage: the only web server', Infinity);
  if (b.cache) {
    const x = structuredClone(b);
    delete x.cache;
    push('cache', 'every read misses: reads go to the database', p95With(x, c.webServers));
  }
  if (!b.database.colocated) {
    if (c.replicas > 0) push('primary', 'writes fail until a replica is promoted; reads go on', NaN);
    else push('primary', 'outage: the only database', Infinity);
  }
  if (c.replicas > 0) {
    const x = structuredClone(b);
    x.database.replicas = c.replicas - 1;
    push('replica', c.replicas > 1 ? `${c.replicas - 1} replicas left` : 'reads go to the primary', p95With(x, c.webServers));
  }
  if (b.geodns && b.geodns.datacenters > 1) {
    const x = structuredClone(b);
    const k = b.geodns.datacenters;
    // the survivors take every user: users k/(k-1) per remaining datacenter
    x.geodns!.datacenters = k - 1;
    const survivors = Math.ceil(users / (k - 1)) * (k - 1);
    push('datacenter', `GeoDNS sends its users to the other ${k - 1} (after health checks and TTLs)`, evaluateClosedWith(x, survivors, c.webServers).p95);
  }
  return out;
}
