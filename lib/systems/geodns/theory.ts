/**
 * Closed forms for the GeoDNS lab.
 *
 * DNS failover (subsystems.md §7.7, models-for-new-labs.md "Multiple datacenters and GeoDNS"):
 * after a site dies, Route 53 keeps answering with it until its health check turns unhealthy,
 * D = (failure_threshold − 1 + U)·request_interval later (mean (failure_threshold − ½)·interval);
 * every request for the site fails meanwhile. After detection, a resolver still holding the dead
 * address keeps sending its clients there until the answer expires. With caches aged uniformly on
 * [0, T) the residual is T/2 on average, so about λ·(D + T/2) requests fail. Exactly, for a
 * resolver with Poisson requests at λ_res renewing on the first request after expiry (a renewal
 * cycle of T + 1/λ_res on average), it holds an answer a share T/(T + 1/λ_res) of the time, so its
 * expected failed requests after detection are λ_site,res · (T/2) · λ_res·T/(1 + λ_res·T); this is
 * the T/2 formula when λ_res·T ≫ 1. Resolvers that stretch TTLs (Unbound's cache-min-ttl) use
 * T' = max(T, cache-min-ttl) instead.
 *
 * Latency: with a fixed RTT per (client region, datacenter), a request's RTT is a discrete
 * mixture: region r's share λ_r/λ times the policy's answer shares (weighted: w_i/Σw); its mean is
 * the weighted sum and its quantiles the mixture's, exact.
 *
 * N+1 (models-for-new-labs.md): k active sites each at utilisation ρ carry ρ·k/(k − 1) when one
 * fails; each must be sized so that ρ·k/(k − 1) < 1 (or below the target utilisation).
 */
import {
  ParameterError,
  requireInteger,
  requireNonNegative,
  requirePositive,
  requireProbability,
} from '../../errors';
import type { GeoDnsConfig, ResolvedGeoDnsConfig } from './config';
import { resolveGeoDnsConfig } from './resolve';
import { Authoritative } from './policies';

/** Mean Route 53 detection time (failure_threshold − ½) · request_interval, the crash uniform in a check interval. */
export function meanDetectionTime(request_interval: number, failure_threshold: number): number {
  requirePositive('request_interval', request_interval);
  requireInteger('failure_threshold', failure_threshold, 1, 10);
  return (failure_threshold - 0.5) * request_interval;
}

export interface TtlFailoverInput {
  /** Requests per second whose answers point at the site that dies. */
  rate: number;
  /** Mean detection time D, seconds. */
  detection: number;
  /** Record TTL T, seconds. */
  ttl: number;
  /** Requests per second per resolver (all its requests: it renews on any of them); Infinity for the T/2 limit. */
  resolverRate?: number;
  /** Share of resolvers that keep answers at least `cacheMinTtl` (default 0). */
  stretchShare?: number;
  cacheMinTtl?: number;
  /** Extra failures independent of D and T: requests in the site at the crash and in flight to it (default 0). */
  extra?: number;
}

/** Share of time a resolver with requests at λ_res holds an answer of lifetime T: λT/(1 + λT). */
export function cacheOccupancy(resolverRate: number, ttl: number): number {
  if (ttl === 0) return 0;
  if (resolverRate === Infinity) return 1;
  return (resolverRate * ttl) / (1 + resolverRate * ttl);
}

/** Expected failed requests after a site dies: λ·D + λ·Σ_class share·(T_k/2)·occupancy(T_k) + extra. */
export function expectedFailedRequests(input: TtlFailoverInput): number {
  const rate = requireNonNegative('rate', input.rate);
  const d = requireNonNegative('detection', input.detection);
  const ttl = requireNonNegative('ttl', input.ttl);
  const lr = input.resolverRate ?? Infinity;
  if (!(lr > 0)) throw new ParameterError('resolverRate', lr, 'must be > 0 (or Infinity)');
  const p = requireProbability('stretchShare', input.stretchShare ?? 0);
  const stretched = Math.max(ttl, requireNonNegative('cacheMinTtl', input.cacheMinTtl ?? 0));
  const residual =
    (1 - p) * (ttl / 2) * cacheOccupancy(lr, ttl) +
    p * (stretched / 2) * cacheOccupancy(lr, stretched);
  return rate * (d + residual) + (input.extra ?? 0);
}

/**
 * Expected time from the crash to the last failed request: D plus the longest residual among the
 * m resolvers holding the dead address, E[max of m uniforms on (0, T')] = T'·m/(m + 1), for the
 * longest cache time T' among them. An approximation (it ignores the gap between the last cache
 * expiry and the last request before it).
 */
export function expectedRecoveryTime(
  detection: number,
  longestTtl: number,
  resolvers: number,
): number {
  requireNonNegative('detection', detection);
  requireNonNegative('longestTtl', longestTtl);
  requireInteger('resolvers', resolvers, 1);
  return detection + (longestTtl * resolvers) / (resolvers + 1);
}

/** A discrete distribution: values and their probabilities (summing to 1). */
export interface Mixture {
  values: number[];
  weights: number[];
}

/** Mean of a discrete mixture. */
export function mixtureMean(m: Mixture): number {
  return m.values.reduce((s, v, i) => s + v * m.weights[i], 0);
}

/** The q-quantile of a discrete mixture: the smallest value whose cumulative weight reaches q. */
export function mixtureQuantile(m: Mixture, q: number): number {
  requireProbability('q', q);
  const order = m.values.map((_, i) => i).sort((a, b) => m.values[a] - m.values[b]);
  let acc = 0;
  for (const i of order) {
    acc += m.weights[i];
    if (acc >= q - 1e-12) return m.values[i];
  }
  return m.values[order[order.length - 1]];
}

/** Cumulative weight at or below the q-quantile and just below it: how far q sits from a jump. */
export function mixtureJumpMargin(m: Mixture, q: number): number {
  const order = m.values.map((_, i) => i).sort((a, b) => m.values[a] - m.values[b]);
  let acc = 0;
  let margin = Infinity;
  for (const i of order) {
    acc += m.weights[i];
    margin = Math.min(margin, Math.abs(acc - q));
  }
  return margin;
}

/** Utilisation of each surviving site when one of k equal active sites fails: ρ·k/(k − 1). */
export function survivorUtilisation(rho: number, k: number): number {
  requireNonNegative('rho', rho);
  requireInteger('k', k, 2);
  return (rho * k) / (k - 1);
}

/** Largest normal utilisation that keeps the survivors below `target` when one of k sites fails (N+1): target·(k − 1)/k. */
export function nPlusOneHeadroom(k: number, target: number = 1): number {
  requireInteger('k', k, 2);
  requirePositive('target', target);
  return (target * (k - 1)) / k;
}

/**
 * The RTT mixture of a deployment with every site healthy: region r's request share times the
 * policy's answer shares, at the RTTs of the config (accessRtt included). Diurnal swings are
 * ignored (each region at its mean rate).
 */
export function rttMixture(config: GeoDnsConfig | ResolvedGeoDnsConfig): Mixture {
  const cfg = resolveGeoDnsConfig(config);
  const auth = new Authoritative(cfg);
  const total = cfg.regions.reduce((s, r) => s + r.rate, 0);
  const values: number[] = [];
  const weights: number[] = [];
  cfg.regions.forEach((r, i) => {
    auth.shares(i).forEach((share, j) => {
      if (share > 0) {
        values.push(cfg.rtt[i][j]);
        weights.push((r.rate / total) * share);
      }
    });
  });
  return { values: values, weights: weights };
}
