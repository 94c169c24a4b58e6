/**
 * Closed forms for the load-balancing lab (§0 and §1.8 of the subsystems reference).
 *
 * Homogeneous servers (rate mu each), Poisson arrivals (total rate lambda over k servers, per-server
 * load rho = lambda / (k mu)):
 * - random split: every server is an M/M/1 queue at lambda/k (Poisson thinning);
 * - round robin: every server sees Erlang-k inter-arrival times, an E_k/M/1 queue (GI/M/1);
 * - power of d choices (JSQ(d)) as k -> infinity: Mitzenmacher's supermarket model;
 * - join the shortest queue is bounded below by the pooled M/M/k queue.
 */
import { ParameterError, requireInteger, requirePositive } from '../../errors';
import { mm1 } from '../../queueing/mm1';
import { mmc } from '../../queueing/mmc';

function requireLoad(rho: number): number {
  if (typeof rho !== 'number' || !(rho > 0 && rho < 1))
    throw new ParameterError('rho', rho, 'must be a per-server load in (0, 1)');
  return rho;
}

/**
 * GI/M/1's sigma for Erlang-k inter-arrivals: the root in (0, 1) of
 * sigma = A*(mu (1 - sigma)), A*(s) = (k lambda / (k lambda + s))^k, with lambda the server's arrival rate.
 * Solved by bisection on f(sigma) = A*(mu (1 - sigma)) - sigma, which is > 0 at 0 and < 0 just below 1.
 */
