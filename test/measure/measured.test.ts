/**
 * lib/measure and the measured experiments: the slab model against memcached 1.6's class sizes
 * (slabs.c: 96 B growing by 1.25, 8-byte aligned; 1000 B values with a 9-byte key go to the
 * 1184 B class, 885 items per 1 MB page), the key stream identical to the simulator's replay,
 * free ports, cleanup of started process groups, the missing-component error naming the package,
 * and, when memcached is installed, one short real run whose hit ratio lies within the band of
 * the simulated LRU on the identical stream (no timing assertion).
 */
import * as fs from 'fs';
import { spawnSync } from 'child_process';
import { RandomStreams } from '../../lib/random/streams';
import { KeySampler } from '../../lib/systems/cache/popularity';
import { createStore } from '../../lib/systems/cache/create';
import { replay } from '../../lib/systems/cache/replay';
import { keyStream, measureMemcached } from '../../lib/measure/memcached';
import { ComponentMissingError } from '../../lib/measure/components';
import { ParameterError } from '../../lib/errors';
import { cleanupAll, freePort, startProcess, tempFolder } from '../../lib/measure/processes';
import { ephemeralRange } from '../../lib/measure/ports';
import { hungCheckDuration } from '../../lib/measure/haproxy';
import { memcachedChunk, slabCapacityEstimate } from '../../lib/labs/measured/memcached-measured';
import { simulatedBalance } from '../../lib/labs/measured/haproxy-measured';
import { batchStatistics } from '../../lib/labs/measured/batches';
import {
  applyWait,
  calibrate,
  lagModel,
  postgresMeasured,
  replayCost,
} from '../../lib/labs/measured/postgres-measured';
import { levelTheory } from '../../lib/labs/measured/postgres-model';

describe('slab model', () => {
  test('1000-byte values with a 9-byte key take the 1184-byte class: 885 items a page', () => {
    expect(memcachedChunk(1000, 9)).toBe(1184);
    expect(slabCapacityEstimate(4, 1184)).toBe(3540);
  });
  test('the smallest class is 96 bytes', () => {
    expect(memcachedChunk(1, 5)).toBe(96);
  });
});

describe('key stream', () => {
  test('identical to the one replay() draws, so measured and simulated see the same requests', () => {
    const keys = keyStream({ objects: 500, alpha: 0.8, requests: 3000, seed: 7 });
    // replay through an LRU of capacity 1 would hit exactly on repeats of the previous key
    const store = createStore('lru', { capacity: 1, keys: 500 });
    const r = replay(
      store,
      new KeySampler({ model: 'zipf', objects: 500, alpha: 0.8 }, 0),
      new RandomStreams(7).get('cache.requests'),
      { requests: 3000 },
    );
    let repeats = 0;
    for (let i = 1; i < keys.length; i++) if (keys[i] === keys[i - 1]) repeats++;
    expect(r.hits).toBe(repeats);
  });
});

describe('processes', () => {
  test('a free port on 127.0.0.1 and a started process group killed by the cleanup', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(1023);
    // below the ephemeral range: no outgoing connect() can take it while its server is down
    expect(port).toBeLessThan(ephemeralRange()[0]);
    expect(await freePort()).not.toBe(port);
    const dir = tempFolder('test');
    const child = startProcess('sleep', ['30']);
    const exited = new Promise<string | null>((resolve) =>
      child.once('exit', (_c, s) => resolve(s)),
    );
    cleanupAll();
    expect(await exited).toBe('SIGKILL');
    expect(fs.existsSync(dir)).toBe(false);
  });
});

describe('HAProxy check duration of a frozen backend', () => {
  test('2.6: max(min(inter, timeout connect), timeout check), as measured (inter 1 s: 0.2/2 s -> 1 s, 0.6/0.3 s -> 0.6 s)', () => {
    expect(hungCheckDuration({ inter: 1, timeout: 0.2, timeoutConnect: 2 })).toBe(1);
    expect(hungCheckDuration({ inter: 1, timeout: 0.6, timeoutConnect: 2 })).toBe(1);
    expect(hungCheckDuration({ inter: 1, timeout: 0.6, timeoutConnect: 0.3 })).toBe(0.6);
    expect(hungCheckDuration({ inter: 0.5, timeout: 0.2 })).toBe(0.2);
  });
  test('with the requeue fix (7c788f0), and the lower end before it: timeout check; without timeout check: inter', () => {
    expect(
      hungCheckDuration({ inter: 1, timeout: 0.2, timeoutConnect: 2 }, { requeueFixed: true }),
    ).toBe(0.2);
    expect(hungCheckDuration({ inter: 1, timeout: 0.2, timeoutConnect: 2 }, { lower: true })).toBe(
      0.2,
    );
    expect(hungCheckDuration({ inter: 1, timeout: 0 })).toBe(1);
  });
});

