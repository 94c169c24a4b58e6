/**
 * The small simulation models the labs share, built from the kernel's blocks: an open station
 * (a Poisson source into c servers), c separate queues behind a random split, and a closed
 * interactive network (N users with think time cycling through stations in series).
 * Statistics are collected after a warm-up period, in a run of fixed length (the systems' one
 * runner, lib/systems/common/runner.ts).
 */
import type { Distribution } from '../random/distribution';
import { Deterministic } from '../random/deterministic';
import { Exponential } from '../random/exponential';
import { Population } from '../sim/population';
import { QuantileSketch } from '../sim/quantile-sketch';
import { Router } from '../sim/router';
import { Sink } from '../sim/sink';
import { Source } from '../sim/source';
import { Station } from '../sim/station';
import type { StationSummary } from '../sim/station';
import { measure } from '../systems/common/runner';
import type { RunWindow } from '../systems/common/runner';

/**
 * Run length for about `count` completions at `rate` per second, with a warm-up of a tenth of it
 * discarded first.
 */
export function runLength(count: number, rate: number): { warmup: number; horizon: number } {
  const horizon = count / rate;
  return { warmup: horizon / 10, horizon };
}

/** Exponential think time of mean Z; Z = 0 means no thinking at all (a load generator). */
export function thinkTimeOf(Z: number): Distribution {
  return Z > 0 ? Exponential.withMean(Z) : new Deterministic(0);
}

export interface OpenQueueModel {
  /** Poisson arrival rate lambda (requests per second). */
  arrivalRate: number;
  service: Distribution;
  servers?: number;
  /** Finite capacity K (waiting plus in service); arrivals beyond it are dropped. */
  capacity?: number;
  /** Simulated seconds discarded before statistics start. */
  warmup: number;
  /** Simulated seconds measured after the warm-up. */
  horizon: number;
  seed: number;
}

/** A station's summary, plus any response-time quantile from its sketch (1 % relative error). */
export type OpenQueueResult = StationSummary & { quantile(p: number): number };

/** The run window of a model: its warm-up and measured horizon, seeded. */
function windowOf(m: { seed: number; warmup: number; horizon: number }): RunWindow {
  return { seed: m.seed, warmup: m.warmup, duration: m.horizon };
}

/** One replication of an open M/G/c(/K) station. */
export function simulateOpenQueue(m: OpenQueueModel): OpenQueueResult {
  const { system: station } = measure((sim) => {
    const server = new Station(sim, {
      name: 'server',
      service: m.service,
      servers: m.servers ?? 1,
      capacity: m.capacity,
      to: new Sink(sim, { name: 'done' }),
    });
    new Source(sim, { name: 'clients', interarrival: new Exponential(m.arrivalRate), to: server });
    return server;
  }, windowOf(m));
  const sketch = station.responseQuantiles!;
  return { ...station.summary(), quantile: (p: number) => sketch.quantile(p) };
}

export interface SplitQueuesResult {
  /** Mean response time over all requests. */
  W: number;
  /** Response-time percentiles over all requests, from the merged per-queue sketches. */
  p95: number;
  p99: number;
  /** Mean utilisation of the servers. */
  U: number;
  X: number;
  /** Any of the queues grew without bound over the run (the station's own growth test). */
  overloaded: boolean;
}

/** One replication of c separate single-server queues, each request sent to one at random. */
export function simulateRandomSplit(
  m: Omit<OpenQueueModel, 'capacity'> & { servers: number },
): SplitQueuesResult {
  const { system: queues } = measure((sim) => {
    const done = new Sink(sim, { name: 'done' });
    const servers = Array.from(
      { length: m.servers },
      (_, i) => new Station(sim, { name: `server${i}`, service: m.service, to: done }),
    );
    const split = new Router(sim, { name: 'split', targets: servers });
    new Source(sim, { name: 'clients', interarrival: new Exponential(m.arrivalRate), to: split });
    return servers;
  }, windowOf(m));
  const summaries = queues.map((q) => q.summary());
  const departures = summaries.reduce((a, s) => a + s.departures, 0);
  const merged = new QuantileSketch();
  for (const q of queues) merged.merge(q.responseQuantiles!);
  return {
    W: summaries.reduce((a, s) => a + s.meanResponse * s.departures, 0) / departures,
    p95: merged.quantile(0.95),
    p99: merged.quantile(0.99),
    U: summaries.reduce((a, s) => a + s.utilisation, 0) / summaries.length,
    X: summaries.reduce((a, s) => a + s.throughput, 0),
    overloaded: summaries.some((s) => s.overloaded),
  };
}

export interface ClosedStationModel {
  name: string;
  service: Distribution;
  servers?: number;
}

export interface ClosedNetworkModel {
  users: number;
  think: Distribution;
  /** Stations visited in series by every request. */
  stations: readonly ClosedStationModel[];
  warmup: number;
  horizon: number;
  seed: number;
}

export interface ClosedNetworkResult {
  /** Completed requests per second. */
  X: number;
  /** Mean response time (excluding think time). */
  R: number;
  p95: number;
  /** Mean think time observed. */
  Z: number;
  /** Per-station utilisation (per server). */
  U: number[];
  /** Per-station mean number of requests present. */
  Q: number[];
}

/** One replication of a closed interactive network: N users, think time, stations in series. */
export function simulateClosedNetwork(m: ClosedNetworkModel): ClosedNetworkResult {
  const { system } = measure((sim) => {
    const population = new Population(sim, { name: 'users', size: m.users, think: m.think });
    const chain = m.stations.map(
      (s) => new Station(sim, { name: s.name, service: s.service, servers: s.servers ?? 1 }),
    );
    chain.forEach((s, i) => {
      s.to = i + 1 < chain.length ? chain[i + 1] : population;
    });
    population.to = chain[0];
    return { users: population, stations: chain };
  }, windowOf(m));
  const { users, stations } = system;
  const u = users.summary();
  const summaries = stations.map((s) => s.summary());
  return {
    X: u.throughput,
    R: u.meanResponse,
    p95: u.p95,
    Z: users.thinkTime.meanOrNaN,
    U: summaries.map((s) => s.utilisation),
    Q: summaries.map((s) => s.meanInSystem),
  };
}
