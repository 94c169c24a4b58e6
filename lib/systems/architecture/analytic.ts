/**
 * The analytic evaluation of an architecture: the network of ./layout.ts solved in closed form.
 *
 * - Closed users (N, think time Z): exact MVA (Reiser and Lavenberg 1980; lib/queueing `mva`) on
 *   one datacenter with N / datacenters users (GeoDNS pins each user to one datacenter), the
 *   constant delays (round trip, CDN edge) as a delay station. Every station is a single-server
 *   processor-sharing CPU, BCMP type 2 (Baskett, Chandy, Muntz and Palacios 1975): product form
 *   with class-dependent service times, so the MVA means are EXACT for this model, the class mix
 *   entering only through the demands D_k = Σ_c p_c S_kc.
 * - Open load λ: the same network open (BCMP/Jackson): per visit W_kc = S_kc / (1 − ρ_k), ρ_k = λ D_k.
 * - Per-visit means of class c at station k under MVA: S_kc (1 + Q_k(N−1)) = S_kc R_k / D_k
 *   (arrival theorem).
 * - p95 (an APPROXIMATION, named): each class's response is its constant delays plus a sum of
 *   independent per-visit sojourns with those means and the squared coefficient of variation of
 *   an M/M/1-PS sojourn, (2 + ρ)/(2 − ρ) (Coffman, Muntz and Trotter, J. ACM 17(1), 1970; checked
 *   by simulation: 2.03 at ρ = 0.7 against 2.08), matched to a gamma by its mean and variance; the
 *   p95 is that of the mixture over classes. Independence and the gamma shape are the
 *   approximations; the tolerance is stated in the tests.
 * - Cache: Che's approximation (./layout.ts). Replicas: reads spread evenly, writes to the primary.
 * - Autoscaling: the web servers the HPA settles at for a steady load, the fewest n in
 *   [minReplicas, maxReplicas] with web utilisation <= targetCPUUtilizationPercentage.
 * - Kafka (./async.ts): the consumer group's utilisation and lag stability at the datacenter's
 *   throughput; with `kafka.awaitAck` the produce latency joins the writes' constant delays (a
 *   fixed point: the latency depends on the record rate, which depends on the throughput; three
 *   rounds from the rate-free value settle it to well under 1 %).
 * - Availability: series-parallel block diagram of independent servers, each up
 *   a = MTTF / (MTTF + MTTR): balancer (a pair: 1 − (1 − a)²) · web (1 − (1 − a)^n) · primary
 *   (MTTF / (MTTF + failoverTime) when a replica can be promoted); the
 *   cache and replicas are not needed (reads fall back); k datacenters in parallel: 1 − (1 − A)^k.
 */
import { ParameterError } from '../../errors';
import { mva } from '../../queueing/mva';
import type { MvaStation } from '../../queueing/mva-stations';
import { kafkaEvaluation, type KafkaEvaluation } from './async';
import { gammaCdfByMoments } from './gamma';
import {
  cacheServersOf,
  constantDelayOf,
  demandsOf,
  layoutOf,
  type Layout,
  type Tier,
} from './layout';
import type { Architecture } from './types';

export interface TierResult {
  tier: Tier;
  servers: number;
  /** Utilisation of one server of the tier. */
  utilisation: number;
}

export interface Evaluation {
  /** Users (closed) or NaN (open). */
  users: number;
  /** Requests per second, all datacenters. */
  throughput: number;
  meanResponse: number;
  p95: number;
  p99: number;
  tiers: TierResult[];
  bottleneck: Tier;
  webServers: number;
  cacheHitRatio: number;
  /** The Kafka topic and consumer group at this throughput (null without kafka). */
  kafka: KafkaEvaluation | null;
}

/** Servers that run, all datacenters (balancers, web, cache, database). */
export function serversOf(a: Architecture, webServers: number = a.web.servers): number {
  const perDc =
    (a.balancer ? (a.balancer.pair ? 2 : 1) : 0) +
    webServers +
    cacheServersOf(a) +
    (a.database.colocated ? 0 : 1) +
    a.database.replicas;
  return perDc * (a.geodns ? a.geodns.datacenters : 1);
}

/** Cost per hour: servers × cost.server, plus the CDN. */
export function costOf(a: Architecture, webServers: number = a.web.servers): number {
  return serversOf(a, webServers) * a.cost.server + (a.cdn ? a.cost.cdn : 0);
}

