/**
 * Open Jackson network: stations of c exponential servers (rate mu), external Poisson arrivals
 * gamma_i, Markov routing P[i][j] (probability a job leaving i goes to j; 1 - sum_j P[i][j] leaves).
 *
 *   Traffic equations  lambda_j = gamma_j + sum_i lambda_i P[i][j],  i.e. (I - P^T) lambda = gamma
 *   Each station behaves as an independent M/M/c with arrival rate lambda_j (product form), so
 *   L_j, W_j come from `mmc`; network X = sum gamma, L = sum L_j, W = L / X (Little),
 *   visits V_j = lambda_j / X.
 *
 * Source: J. R. Jackson, "Networks of waiting lines", Operations Research 5(4), 1957; Bolch et al.,
 * Queueing Networks and Markov Chains (2006), chapter 7; Gross et al. (2008), chapter 4.
 */
import {
  ParameterError,
  UnstableSystemError,
  requireNonNegative,
  requireProbability,
} from '../errors';
import { solveLinearSystem } from './linear-solve';
import { mmc } from './mmc';
import { requireRate, requireServerCount } from './validate';

export interface JacksonStation {
  readonly name?: string;
  /** Service rate of one server. */
  readonly mu: number;
  /** Number of servers (default 1). */
  readonly servers?: number;
  /** External arrival rate into this station (default 0). */
  readonly arrivalRate?: number;
}

export interface JacksonParams {
  readonly stations: readonly JacksonStation[];
  /** Routing probabilities: routing[i][j] = P(next station j | leaving i); row sums <= 1. */
  readonly routing: readonly (readonly number[])[];
}

export interface JacksonStationResult {
  readonly name: string;
  readonly mu: number;
  readonly servers: number;
  /** Total arrival rate into the station (from outside and from routing). */
  readonly lambda: number;
  /** Mean visits per job entering the network. */
  readonly visits: number;
  readonly rho: number;
  readonly L: number;
  readonly Lq: number;
  /** Mean time per visit. */
  readonly W: number;
  readonly Wq: number;
}

export interface JacksonResult {
  readonly model: 'Jackson network';
  /** Network throughput = total external arrival rate. */
  readonly X: number;
  /** Mean jobs in the network. */
  readonly L: number;
  /** Mean time in the network per job (Little). */
  readonly W: number;
  /** Per-station arrival rates, in station order. */
  readonly lambda: readonly number[];
  /** Per-station utilisation, in station order. */
  readonly rho: readonly number[];
  readonly stations: readonly JacksonStationResult[];
}

/** Solves an open Jackson network. Throws UnstableSystemError if any station has rho >= 1. */
export function jackson(params: JacksonParams): JacksonResult {
  const stations = params.stations;
  if (!Array.isArray(stations) || stations.length === 0) {
    throw new ParameterError(
      'stations',
      stations,
      'must be a non-empty array of {mu, servers?, arrivalRate?}',
    );
  }
  const n = stations.length;
  const names = stations.map((s, i) => (s && s.name) || `station${i + 1}`);
  const mus = stations.map((s, i) => requireRate(`stations[${i}].mu`, s.mu));
  const servers = stations.map((s, i) =>
    requireServerCount(`stations[${i}].servers`, s.servers ?? 1),
  );
  const gamma = stations.map((s, i) =>
    requireNonNegative(`stations[${i}].arrivalRate`, s.arrivalRate ?? 0),
  );
  const X = gamma.reduce((a, b) => a + b, 0);
  if (!(X > 0))
    throw new ParameterError(
      'arrivalRate',
      gamma,
      'at least one station needs an external arrivalRate > 0',
    );
  const P = params.routing;
  if (
    !Array.isArray(P) ||
    P.length !== n ||
    P.some((row) => !Array.isArray(row) || row.length !== n)
  ) {
    throw new ParameterError(
      'routing',
      P,
      `must be a ${n} x ${n} matrix (one row and column per station)`,
    );
  }
  P.forEach((row, i) => {
    row.forEach((p: number, j: number) => requireProbability(`routing[${i}][${j}]`, p));
    const sum = row.reduce((a: number, b: number) => a + b, 0);
    if (sum > 1 + 1e-9)
      throw new ParameterError(`routing[${i}]`, row, 'row sum must be <= 1 (the rest leaves)');
  });
  // (I - P^T) lambda = gamma
  const system = Array.from({ length: n }, (_, j) =>
    Array.from({ length: n }, (_, i) => (i === j ? 1 : 0) - P[i][j]),
  );
  const lambda = solveLinearSystem(system, gamma);
  if (!lambda || Array.from(lambda).some((v) => !Number.isFinite(v) || v < -1e-9)) {
    throw new ParameterError(
      'routing',
      P,
      'must let every job eventually leave (no closed routing cycle)',
    );
  }
  const results: JacksonStationResult[] = [];
  for (let i = 0; i < n; i++) {
    const rate = Math.max(0, lambda[i]);
    const name = names[i];
    if (rate === 0) {
      results.push({
        name,
        mu: mus[i],
        servers: servers[i],
        lambda: 0,
        visits: 0,
        rho: 0,
        L: 0,
        Lq: 0,
        W: 1 / mus[i],
        Wq: 0,
      });
      continue;
    }
    const rho = rate / (servers[i] * mus[i]);
    if (!(rho < 1)) {
      throw new UnstableSystemError(
        rho,
        `station "${name}": arrival rate ${rate} from routing >= c*mu = ${servers[i] * mus[i]}`,
      );
    }
    const q = mmc({ lambda: rate, mu: mus[i], c: servers[i] });
    results.push({
      name,
      mu: mus[i],
      servers: servers[i],
      lambda: rate,
      visits: rate / X,
      rho: q.rho,
      L: q.L,
      Lq: q.Lq,
      W: q.W,
      Wq: q.Wq,
    });
  }
  const L = results.reduce((a, s) => a + s.L, 0);
  return {
    model: 'Jackson network',
    X,
    L,
    W: L / X,
    lambda: results.map((s) => s.lambda),
    rho: results.map((s) => s.rho),
    stations: results,
  };
}