describe('PostgreSQL calibration', () => {
  test('commit = local, link = (remote_write − local)/2, flush = local − off (else on − remote_write), apply = remote_apply − on', () => {
    const c = calibrate({
      off: 0.002,
      local: 0.008,
      remote_write: 0.009,
      on: 0.016,
      remote_apply: 0.018,
    });
    expect(c.commit).toBeCloseTo(0.008, 12);
    expect(c.link).toBeCloseTo(0.0005, 12);
    expect(c.flush).toBeCloseTo(0.006, 12);
    expect(calibrate({ local: 0.008, remote_write: 0.009, on: 0.016 }).flush).toBeCloseTo(
      0.007,
      12,
    );
    expect(c.apply).toBeCloseTo(0.002, 12);
  });
  test('with the round trip R measured, apply is the mechanism a + R (replay, walreceiver woken, one more reply), not remote_apply − on', () => {
    const c = calibrate({ off: 0.002, local: 0.008, on: 0.016, remote_apply: 0.011 }, 0.0004);
    expect(c.apply).toBeCloseTo(replayCost + 0.0004, 12);
    expect(applyWait(0.0004)).toBeCloseTo(0.00045, 12);
    expect(c.roundTrip).toBe(0.0004);
  });
  test('with R_1 and R_h, apply is two cold wake-ups, each R_1 − R_h/2, plus the replay: a + 2R_1 − R_h', () => {
    expect(applyWait(0.0004, 0.00004)).toBeCloseTo(replayCost + 0.0008 - 0.00004, 12);
    // a first SELECT no slower than half a hot one (never measured): no negative wake-up
    expect(applyWait(0.00001, 0.00004)).toBe(replayCost);
    const c = calibrate({ local: 0.008, on: 0.016, remote_apply: 0.011 }, 0.0004, undefined, 4e-5);
    expect(c.apply).toBeCloseTo(applyWait(0.0004, 4e-5), 12);
    // R_h not measured (NaN): the one-argument form
    expect(calibrate({ local: 0.008 }, 0.0004, undefined, NaN).apply).toBeCloseTo(0.00045, 12);
  });
  test('the lag model: max(R_1, flush_lag + R_h + the M/M/1 sojourn of the replay (a = 50 µs)), exactly', () => {
    // λ = 400/s, a = 50 µs: ρ = 0.02, M/M/1 sojourn a/(1 − ρ)
    const o = { flushLag: 0.003, hotRoundTrip: 0.0005, firstRoundTrip: 0.0003 };
    expect(lagModel(400, o)).toBeCloseTo(0.003 + 0.0005 + 50e-6 / (1 - 0.02), 12);
    expect(
      lagModel(25, { flushLag: 0.002, hotRoundTrip: 0.0002, firstRoundTrip: 0.0003 }),
    ).toBeCloseTo(0.0022 + 50e-6 / (1 - 25 * 50e-6), 12);
    // the probe cannot see less than its first SELECT's round trip
    expect(lagModel(25, { flushLag: 0.0002, hotRoundTrip: 0.00004, firstRoundTrip: 0.0004 })).toBe(
      0.0004,
    );
  });
  test("on − remote_write in the model is the measured replica fsync F_r (else the primary's F)", () => {
    const means = { off: 0.002, local: 0.008, remote_write: 0.009, on: 0.016, remote_apply: 0.018 };
    const c = calibrate(means, 0.0004, 0.0006);
    expect(c.replicaFlush).toBe(0.0006);
    expect(c.flush).toBeCloseTo(0.006, 12); // off is still C − F, the primary's fsync
    expect(levelTheory('on', c) - levelTheory('remote_write', c)).toBeCloseTo(0.0006, 12);
    expect(levelTheory('off', c)).toBeCloseTo(0.002, 12);
    expect(levelTheory('remote_apply', c) - levelTheory('on', c)).toBeCloseTo(c.apply, 12);
    // no pairs measured: the fourth session's assumption, the same fsync as the primary's
    expect(calibrate(means, 0.0004).replicaFlush).toBeCloseTo(0.006, 12);
    expect(calibrate(means, 0.0004, NaN).replicaFlush).toBeCloseTo(0.006, 12);
  });
  test('a level measured faster than the one before (noise) gives a zero time, never a negative one', () => {
    const c = calibrate({ local: 0.008, remote_write: 0.007, on: 0.016, remote_apply: 0.015 });
    expect(c.link).toBe(0);
    expect(c.apply).toBeGreaterThan(0);
    expect(c.apply).toBeLessThan(1e-4);
  });
  test("simulation alone runs the calibrated model (this VM's times) and keeps its ordering off <= local <= remote_write <= on <= remote_apply", async () => {
    const t = await postgresMeasured.run(
      { sources: ['simulation'], rates: [50], levelRate: 50 },
      { seed: 1, threads: 1 },
    );
    const rows = t.objects() as Array<Record<string, unknown>>;
    const th = rows
      .filter((r) => r.part === 'commit')
      .sort((a, b) => (a.levelOrder as number) - (b.levelOrder as number))
      .map((r) => r.commitLatency_theory as number);
    expect(th).toHaveLength(5);
    for (let i = 1; i < th.length; i++) expect(th[i]).toBeGreaterThanOrEqual(th[i - 1]);
    expect(rows.every((r) => r.source === 'simulation')).toBe(true);
  }, 30000);
});