export function erlangKSigma(k: number, rho: number): number {
  requireInteger('k', k, 1, 1e6);
  requireLoad(rho);
  if (k === 1) return rho;
  const lambda = rho; // mu = 1
  const f = (s: number) => Math.pow((k * lambda) / (k * lambda + (1 - s)), k) - s;
  let lo = 0;
  let hi = 1 - 1e-15;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Round robin over k servers with Poisson arrivals: each server is E_k/M/1, whose sojourn time is
 * exponential with rate mu (1 - sigma): mean 1/(mu (1 - sigma)), p-quantile -ln(1 - p)/(mu (1 - sigma)).
 * Time-average P(N >= i) = rho sigma^(i-1) for i >= 1. (Kleinrock vol. 1 §6.4; values of §1.8:
 * rho 0.9, k 10 -> 5.660/mu.)
 */
export function roundRobinErlang(
  k: number,
  rho: number,
  mu = 1,
): { sigma: number; W: number; quantile: (p: number) => number; tail: (i: number) => number } {
  requirePositive('mu', mu);
  const sigma = erlangKSigma(k, rho);
  const rate = mu * (1 - sigma);
  return {
    sigma,
    W: 1 / rate,
    quantile: (p: number) => -Math.log(1 - p) / rate,
    tail: (i: number) => (i <= 0 ? 1 : rho * Math.pow(sigma, i - 1)),
  };
}

/** Random split over k servers: each is M/M/1 at lambda/k (mean 1/(mu - lambda/k), p-quantile -ln(1-p)/(mu - lambda/k), P(N >= i) = rho^i). */
export function randomSplit(
  rho: number,
  mu = 1,
): { W: number; quantile: (p: number) => number; tail: (i: number) => number } {
  requireLoad(rho);
  const q = mm1({ lambda: rho * mu, mu });
  return {
    W: q.W,
    quantile: (p: number) => -Math.log(1 - p) / (mu - rho * mu),
    tail: (i: number) => Math.pow(rho, i),
  };
}

/**
 * Supermarket model (JSQ(d), n -> infinity, per-server load rho, mu = 1; Mitzenmacher, IEEE TPDS
 * 2001): the fraction of queues with at least i jobs is s_i = rho^((d^i - 1)/(d - 1)) (d = 1: rho^i).
 */
export function supermarketTail(d: number, rho: number, i: number): number {
  requireInteger('d', d, 1, 1000);
  requireLoad(rho);
  if (i <= 0) return 1;
  return d === 1 ? Math.pow(rho, i) : Math.pow(rho, (Math.pow(d, i) - 1) / (d - 1));
}

/** Mean sojourn time of the supermarket model, T = (sum_{i>=1} s_i) / rho, in units of 1/mu (d=2, rho 0.9 -> 2.614). */
export function supermarketMeanResponse(d: number, rho: number, mu = 1): number {
  requirePositive('mu', mu);
  let sum = 0;
  for (let i = 1; i < 100000; i++) {
    const s = supermarketTail(d, rho, i);
    sum += s;
    if (s < 1e-16 * sum) break;
  }
  return sum / rho / mu;
}

/** The pooled M/M/k queue: a lower bound on the mean response time of any dispatching policy over k servers (join the shortest queue included). */
export function pooledBound(k: number, rho: number, mu = 1): number {
  requireLoad(rho);
  return mmc({ lambda: rho * k * mu, mu, c: k }).W;
}

/**
 * Active health-check detection delay (HAProxy `inter`, `fastinter`, `fall`, `timeout check`).
 * The next check starts `inter` after the previous one ENDS (src/check.c, process_chk_conn), a
 * live server's check ends at once, and a check of a dead server fails after T: min(timeout,
 * inter) when it is blackholed (no answer; src/tcpcheck.c connects with min(inter, timeout
 * connect)), 0 when it crashed with its port closed (RST). The crash falls at a uniform phase U
 * of the checks, the first failing check starts U x inter later, and each further one starts
 * `fastinter` after the previous failure (the counter is in transition), so the delay is
 * U inter + fall T + (fall - 1) fastinter: with the defaults (inter 2 s, fall 3, T = inter)
 * 10 to 12 s, on average 11 s.
 */
export function detectionDelay(
  inter: number,
  fall: number,
  timeout: number,
  options: { fastinter?: number; failure_mode?: 'blackhole' | 'crash' } = {},
): { min: number; mean: number; max: number } {
  requirePositive('inter', inter);
  requireInteger('fall', fall, 1, 1000);
  if (!(timeout >= 0)) throw new ParameterError('timeout', timeout, 'must be a number >= 0');
  const fastinter = requirePositive('fastinter', options.fastinter ?? inter);
  const mode = options.failure_mode ?? 'blackhole';
  if (mode !== 'blackhole' && mode !== 'crash')
    throw new ParameterError('failure_mode', mode, "must be 'blackhole' or 'crash'");
  const t = mode === 'crash' ? 0 : Math.min(timeout, inter);
  const base = fall * t + (fall - 1) * fastinter;
  return { min: base, mean: base + inter / 2, max: base + inter };
}

/**
 * L4 pinning: K persistent connections spread round robin over N backends give backend i
 * ceil/floor(K/N) connections, so with equal per-connection rates the busiest backend gets
 * ceil(K/N)/K of the requests: an imbalance (max share x N) of N ceil(K/N)/K, and N - K idle
 * backends when K < N. L7 per-request balancing gives 1/N each (imbalance 1).
 */
export function l4PinnedImbalance(connections: number, backends: number): number {
  requireInteger('connections', connections, 1, 1e9);
  requireInteger('backends', backends, 1, 1e9);
  return (backends * Math.ceil(connections / backends)) / connections;
}

/** Hashing schemes compared when a host leaves (hashing.ts, maglev.ts). */
export type HashScheme = 'modulo' | 'consistent' | 'ring_hash' | 'maglev';

/**
 * Keys remapped when one of N equal hosts leaves. Map-based (modulo) hashing (N − 1)/N; a ring
 * with fixed points per host (HAProxy `hash-type consistent`, ketama) exactly the departed
 * host's share, 1/N; Maglev at least 1/N (its table is rebuilt, a few more entries move; no closed
 * form, 1/N is the bound). Envoy's ring_hash rebuilt over the N − 1 hosts left gives each of them
 * q = ceil(R/(N − 1)) points instead of p = ceil(R/N) (R = minimum_ring_size): besides the
 * departed host's 1/N, a key of a remaining host moves when one of the m = (N − 1)(q − p) new
 * points falls between it and its point, of another host: for uniform points, with K = N p the old
 * ring's size, the expectation 1/N + (1 − 1/N) · m/(K + m) · (N − 2)/(N − 1) (10 hosts, 1024: 0.170).
 */
export function expectedKeysMoved(scheme: HashScheme, hosts: number, ringSize = 1024): number {
  requireInteger('hosts', hosts, 2, 1e9);
  const n = hosts;
  if (scheme === 'modulo') return (n - 1) / n;
  if (scheme === 'consistent' || scheme === 'maglev') return 1 / n;
  if (scheme !== 'ring_hash')
    throw new ParameterError(
      'scheme',
      scheme,
      "must be 'modulo', 'consistent', 'ring_hash' or 'maglev'",
    );
  requireInteger('ringSize', ringSize, 1, 8388608);
  const p = Math.ceil(ringSize / n);
  const q = Math.ceil(ringSize / (n - 1));
  const m = (n - 1) * (q - p);
  const k = n * p;
  return 1 / n + (1 - 1 / n) * (m / (k + m)) * ((n - 2) / (n - 1));
}
