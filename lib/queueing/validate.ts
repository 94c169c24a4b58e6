/**
 * Input checks shared by the queueing models. Each throws a typed error from `lib/errors.ts`
 * naming the parameter, the value it got and the range it accepts.
 */
import {
  ParameterError,
  UnstableSystemError,
  requireInteger,
  requireNonNegative,
  requirePositive,
} from '../errors';

/**
 * The stated magnitude domain of rates, times and demands (issue 23): at most 1e100, and a rate at
 * least the smallest normal double (2.2e-308, so its reciprocal is finite). Within it the products
 * the closed forms take stay finite, so no result overflows to Infinity. Real capacity questions
 * sit many decades inside it.
 */
export const MAX_MAGNITUDE = 1e100;
export const MIN_RATE = 2.2250738585072014e-308;

/** A rate (arrivals or services per unit time): a finite number in [2.2e-308, 1e100]. */
export function requireRate(parameter: string, value: unknown): number {
  requirePositive(parameter, value);
  const v = value as number;
  if (v < MIN_RATE || v > MAX_MAGNITUDE)
    throw new ParameterError(
      parameter,
      v,
      `must be in [2.2e-308, ${MAX_MAGNITUDE}] (the models' stated domain: beyond it results overflow)`,
    );
  return v;
}

/** A time, demand or variability: a number in [0, 1e100]. */
export function requireQuantity(parameter: string, value: unknown): number {
  requireNonNegative(parameter, value);
  if ((value as number) > MAX_MAGNITUDE)
    throw new ParameterError(
      parameter,
      value,
      `must be in [0, ${MAX_MAGNITUDE}] (the models' stated domain: beyond it results overflow)`,
    );
  return value as number;
}

/**
 * The stated domain of the models whose cost grows with a count (issue 23: every closed form
 * answers in bounded time): the Erlang recurrences, M/M/c, M/M/c/K and M/M/c//N take O(c) or O(N)
 * steps, so c and N are at most 1e7 (about 0.1 s); beyond, Erlang B has its Poisson-tail form
 * (erlang-b.ts) and the others are refused with a ParameterError naming the domain.
 */
export const MAX_COUNT = 10_000_000;

/** A number of servers: an integer in [1, 1e7] ({@link MAX_COUNT}). */
export function requireServerCount(parameter: string, value: unknown): number {
  return requireInteger(parameter, value, 1, MAX_COUNT);
}

/** A system capacity K (customers in queue plus service): an integer >= c. */
export function requireCapacity(parameter: string, value: unknown, servers: number): number {
  return requireInteger(parameter, value, servers, Number.MAX_SAFE_INTEGER);
}

/**
 * Throws {@link UnstableSystemError} unless the per-server utilisation rho = lambda / (c mu) is < 1.
 * `detail` names the parameters, e.g. "lambda = 2, mu = 1, c = 1: lambda must be < c*mu = 1".
 */
export function requireStable(lambda: number, mu: number, servers: number): number {
  const rho = lambda / (servers * mu);
  if (!(rho < 1)) {
    throw new UnstableSystemError(
      rho,
      `lambda = ${lambda}, mu = ${mu}, c = ${servers}: lambda must be < c*mu = ${servers * mu}`,
    );
  }
  return rho;
}

/** A probability strictly between 0 and 1 (a percentile level, a target tail probability). */
export function requireOpenProbability(parameter: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= 1) {
    throw new ParameterError(parameter, value, 'must be a number in (0, 1)');
  }
  return value;
}

/** A non-empty array of finite numbers > 0. */
export function requirePositiveArray(parameter: string, value: unknown): number[] {
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw new ParameterError(parameter, value, 'must be a non-empty array of finite numbers > 0');
  }
  const list = Array.from(value as ArrayLike<unknown>);
  if (list.length === 0)
    throw new ParameterError(parameter, value, 'must be a non-empty array of finite numbers > 0');
  list.forEach((v, i) => requirePositive(`${parameter}[${i}]`, v));
  return list as number[];
}

/** The offered load A = lambda / mu, which must stay finite when the two rates are far apart. */
export function requireOfferedLoad(lambda: number, mu: number): number {
  const A = lambda / mu;
  if (!Number.isFinite(A))
    throw new ParameterError('lambda', lambda, `must keep lambda / mu finite (mu = ${mu})`);
  return A;
}
