/**
 * The users: sessions begin as a Poisson process of rate λ(t) (the kernel's time-varying Source,
 * by thinning), each a login followed by more requests, `requests_per_session` in all on average
 * (geometric, at least 1: the login), separated by exponential think times of mean
 * `think_time`; after the last response the user leaves. By Little's law the mean number of
 * active sessions is λ·E[D], E[D] = k·R + (k − 1)·Z for k requests of response time R.
 *
 * λ(t) = rate × diurnal(t) × flash(t) (or a trace's piecewise-linear rate): the diurnal curve
 * 1 + amplitude·cos(2π(t − peakAt)/period); the flash crowd multiplies by `multiplier` from `at`
 * for `duration`, reached linearly over `ramp` seconds and left the same way.
 */
import { ParameterError, requireInRange, requireNonNegative, requirePositive } from '../../errors';
import { rejectUnknownKeys } from '../common/config';

export interface DiurnalConfig {
  amplitude: number;
  /** Seconds (default 86400). */
  period?: number;
  /** Time of the daily peak, seconds (default period/2). */
  peakAt?: number;
}

export interface FlashCrowdConfig {
  at: number;
  duration: number;
  multiplier: number;
  /** Seconds to reach the multiplier, and to leave it (default 0: a step). */
  ramp?: number;
}

export interface LoadConfig {
  /** Sessions per second (the base rate). */
  rate: number;
  /** Mean requests per session, login included (default 10). */
  requests_per_session?: number;
  /** Mean think time between a response and the next request, seconds (default 5). */
  think_time?: number;
  diurnal?: DiurnalConfig;
  flash_crowd?: FlashCrowdConfig;
  /** A rate trace: [seconds, sessions/s] points, linear in between, constant beyond (replaces `rate`'s curve). */
  trace?: Array<[number, number]>;
}

export const LOAD_KEYS = [
  'rate',
  'requests_per_session',
  'think_time',
  'diurnal',
  'flash_crowd',
  'trace',
] as const;

export interface ResolvedLoad {
  rate: number;
  requests_per_session: number;
  think_time: number;
  diurnal: Required<DiurnalConfig> | null;
  flash_crowd: Required<FlashCrowdConfig> | null;
  trace: Array<[number, number]> | null;
  /** λ(t), sessions per second. */
  rateAt: (t: number) => number;
  /** An upper bound of λ(t). */
  maxRate: number;
}

export function resolveLoad(c: LoadConfig, path: string): ResolvedLoad {
  if (c == null)
    throw new ParameterError(
      path,
      c,
      'must be an object { rate, requests_per_session?, think_time?, diurnal?, flash_crowd?, trace? }',
    );
  rejectUnknownKeys(c, LOAD_KEYS, path);
  const rate = requirePositive(`${path}.rate`, c.rate);
  let diurnal: ResolvedLoad['diurnal'] = null;
  if (c.diurnal !== undefined) {
    rejectUnknownKeys(c.diurnal, ['amplitude', 'period', 'peakAt'], `${path}.diurnal`);
    const period = requirePositive(`${path}.diurnal.period`, c.diurnal.period ?? 86400);
    diurnal = {
      amplitude: requireInRange(`${path}.diurnal.amplitude`, c.diurnal.amplitude, 0, 1),
      period,
      peakAt: requireNonNegative(`${path}.diurnal.peakAt`, c.diurnal.peakAt ?? period / 2),
    };
  }
  let flash: ResolvedLoad['flash_crowd'] = null;
  if (c.flash_crowd !== undefined) {
    const f = c.flash_crowd;
    rejectUnknownKeys(f, ['at', 'duration', 'multiplier', 'ramp'], `${path}.flash_crowd`);
    flash = {
      at: requireNonNegative(`${path}.flash_crowd.at`, f.at),
      duration: requirePositive(`${path}.flash_crowd.duration`, f.duration),
      multiplier: requireInRange(`${path}.flash_crowd.multiplier`, f.multiplier, 0, 1000),
      ramp: requireNonNegative(`${path}.flash_crowd.ramp`, f.ramp ?? 0),
    };
  }
  let trace: ResolvedLoad['trace'] = null;
  if (c.trace !== undefined) {
    if (!Array.isArray(c.trace) || c.trace.length === 0)
      throw new ParameterError(
        `${path}.trace`,
        c.trace,
        'must be a non-empty array of [seconds, rate]',
      );
    trace = c.trace.map((p, i) => {
      if (!Array.isArray(p) || p.length !== 2)
        throw new ParameterError(`${path}.trace[${i}]`, p, 'must be [seconds, rate]');
      if (i > 0 && !(p[0] > c.trace![i - 1][0]))
        throw new ParameterError(`${path}.trace[${i}][0]`, p[0], 'times must increase');
      return [
        requireNonNegative(`${path}.trace[${i}][0]`, p[0]),
        requireNonNegative(`${path}.trace[${i}][1]`, p[1]),
      ];
    });
  }
  const base = trace !== null ? traceRate(trace) : () => rate;
  const rateAt = (t: number): number => {
    let r = base(t);
    if (diurnal !== null)
      r *= 1 + diurnal.amplitude * Math.cos((2 * Math.PI * (t - diurnal.peakAt)) / diurnal.period);
    if (flash !== null) r *= flashFactor(flash, t);
    return r;
  };
  const baseMax = trace !== null ? Math.max(...trace.map((p) => p[1])) : rate;
  const maxRate =
    baseMax * (1 + (diurnal?.amplitude ?? 0)) * Math.max(1, flash?.multiplier ?? 1) || rate;
  return {
    rate,
    requests_per_session: requireInRange(
      `${path}.requests_per_session`,
      c.requests_per_session ?? 10,
      1,
      1e6,
    ),
    think_time: requireNonNegative(`${path}.think_time`, c.think_time ?? 5),
    diurnal,
    flash_crowd: flash,
    trace,
    rateAt,
    maxRate,
  };
}

/** The flash crowd's factor at t: 1 outside, `multiplier` inside, linear over the ramps. */
export function flashFactor(f: Required<FlashCrowdConfig>, t: number): number {
  const end = f.at + f.duration;
  if (t < f.at || t >= end + f.ramp) return 1;
  const m = f.multiplier;
  if (f.ramp > 0 && t < f.at + f.ramp) return 1 + ((m - 1) * (t - f.at)) / f.ramp;
  if (t >= end) return m + ((1 - m) * (t - end)) / f.ramp;
  return m;
}

function traceRate(trace: Array<[number, number]>): (t: number) => number {
  return (t) => {
    if (t <= trace[0][0]) return trace[0][1];
    for (let i = 1; i < trace.length; i++) {
      if (t <= trace[i][0]) {
        const [t0, r0] = trace[i - 1];
        const [t1, r1] = trace[i];
        return r0 + ((r1 - r0) * (t - t0)) / (t1 - t0);
      }
    }
    return trace[trace.length - 1][1];
  };
}
