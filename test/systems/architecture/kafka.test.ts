/**
 * Asynchronous work through Kafka in an architecture: the description (schema errors name the
 * path), the analytic group (./async.ts) against the composed Kafka component in the simulation.
 *
 * Exact in expectation for a stable group: every record produced is processed, so a member's
 * utilisation is its record rate times the mean processing time (the mean over members that own
 * partitions is λ_rec·S/min(m, P)); checked inside Bonferroni-widened intervals of 4 replications.
 * Approximate: the produce latency (lab 09's linger wait plus acks round trips) is a lower bound by
 * up to 2d (a follower in mid-fetch), so the simulated mean must lie in [theory, theory + 2d]
 * widened by its interval. An unstable group's lag grows at λ_rec − m'/S (every member busy).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ParameterError } from '../../../lib/errors';
import { confidenceInterval } from '../../../lib/sim/confidence';
import { evaluate } from '../../../lib/systems/architecture/analytic';
import { simulateArchitecture } from '../../../lib/systems/architecture/simulate';
import { resolveArchitecture } from '../../../lib/systems/architecture/validate';
import { architecturesDir } from '../../../lib/labs/lab12/steps';
import { disagreements } from '../../labs/agreement';

const openApi = (): Record<string, any> =>
  JSON.parse(fs.readFileSync(path.join(architecturesDir, 'open-load-api.json'), 'utf8'));

function errorOf(input: unknown): ParameterError {
  try {
    resolveArchitecture(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ParameterError);
    return e as ParameterError;
  }
  throw new Error('no error');
}

describe('kafka in the architecture description', () => {
  test('defaults filled in; bad fields named by their path', () => {
    const a = openApi();
    delete a.kafka.group.members;
    expect(resolveArchitecture(a).kafka!.group.members).toBe(3);
    const b = openApi();
    b.kafka['replication.factor'] = 4;
    expect(errorOf(b).parameter).toBe('kafka.replication.factor');
    const c = openApi();
    c.kafka.group.procesingTime = 0.1;
    expect(errorOf(c).message).toMatch(
      /^kafka\.group\.procesingTime = 0\.1 is out of range: is not a known key; did you mean "processingTime"\?/,
    );
    const d = openApi();
    d.kafka.acks = 'none';
    expect(errorOf(d).parameter).toBe('kafka.acks');
    const e = openApi();
    e.kafka['min.insync.replicas'] = 3;
    e.kafka['replication.factor'] = 2;
    expect(errorOf(e).parameter).toBe('kafka.min.insync.replicas');
  });
});

describe('kafka: analytic group and produce latency against the composed Kafka component', () => {
  test('open-load-api: consumer utilisation inside the intervals, produce latency within [theory, theory + 2d], lag stable', () => {
    const a = resolveArchitecture(openApi());
    delete a.web.autoscaling;
    a.web.servers = 30;
    a.arrivalRate = 300;
    a.kafka!.group.processingTime = 0.1; // the busiest member near 0.5
    const e = evaluate(a);
    const k = e.kafka!;
    const runs = Array.from({ length: 4 }, (_, i) =>
      simulateArchitecture(a, { seed: 40 + i, duration: 25, warmup: 8 }),
    );
    const util = confidenceInterval(runs.map((r) => r.kafka!.meanUtilisation));
    const produced = confidenceInterval(runs.map((r) => r.kafka!.produced));
    expect(
      disagreements([
        {
          label: 'records/s',
          mean: produced.mean,
          lo: produced.lower,
          hi: produced.upper,
          theory: k.recordRate,
          replications: 4,
        },
        {
          label: 'mean member utilisation',
          mean: util.mean,
          lo: util.lower,
          hi: util.upper,
          theory: k.meanUtilisation,
          replications: 4,
        },
      ]),
    ).toEqual([]);
    const produce = confidenceInterval(runs.map((r) => r.kafka!.produceLatency.mean));
    const d = a.kafka!.networkDelayMs / 1000;
    expect(produce.upper).toBeGreaterThanOrEqual(k.produceLatency);
    expect(produce.lower).toBeLessThanOrEqual(k.produceLatency + 2 * d);
    expect(k.stable).toBe(true);
    for (const r of runs) expect(Math.abs(r.kafka!.lagGrowth)).toBeLessThan(1);
    expect(runs.every((r) => r.failed === 0)).toBe(true);
  });

  test('an overloaded group: the lag grows at λ_rec − m/S (every member busy)', () => {
    const a = resolveArchitecture(openApi());
    delete a.web.autoscaling;
    a.web.servers = 30;
    a.arrivalRate = 300;
    a.kafka!.group.processingTime = 0.4; // 12 records/s against 3 / 0.4 = 7.5/s
    const e = evaluate(a);
    expect(e.kafka!.stable).toBe(false);
    const runs = Array.from({ length: 4 }, (_, i) =>
      simulateArchitecture(a, { seed: 60 + i, duration: 40, warmup: 8 }),
    );
    const g = confidenceInterval(runs.map((r) => r.kafka!.lagGrowth));
    // the lag of one datacenter grows at Σ max(0, partitions · λ/P − 1/S) (./async.ts)
    expect(
      disagreements([
        {
          label: 'lag growth',
          mean: g.mean,
          lo: g.lower,
          hi: g.upper,
          theory: e.kafka!.lagGrowth,
          replications: 4,
        },
      ]),
    ).toEqual([]);
    // the responses wait for the producer's acks, not for the group: nothing fails
    expect(runs.every((r) => r.failed === 0)).toBe(true);
  });
});
