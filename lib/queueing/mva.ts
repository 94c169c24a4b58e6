/**
 * Exact Mean Value Analysis for a closed, single-class, product-form network: N jobs (users) cycle
 * between a think (terminal) stage of mean Z and K stations with service demands D_k.
 *
 *   for n = 1..N:
 *     queue, 1 server:  R_k(n) = D_k (1 + Q_k(n-1))                         (arrival theorem)
 *     queue, c servers: R_k(n) = D_k / c (1 + Q_k(n-1) + sum_{j=0}^{c-2} (c-1-j) p_k(j | n-1))
 *     delay:            R_k(n) = D_k
 *     X(n) = n / (Z + sum_k R_k(n)),   Q_k(n) = X(n) R_k(n)
 *     c-server marginals: p_k(j | n) = X(n) D_k / j * p_k(j-1 | n-1),  j = 1..c-1,
 *                         p_k(0 | n) = p_k(0 | n-1) X(n) / X_{-k}(n)   (X_{-k}: network without k)
 *   U_k = X D_k / c_k,  R = sum_k R_k,  cycle time R + Z = N / X (interactive response time law)
 *
 * Source: Reiser and Lavenberg, "Mean-value analysis of closed multichain queuing networks",
 * J. ACM 27(2), 1980; Lazowska et al., Quantitative System Performance (1984), chapter 6;
 * multi-server stations: Bolch et al., Queueing Networks and Markov Chains (2006), chapter 8,
 * with the idle probability from the complement network (see `runWithMultiServerStations`).
 * Checked against Lazowska p. 117 (libmva `regression/test0.cc`).
 *
 * O(N K) time on typed arrays with single-server and delay stations: N = 100,000 jobs over 200
 * single-server stations takes about 0.1 s. A station with c >= N servers never queues and is
 * solved as a delay station.
 */
import { requireQuantity } from './validate';
import { ParameterError, requireInteger } from '../errors';
import { normaliseStations, type MvaStation, type NormalisedStations } from './mva-stations';

export interface MvaParams {
  readonly stations: readonly MvaStation[];
  /** Number of jobs (users) in the closed network, an integer >= 1. */
  readonly users: number;
  /** Mean think time Z at the terminals (default 0). */
  readonly thinkTime?: number;
}

export interface MvaResult {
  readonly model: 'MVA (exact, single class)';
  /** Population. */
  readonly N: number;
  /** Think time. */
  readonly Z: number;
  /** System throughput (interactions per unit time). */
  readonly throughput: number;
  /** System response time: sum of residence times, excluding think time. */
  readonly responseTime: number;
  /** Response plus think time: N / throughput. */
  readonly cycleTime: number;
  readonly names: readonly string[];
  /** Per-station throughput V_k X (visits default 1). */
  readonly X: readonly number[];
  /** Per-station residence time (all visits of one job). */
  readonly R: readonly number[];
  /** Per-station mean number of jobs. */
  readonly Q: readonly number[];
  /** Per-station per-server utilisation X D_k / c_k (at a delay station: X D_k, the mean busy servers). */
  readonly U: readonly number[];
  /** System throughput X(n) for n = 0..N (index n). */
  readonly throughputByN: Float64Array;
  /** System response time R(n) for n = 0..N (index n). */
  readonly responseTimeByN: Float64Array;
}

/**
 * The MVA recursion itself, shared by `mva` and `maxUsersFor`. Calls `step(n, X, R)` after each
 * population n and stops early when it returns false. Returns the last population solved with its
 * throughput, response time, and per-station residence times and queue lengths.
 */
