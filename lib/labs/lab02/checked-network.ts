/**
 * One replication of lab 02's closed interactive network with the MSER-5 check of its warm-up.
 */
import type { ClosedNetworkModel, ClosedNetworkResult } from '../scenarios';
import { measure } from '../../systems/common/runner';
import { Population } from '../../sim/population';
import { Station } from '../../sim/station';
import { mser5 } from '../../sim/warmup';

/** Requests per batch of the warm-up check's series (MSER-5 then works on batches of 5 × 10). */
const WARMUP_BATCH = 10;

/**
 * One replication of the closed interactive network, as scenarios' simulateClosedNetwork (the same
 * blocks, streams and numbers: the fixed warm-up of a tenth of the run is deleted), plus the MSER-5
 * check of that warm-up: the response times of every request from time 0 (taken as it leaves the
 * last station, now − born) are averaged in batches of {@link WARMUP_BATCH}, and MSER-5 picks its
 * truncation point on that series; `warmupTruncated` is that point in requests, per point in the
 * provenance beside the fixed warm-up. The deletion stays the fixed one, chosen before the run: the
 * coverage study (test/experiment/coverage.test.ts) measured MSER-5's data-dependent deletion
 * biasing an M/M/1 queue's mean and p99 low at high load.
 */
export function simulateCheckedNetwork(
  m: ClosedNetworkModel,
): ClosedNetworkResult & { warmupTruncated: number } {
  let sum = 0;
  let inBatch = 0;
  const batches: number[] = [];
  const { system } = measure(
    (sim) => {
      const population = new Population(sim, { name: 'users', size: m.users, think: m.think });
      const chain = m.stations.map(
        (s) => new Station(sim, { name: s.name, service: s.service, servers: s.servers ?? 1 }),
      );
      chain.forEach((s, i) => {
        s.to = i + 1 < chain.length ? chain[i + 1] : population;
      });
      population.to = chain[0];
      chain[chain.length - 1].onDeparture = (job: number) => {
        sum += sim.now - sim.jobs.born[job];
        if (++inBatch === WARMUP_BATCH) {
          batches.push(sum / WARMUP_BATCH);
          sum = 0;
          inBatch = 0;
        }
      };
      return { users: population, stations: chain };
    },
    { seed: m.seed, warmup: m.warmup, duration: m.horizon },
  );
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
    warmupTruncated: batches.length >= 20 ? mser5(batches).truncate * WARMUP_BATCH : 0,
  };
}
