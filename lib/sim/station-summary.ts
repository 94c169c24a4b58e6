import type { StationStatistics } from './station-statistics';
import type { StationSummary } from './station-options';

/**
 * A station's results so far (see {@link StationSummary}): counts, the time-weighted L, Lq and
 * utilisation, the response and waiting time tallies and quantiles, Little's law's side
 * λ_accepted · W to compare with L, the overload verdict and the failure counters. With the
 * caller's `offeredLoad` (λ E[S] / c) >= 1 on an unbounded station the means are NaN and
 * `unstable` is true: a steady-state mean of an unstable queue only tracks the run length.
 */
export function stationSummary(
  st: StationStatistics & { readonly servers: number },
  options: { offeredLoad?: number } = {},
): StationSummary {
  const elapsed = st.numberInSystem.elapsed;
  const offered = options.offeredLoad ?? NaN;
  const unstable = offered >= 1 && st.capacity === Infinity;
  const ageSum = st.ageSum;
  const n = st.inSystem;
  const nan = unstable;
  const W = st.responseTime.meanOrNaN;
  const lambdaAccepted = elapsed > 0 ? (st.arrivals - st.drops - st.refused) / elapsed : NaN;
  const q = (p: number) => st.responseQuantile(p);
  const L = st.numberInSystem.mean;
  const B = st.busyServers.mean;
  return {
    name: st.name,
    servers: st.servers,
    elapsed,
    arrivals: st.arrivals,
    departures: st.departures,
    drops: st.drops,
    blockingProbability: st.arrivals > 0 ? st.drops / st.arrivals : NaN,
    inSystemAtEnd: st.inSystem,
    meanAgeAtEnd: n > 0 ? ageSum / n : NaN,
    throughput: elapsed > 0 ? st.departures / elapsed : NaN,
    utilisation: nan ? NaN : B / st.servers,
    meanInSystem: nan ? NaN : L,
    meanInQueue: nan ? NaN : L - B,
    meanResponse: nan ? NaN : W,
    meanWait: nan ? NaN : st.waitingTime.meanOrNaN,
    responseStdDev: nan ? NaN : st.responseTime.stdDev,
    p50: nan ? NaN : q(0.5),
    p95: nan ? NaN : q(0.95),
    p99: nan ? NaN : q(0.99),
    p999: nan ? NaN : q(0.999),
    littleL: nan ? NaN : lambdaAccepted * W,
    offeredLoad: offered,
    unstable,
    overloaded: unstable || st.overloaded,
    growthRate: elapsed > 0 ? (n - st.inSystemAtStart) / elapsed : NaN,
    lost: st.lost,
    failed: st.failed,
    refused: st.refused,
    up: st.up,
    availability: st.availability,
  };
}
