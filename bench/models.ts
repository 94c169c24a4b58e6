/**
 * The benchmark models, built only from the kernel's public building blocks (no special-cased
 * loops): (a) M/M/1 at utilisation 0.9 and (b, c) closed interactive systems. Events are counted
 * as the C references count them: every event taken off the future-event list (M/M/1: one
 * arrival and one departure per customer; closed: one end-of-think and one service completion
 * per request).
 */
import { Exponential } from '../lib/random';
import { Population, Simulation, Sink, Source, Station } from '../lib/sim';

export interface ModelRun {
  events: number;
  seconds: number;
  /** Mean response time, to compare with the reference's printout and with theory. */
  meanResponse: number;
  throughput: number;
}

/**
 * M/M/1 with arrival rate `lambda`, service rate `mu`; `customers` arrivals, run until all have
 * left. `statistics: 'mean'` measures what the C reference measures, the mean response time, as
 * a user who wants only that writes it: Source -> Station (no quantile sketch), the station
 * freeing each job after service; the station still keeps its Welford tallies of response and
 * waiting times and the time-weighted L and busy servers. `'all'` keeps every default on:
 * Source -> Station (with its 1 % quantile sketch) -> Sink (with its own tally and sketch).
 */
export function runMM1(
  lambda: number,
  mu: number,
  customers: number,
  seed: number,
  statistics: 'mean' | 'all' = 'mean',
): ModelRun {
  const sim = new Simulation({ seed });
  const all = statistics === 'all';
  const sink = all ? new Sink(sim, { name: 'exit' }) : undefined;
  const station = new Station(sim, {
    name: 'server',
    servers: 1,
    service: new Exponential(mu),
    quantiles: all,
    to: sink,
  });
  new Source(sim, {
    name: 'arrivals',
    interarrival: new Exponential(lambda),
    limit: customers,
    to: station,
  });
  const t0 = process.hrtime.bigint();
  const r = sim.run({ untilStopped: true });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const meanResponse = sink ? sink.responseTime.mean : station.responseTime.mean;
  return { events: r.events, seconds, meanResponse, throughput: station.departures / sim.now };
}

/**
 * Closed system: `n` users with exponential think time of mean `z`, one FCFS station of `c`
 * exponential servers of rate `mu`; runs until `completions` requests have completed.
 */
export function runClosed(
  n: number,
  z: number,
  c: number,
  mu: number,
  completions: number,
  seed: number,
): ModelRun {
  const sim = new Simulation({ seed });
  const station = new Station(sim, { name: 'cpu', servers: c, service: new Exponential(mu) });
  const users = new Population(sim, {
    name: 'users',
    size: n,
    think: Exponential.withMean(z),
    to: station,
    stopAfter: completions,
  });
  station.to = users;
  const t0 = process.hrtime.bigint();
  const r = sim.run({ untilStopped: true });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    events: r.events,
    seconds,
    meanResponse: users.responseTime.mean,
    throughput: users.completions / sim.now,
  };
}