describe('errors and mapping', () => {
  test('a missing component is a ParameterError naming the package', () => {
    const e = new ComponentMissingError('HAProxy', 'haproxy', ['/usr/sbin/haproxy']);
    expect(e).toBeInstanceOf(ParameterError);
    expect(e.message).toMatch(/apt-get install -y haproxy/);
    expect(e.package).toBe('haproxy');
  });
  test("random(2) is the simulator's least_request with two choices", () => {
    expect(simulatedBalance('random(2)')).toEqual({ balance: 'least_request', choice_count: 2 });
    expect(simulatedBalance('leastconn')).toEqual({ balance: 'leastconn' });
  });
  test('batch statistics: the mean of all responses, an interval around it', () => {
    const responses = Array.from(
      { length: 600 },
      (_, i) => 0.01 + (i % 10) * 0.001 + (i % 7) * 0.0001 * (i / 600),
    );
    const scheduled = Array.from({ length: 600 }, (_, i) => i / 200);
    const s = batchStatistics(responses, scheduled, 3, 6);
    expect(s.W.mean).toBeCloseTo(responses.reduce((a, b) => a + b, 0) / 600, 12);
    expect(s.W.lo!).toBeLessThan(s.W.mean);
    expect(s.W.hi!).toBeGreaterThan(s.W.mean);
    expect(s.count).toBe(600);
  });
});

const hasMemcached =
  fs.existsSync('/usr/bin/memcached') && spawnSync('/usr/bin/memcached', ['-V']).status === 0;
(hasMemcached ? describe : describe.skip)('real memcached (installed)', () => {
  test('-m 2 with 1000-byte values holds the slab model capacity; hit ratio within [-0.02, +0.06] of LRU on the same stream', async () => {
    const args = {
      memoryMB: 2,
      itemSize: 1000,
      objects: 5000,
      alpha: 0.8,
      requests: 6000,
      warmup: 6000,
      seed: 3,
    };
    const r = await measureMemcached(args);
    // the slab model's capacity is an upper bound; a set can fail now and then and leave one chunk
    // empty at the end: memcached's allocation evicts from the LRU tail only items it can lock
    // (items.c lru_pull_tail: item_trylock, 5 tries), and its LRU maintainer thread holds such locks
    // while it moves items between the segmented LRUs. Seen once in a full jest run at load 8: 1769
    // items against 1770. CI's measured-check allows 2 %; here at most 0.5 % may be empty.
    const capacity = slabCapacityEstimate(2, memcachedChunk(1000, 'key:5000'.length));
    expect(r.items).toBeLessThanOrEqual(capacity);
    expect(r.items).toBeGreaterThanOrEqual(Math.floor(0.995 * capacity));
    const store = createStore('lru', { capacity: r.items, keys: 5000 });
    const sim = replay(
      store,
      new KeySampler({ model: 'zipf', objects: 5000, alpha: 0.8 }, 0),
      new RandomStreams(3).get('cache.requests'),
      { requests: 6000, warmup: 6000 },
    );
    expect(r.hitRatio - sim.hitRatio).toBeGreaterThanOrEqual(-0.02);
    expect(r.hitRatio - sim.hitRatio).toBeLessThanOrEqual(0.06);
  }, 60000);
});