/** Steady-state availability of the service (see the block diagram above). */
export function availabilityOf(a: Architecture, webServers: number = a.web.servers): number {
  const up = a.failures.mttf / (a.failures.mttf + a.failures.mttr);
  const lb = a.balancer ? (a.balancer.pair ? 1 - (1 - up) ** 2 : up) : 1;
  const web = 1 - (1 - up) ** webServers;
  // with a replica to promote, the primary is down for the failover time instead of the repair
  const dbDown = a.database.replicas > 0 ? a.database.failoverTime : a.failures.mttr;
  const db = a.database.colocated ? 1 : a.failures.mttf / (a.failures.mttf + dbDown);
  const dc = lb * web * db;
  return 1 - (1 - dc) ** (a.geodns ? a.geodns.datacenters : 1);
}

/** p95 of the mixture of gamma-matched class responses, per-visit means S_kc · factor_k. */
function percentile(
  layout: Layout,
  factor: Float64Array,
  rho: Float64Array,
  q: number[],
): { mean: number; p: number[] } {
  const parts: { p: number; c: number; m: number; v: number }[] = [];
  let mean = 0;
  for (const cl of layout.classes) {
    if (cl.p <= 0) continue;
    let m = 0;
    let v = 0;
    for (const visit of cl.visits) {
      const w = visit.service * factor[visit.station];
      const u = Math.min(rho[visit.station], 0.999);
      m += w;
      v += (w * w * (2 + u)) / (2 - u);
    }
    parts.push({ p: cl.p, c: cl.constant, m, v });
    mean += cl.p * (cl.constant + m);
  }
  const cdf = (t: number): number => {
    let f = 0;
    for (const x of parts) f += x.p * gammaCdfByMoments(x.m, x.v, t - x.c);
    return f;
  };
  const p = q.map((qi) => {
    let hi = 1e-6;
    while (cdf(hi) < qi && hi < 1e9) hi *= 2;
    let lo = 0;
    for (let i = 0; i < 60; i++) {
      const mid = 0.5 * (lo + hi);
      if (cdf(mid) < qi) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  });
  return { mean, p };
}

/** The layout with `delay` seconds more of constant delay on the writes (the produce on the response path). */
function withWriteDelay(layout: Layout, delay: number): Layout {
  if (delay === 0) return layout;
  return {
    ...layout,
    classes: layout.classes.map((c) =>
      c.cls === 'write' ? { ...c, constant: c.constant + delay } : c,
    ),
  };
}

/** Rounds of the produce-latency fixed point (see the doc comment). */
const FIXED_POINT_ROUNDS = 3;

function tiersOf(layout: Layout, D: Float64Array, xPerDc: number): TierResult[] {
  return layout.stations.map((st, k) => ({
    tier: st.tier,
    servers: st.copies,
    utilisation: xPerDc * D[k],
  }));
}

function bottleneckOf(tiers: TierResult[]): Tier {
  let best = tiers[0];
  for (const t of tiers) if (t.utilisation > best.utilisation) best = t;
  return best.tier;
}

/** The closed network with N users and n web servers. */
export function evaluateClosedWith(a: Architecture, users: number, webServers: number): Evaluation {
  const base = layoutOf(a, webServers);
  const k = base.datacenters;
  if (!Number.isInteger(users / k) || users < k)
    throw new ParameterError(
      'users.count',
      users,
      `must be a positive multiple of geodns.datacenters = ${k}`,
    );
  if (!a.kafka || !a.kafka.awaitAck) return closedOn(a, base, users, webServers);
  let delay = (kafkaEvaluation(a, 0) as KafkaEvaluation).responseDelay;
  let e = closedOn(a, withWriteDelay(base, delay), users, webServers);
  for (let round = 1; round < FIXED_POINT_ROUNDS; round++) {
    delay = (e.kafka as KafkaEvaluation).responseDelay;
    e = closedOn(a, withWriteDelay(base, delay), users, webServers);
  }
  return e;
}

function closedOn(a: Architecture, layout: Layout, users: number, webServers: number): Evaluation {
  const k = layout.datacenters;
  const D = demandsOf(layout);
  const stations: MvaStation[] = [];
  const owner: number[] = [];
  layout.stations.forEach((st, s) => {
    for (let c = 0; c < st.copies; c++) {
      stations.push({ name: `${st.tier}${c}`, demand: D[s] });
      owner.push(s);
    }
  });
  const delay = constantDelayOf(layout);
  if (delay > 0) stations.push({ name: 'delays', kind: 'delay', demand: delay });
  const z = (a.users as { thinkTime: number }).thinkTime;
  const res = mva({ stations, users: users / k, thinkTime: z });
  const factor = new Float64Array(layout.stations.length).fill(1);
  for (let s = 0; s < layout.stations.length; s++) {
    const i = owner.indexOf(s);
    if (D[s] > 0) factor[s] = res.R[i] / D[s];
  }
  const tiers = tiersOf(layout, D, res.throughput);
  const { mean, p } = percentile(
    layout,
    factor,
    Float64Array.from(tiers, (t) => t.utilisation),
    [0.95, 0.99],
  );
  return {
    users,
    throughput: res.throughput * k,
    meanResponse: mean,
    p95: p[0],
    p99: p[1],
    tiers,
    bottleneck: bottleneckOf(tiers),
    webServers,
    cacheHitRatio: layout.cacheHitRatio,
    kafka: kafkaEvaluation(a, res.throughput),
  };
}

/** The open network at λ requests/s (all datacenters) with n web servers; p95 Infinity when unstable. */
export function evaluateOpenWith(a: Architecture, rate: number, webServers: number): Evaluation {
  const base = layoutOf(a, webServers);
  const x = rate / base.datacenters;
  const kafka = kafkaEvaluation(a, x);
  const layout = kafka ? withWriteDelay(base, kafka.responseDelay) : base;
  const D = demandsOf(layout);
  const factor = new Float64Array(D.length);
  let unstable = false;
  for (let s = 0; s < D.length; s++) {
    const rho = x * D[s];
    if (rho >= 1) unstable = true;
    factor[s] = 1 / (1 - rho);
  }
  const tiers = tiersOf(layout, D, x);
  const { mean, p } = unstable
    ? { mean: Infinity, p: [Infinity, Infinity] }
    : percentile(
        layout,
        factor,
        Float64Array.from(tiers, (t) => t.utilisation),
        [0.95, 0.99],
      );
  return {
    users: NaN,
    throughput: rate,
    meanResponse: mean,
    p95: p[0],
    p99: p[1],
    tiers,
    bottleneck: bottleneckOf(tiers),
    webServers,
    cacheHitRatio: layout.cacheHitRatio,
    kafka: kafka,
  };
}

/** Web servers the autoscaler settles at under this load (the file's count when not autoscaled). */
export function webServersFor(a: Architecture, load: number, open: boolean): number {
  const as = a.web.autoscaling;
  if (!as) return a.web.servers;
  const target = as.targetCPUUtilizationPercentage / 100;
  const fits = (n: number): boolean => {
    const e = open ? evaluateOpenWith(a, load, n) : evaluateClosedWith(a, load, n);
    return (e.tiers.find((t) => t.tier === 'web') as TierResult).utilisation <= target;
  };
  // Web utilisation falls as servers are added: bisection for the fewest that fit.
  if (fits(as.minReplicas)) return as.minReplicas;
  if (!fits(as.maxReplicas)) return as.maxReplicas;
  let lo = as.minReplicas;
  let hi = as.maxReplicas;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The architecture at its own load (users.count or arrivalRate), or at `load` instead. */
export function evaluate(a: Architecture, load?: number): Evaluation {
  const open = a.arrivalRate !== undefined;
  const l = load ?? (open ? (a.arrivalRate as number) : (a.users as { count: number }).count);
  const n = webServersFor(a, l, open);
  return open ? evaluateOpenWith(a, l, n) : evaluateClosedWith(a, l, n);
}

/** The evaluation meets the latency target: p95 <= target.p95, and p99 <= target.p99 when one is given. */
export function meetsLatency(a: Architecture, e: Evaluation): boolean {
  return e.p95 <= a.target.p95 && (a.target.p99 === undefined || e.p99 <= a.target.p99);
}

/**
 * Users supported at the target p95 (closed), or requests/s (open): the largest load, a multiple
 * of the datacenters for users, whose p95 <= target.p95 (and p99 <= target.p99 when given;
 * both grow with the load: bisection).
 */
export function capacityAtTarget(a: Architecture, maxLoad = 200_000): number {
  const open = a.arrivalRate !== undefined;
  const k = a.geodns ? a.geodns.datacenters : 1;
  const ok = (l: number): boolean => meetsLatency(a, evaluate(a, l));
  if (open) {
    let lo = 0;
    let hi = 1;
    while (ok(hi) && hi < 1e7) {
      lo = hi;
      hi *= 2;
    }
    for (let i = 0; i < 40; i++) {
      const mid = 0.5 * (lo + hi);
      if (ok(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }
  if (!ok(k)) return 0;
  let lo = 1;
  let hi = 2;
  while (hi * k <= maxLoad && ok(hi * k)) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid * k)) lo = mid;
    else hi = mid;
  }
  return lo * k;
}