export function runSingleClassMva(
  stations: NormalisedStations,
  N: number,
  Z: number,
  step?: (n: number, X: number, R: number) => boolean,
): { n: number; X: number; R: number; residence: Float64Array; queue: Float64Array } {
  // c >= N servers, or no demand: no job ever waits, so the station is exactly a delay station.
  const isDelay = Uint8Array.from(stations.isDelay, (d, k) =>
    d || stations.servers[k] >= N || stations.demands[k] === 0 ? 1 : 0,
  );
  const st: NormalisedStations = { ...stations, isDelay };
  const K = st.count;
  const D = st.demands;
  const servers = st.servers;
  const delay = st.isDelay;
  const residence = new Float64Array(K);
  const queue = new Float64Array(K);
  let anyMulti = false;
  for (let k = 0; k < K; k++) if (!delay[k] && servers[k] > 1) anyMulti = true;
  let delaySum = 0;
  for (let k = 0; k < K; k++) if (delay[k]) delaySum += D[k];
  let X = 0;
  let R = 0;
  if (!anyMulti) {
    // Fast path, single-server queues and delays: with Q_k(n-1) = X(n-1) R_k(n-1) the recursion is
    // one pass per population, R_k(n) = D_k (1 + X(n-1) R_k(n-1)), over the queueing stations only.
    const queueing = Int32Array.from(
      Array.from({ length: K }, (_, k) => k).filter((k) => !delay[k]),
    );
    const Dq = Float64Array.from(queueing, (k) => D[k]);
    const Rq = new Float64Array(queueing.length);
    const M = queueing.length;
    let stopped = false;
    let n: number;
    for (n = 1; n <= N; n++) {
      let sum = delaySum;
      for (let i = 0; i < M; i++) {
        const r = Dq[i] * (1 + X * Rq[i]);
        Rq[i] = r;
        sum += r;
      }
      R = sum;
      X = n / (Z + sum);
      if (step && !step(n, X, R)) {
        stopped = true;
        break;
      }
    }
    if (!stopped) n = N;
    for (let k = 0; k < K; k++) if (delay[k]) residence[k] = D[k];
    for (let i = 0; i < M; i++) residence[queueing[i]] = Rq[i];
    for (let k = 0; k < K; k++) queue[k] = X * residence[k];
    return { n, X, R, residence, queue };
  }
  return runWithMultiServerStations(st, N, Z, step);
}

/**
 * Exact MVA with multi-server stations. The marginals p_k(j | n), j = 1..c-1, follow Bolch's
 * recursion p_k(j | n) = X(n) D_k / j * p_k(j-1 | n-1); the probability of an idle station comes from
 * the complement network (station k removed), p_k(0 | n) = p_k(0 | n-1) X(n) / X_{-k}(n), since
 * p_k(0 | n) = G_{-k}(n) / G(n), with X(n) = G(n-1) / G(n) (normalising constants, Buzen 1973).
 * That product of positive ratios has no cancellation, unlike the textbook
 * p_k(0 | n) = 1 - (X D_k + sum_j (c-j) p_k(j | n)) / c, which loses all accuracy near saturation
 * (throughput off by 19 % at c = 100, N = 1000). The complement networks, one per subset of the
 * multi-server stations, are solved in lockstep with the full one: O(2^M N sum_k c_k) for M
 * multi-server stations, so M is limited to 10.
 */
function runWithMultiServerStations(
  st: NormalisedStations,
  N: number,
  Z: number,
  step?: (n: number, X: number, R: number) => boolean,
): { n: number; X: number; R: number; residence: Float64Array; queue: Float64Array } {
  const K = st.count;
  const D = st.demands;
  const multi: number[] = [];
  for (let k = 0; k < K; k++) if (!st.isDelay[k] && st.servers[k] > 1) multi.push(k);
  const M = multi.length;
  if (M > MAX_MULTI_SERVER_STATIONS) {
    throw new ParameterError(
      'stations',
      `${M} multi-server stations`,
      `exact MVA takes at most ${MAX_MULTI_SERVER_STATIONS} multi-server stations (cost doubles with each)`,
    );
  }
  const slot = new Int32Array(K).fill(-1); // station -> index in `multi`
  multi.forEach((k, i) => (slot[k] = i));
  const subsetCount = 1 << M;
  const full = subsetCount - 1;
  interface Net {
    queue: Float64Array;
    residence: Float64Array;
    p: Float64Array[]; // per multi-server station present: p(j | n), j = 0..c-1
    X: number;
    R: number;
  }
  const nets: Net[] = [];
  for (let mask = 0; mask < subsetCount; mask++) {
    nets.push({
      queue: new Float64Array(K),
      residence: new Float64Array(K),
      p: multi.map((k) => {
        const p = new Float64Array(st.servers[k]);
        p[0] = 1;
        return p;
      }),
      X: 0,
      R: 0,
    });
  }
  for (let n = 1; n <= N; n++) {
    for (let mask = 0; mask < subsetCount; mask++) {
      const net = nets[mask];
      let R = 0;
      for (let k = 0; k < K; k++) {
        const i = slot[k];
        let r: number;
        if (st.isDelay[k]) r = D[k];
        else if (i < 0) r = D[k] * (1 + net.queue[k]);
        else if ((mask >> i) & 1) {
          const c = st.servers[k];
          const p = net.p[i];
          let extra = 0;
          for (let j = 0; j <= c - 2; j++) extra += (c - 1 - j) * p[j];
          r = (D[k] / c) * (1 + net.queue[k] + extra);
        } else r = 0; // removed in this complement network
        net.residence[k] = r;
        R += r;
      }
      net.R = R;
      net.X = n / (Z + R);
      for (let k = 0; k < K; k++) net.queue[k] = net.X * net.residence[k];
    }
    for (let mask = 1; mask < subsetCount; mask++) {
      const net = nets[mask];
      for (let i = 0; i < M; i++) {
        if (!((mask >> i) & 1)) continue;
        const k = multi[i];
        const p = net.p[i];
        const load = net.X * D[k];
        for (let j = st.servers[k] - 1; j >= 1; j--) p[j] = (load / j) * p[j - 1];
        const complementX = nets[mask & ~(1 << i)].X;
        p[0] = complementX === Infinity ? 0 : (p[0] * net.X) / complementX;
      }
    }
    const top = nets[full];
    if (step && !step(n, top.X, top.R))
      return { n, X: top.X, R: top.R, residence: top.residence, queue: top.queue };
  }
  const top = nets[full];
  return { n: N, X: top.X, R: top.R, residence: top.residence, queue: top.queue };
}

const MAX_MULTI_SERVER_STATIONS = 10;

/**
 * Exact MVA's domain (issue 23): O(N) recursion steps of O(K) work each, and two arrays of N + 1
 * doubles, so N ≤ 1e6 users and N × work per step ≤ 2e7 (well under a second, 16 MB).
 */
export const MAX_MVA_USERS = 1_000_000;
export const MAX_MVA_WORK = 20_000_000;

/** Throws unless the cycle takes some time (Z + sum D > 0), else throughput would be infinite. */
export function requireSomeDelay(st: NormalisedStations, Z: number): void {
  let total = Z;
  for (let k = 0; k < st.count; k++) total += st.demands[k];
  if (!(total > 0))
    throw new ParameterError(
      'demands',
      Array.from(st.demands),
      'must not all be 0 when the think time is 0',
    );
}

/** Solves a closed single-class network by exact MVA. */
export function mva(params: MvaParams): MvaResult {
  const st = normaliseStations(params.stations);
  const N = requireInteger('users', params.users, 1, MAX_MVA_USERS);
  const Z = requireQuantity('thinkTime', params.thinkTime ?? 0);
  requireSomeDelay(st, Z);
  let perUser = 0;
  for (let k = 0; k < st.count; k++)
    perUser += 1 + (st.isDelay[k] ? 0 : st.servers[k] > 1 ? st.servers[k] : 0);
  if (N * perUser > MAX_MVA_WORK) {
    throw new ParameterError(
      'users',
      N,
      `must keep users × (stations + servers of multi-server stations) <= ${MAX_MVA_WORK} for exact MVA (here ${perUser} per user); use the Bard-Schweitzer approximation (method schweitzer) or the asymptotic bounds beyond`,
    );
  }
  const throughputByN = new Float64Array(N + 1);
  const responseTimeByN = new Float64Array(N + 1);
  const { X, R, residence, queue } = runSingleClassMva(st, N, Z, (n, x, r) => {
    throughputByN[n] = x;
    responseTimeByN[n] = r;
    return true;
  });
  const K = st.count;
  const range = Array.from({ length: K }, (_, k) => k);
  return {
    model: 'MVA (exact, single class)',
    N,
    Z,
    throughput: X,
    responseTime: R,
    cycleTime: R + Z,
    names: st.names,
    X: range.map((k) => X * st.visits[k]),
    R: Array.from(residence),
    Q: Array.from(queue),
    U: range.map((k) => (st.isDelay[k] ? X * st.demands[k] : (X * st.demands[k]) / st.servers[k])),
    throughputByN,
    responseTimeByN,
  };
}
