/**
 * Lab 06 experiments: each runs from the catalog, gives the tidy table its figures read, and
 * agrees with its closed form (subsystems.md §7.4: "sync commit latency = primary flush + RTT +
 * replica flush — adds one RTT per commit"; stale read ⇔ lag > age; M/M/1 apply queue; MVA).
 */
import { findExperiment } from '../../lib/labs/catalog';
import { checksFor, disagreements } from './agreement';
import {
  burstFluidLag,
  staleReadProbability,
  lab06Experiments,
} from '../../lib/labs/lab06-replication';

type Row = Record<string, number | string | null>;

async function rows(
  name: string,
  overrides: Record<string, unknown>,
  replications?: number,
): Promise<Row[]> {
  const e = findExperiment(name);
  const table = await e.run(overrides, { seed: 3, replications });
  const figures = e.figures(table, e.resolve(overrides));
  expect(figures.length).toBeGreaterThan(0);
  for (const f of figures) expect(f.data.length).toBeGreaterThan(0);
  return table.objects() as Row[];
}

const covers = (r: Row, m: string, theory = `${m}_theory`) =>
  (r[`${m}_lo`] as number) <= (r[theory] as number) &&
  (r[theory] as number) <= (r[`${m}_hi`] as number);

describe('lab 06 experiments', () => {
  it('are all in the catalog, replication-lag among them', () => {
    for (const e of lab06Experiments) expect(findExperiment(e.name)).toBe(e);
    expect(findExperiment('replication-lag').lab).toBe('06-replication-lag');
  });

  it('replication-lag: the backlog at the end of the burst is (λ_burst − μ)·duration, and it drains at μ − λ', async () => {
    const p = { writeRate: 100, burstRate: 300, burstStart: 10, burstDuration: 20, applyRate: 200 };
    expect(burstFluidLag(30, p).transactions).toBeCloseTo(2000, 9);
    expect(burstFluidLag(30, p).seconds).toBeCloseTo(20 * (1 - 200 / 300), 9);
    expect(burstFluidLag(40, p).transactions).toBeCloseTo(1000, 9);
    expect(burstFluidLag(51, p).transactions).toBe(0);
    const out = await rows('replication-lag', { ...p, duration: 60, linkLatency: 0.001 });
    const end = out.find((r) => r.t === 30) as Row;
    expect(covers(end, 'lagTransactions', 'lagTransactions_fluid')).toBe(true);
    const drained = out.find((r) => r.t === 55) as Row;
    expect(drained.lagTransactions as number).toBeLessThan(20);
    // MySQL's Seconds_Behind_Source (sql/rpl_replica.cc) is whole seconds of the event being applied:
    // within a second of the true lag while the applier is busy through the burst
    expect(
      Math.abs((end.secondsBehindSource as number) - (end.lagSeconds as number)),
    ).toBeLessThanOrEqual(1);
  });

  it('replication-lag-vs-write-rate: mean and p50 lag agree with d + the M/M/1 sojourn below μ; no theory above', async () => {
    const out = await rows('replication-lag-vs-write-rate', {
      writeRates: [50, 120, 230],
      duration: 60,
      warmup: 5,
    });
    const [a, b, c] = out;
    // family-wise (Bonferroni) intervals; p50 and p99 come from a 1% sketch
    const label = (r: Record<string, unknown>) => `λ=${r.writeRate}`;
    const checks = [
      ...checksFor([a, b], 'lagMean', label),
      ...checksFor([a, b], 'lagP50', label, 0.01),
      ...checksFor([a, b], 'lagP99', label, 0.01),
    ];
    expect(checks.length).toBe(6);
    expect(disagreements(checks)).toEqual([]);
    expect(c.lagMean_theory).toBeNull();
    expect(c.lagMean as number).toBeGreaterThan(1000); // seconds of backlog: milliseconds x 1000
  });

  it('replication-write-latency: semisync and sync on add exactly 2d + F to every commit, remote_write 2d', async () => {
    const out = await rows('replication-write-latency', { duration: 20 }, 3);
    const by = Object.fromEntries(out.map((r) => [r.mode as string, r]));
    const d = 5; // ms, defaults
    const F = 1;
    // common random numbers across modes: the primary's commit times are the same draws; the sets
    // of writes acknowledged inside the window differ only near its ends (hence 2 decimals, ms)
    expect(
      (by.semisync.writeLatencyMean as number) - (by.async.writeLatencyMean as number),
    ).toBeCloseTo(2 * d + F, 2);
    expect(
      (by['sync-on'].writeLatencyMean as number) - (by.async.writeLatencyMean as number),
    ).toBeCloseTo(2 * d + F, 2);
    expect(
      (by['sync-remote_write'].writeLatencyMean as number) - (by.async.writeLatencyMean as number),
    ).toBeCloseTo(2 * d, 2);
    expect(covers(by['sync-remote_apply'], 'writeLatencyMean')).toBe(true);
  });

  it('replication-stale-reads: the stale-read rate matches Σ p_k (1 − e^(−λ p_k d) ν/(ν + λ p_k))', async () => {
    // one key, no link latency: stale iff the apply queue is not empty, P = ρ (M/M/1)
    expect(staleReadProbability(150, 200, 0, 1, 0)).toBeCloseTo(0.75, 12);
    const out = await rows('replication-stale-reads', { writeRates: [50, 150], duration: 20 });
    const checks = checksFor(out, 'staleReadRate', (r) => `λ=${r.writeRate}`);
    expect(checks.length).toBe(2);
    expect(disagreements(checks)).toEqual([]);
  });

  it('replication-read-your-writes: only plain replica reads violate; pinning moves reads to the primary; waiting costs latency', async () => {
    const out = await rows('replication-read-your-writes', { duration: 10 }, 3);
    const by = Object.fromEntries(out.map((r) => [r.routing as string, r]));
    expect(by.replicas.rywViolationRate as number).toBeGreaterThan(0);
    for (const k of ['pin-primary', 'wait-for-apply', 'primary'])
      expect(by[k].rywViolationRate).toBe(0);
    expect(by['pin-primary'].primaryReadShare as number).toBeGreaterThan(0.1);
    expect(by.primary.primaryReadShare).toBe(1);
    expect(by['wait-for-apply'].readLatencyMean as number).toBeGreaterThan(
      by.replicas.readLatencyMean as number,
    );
  });

  it('replication-read-scaling: read throughput follows exact MVA and flattens at the primary write bound', async () => {
    const out = await rows(
      'replication-read-scaling',
      { replicaCounts: [1, 3, 8], duration: 15 },
      5,
    );
    // family-wise intervals; MVA takes round robin as a random split (slightly pessimistic)
    const checks = checksFor(out, 'readThroughput', (r) => `R=${r.replicas}`);
    expect(checks.length).toBe(3);
    expect(disagreements(checks)).toEqual([]);
    // MVA itself sits under its asymptotic bound and reaches it once the primary saturates
    for (const r of out)
      expect(r.readThroughput_theory as number).toBeLessThanOrEqual(
        (r.readThroughput_bound as number) * (1 + 1e-9),
      );
    expect(out[2].readThroughput_theory as number).toBeGreaterThan(
      0.98 * (out[2].readThroughput_bound as number),
    );
    expect(out[2].readThroughput_bound).toBeCloseTo((0.75 * 4) / (0.25 * 0.02), 6);
  });

  it('replication-failover-loss: async loses λ·d acknowledged writes, semisync and sync none; only AFTER_COMMIT (and async) lose writes another session read', async () => {
    const out = await rows(
      'replication-failover-loss',
      { linkLatencies: [0.05], crashAt: 4, detectionDelay: 1 },
      12,
    );
    const by = Object.fromEntries(out.map((r) => [r.mode as string, r]));
    expect(covers(by.async, 'lostAcknowledged')).toBe(true);
    expect(by.semisync.lostAcknowledged).toBe(0);
    expect(by['sync-on'].lostAcknowledged).toBe(0);
    expect(covers(by['sync-on'], 'lostUnacknowledged')).toBe(true);
    // plugin/semisync/semisync_source.cc, MySQL 8.4 manual §19.4.10.2: AFTER_SYNC hides a commit until acknowledged
    expect(by.semisync.lostSeen).toBe(0);
    expect(by['sync-on'].lostSeen).toBe(0);
    expect(by['semisync-after-commit'].lostAcknowledged).toBe(0);
    expect(by['semisync-after-commit'].lostSeen as number).toBeGreaterThan(0);
  });

  it('replication-sync-quorum: FIRST 1 pays the far standby’s round trip, ANY 1 and semisync the near one’s (syncrep.c)', async () => {
    const out = await rows('replication-sync-quorum', { farLatencies: [0.02], duration: 10 }, 2);
    for (const r of out)
      expect(
        Math.abs((r.writeLatencyMean as number) - (r.writeLatencyMean_theory as number)),
      ).toBeLessThan(0.2); // ms
    const by = Object.fromEntries(out.map((r) => [r.quorum as string, r]));
    expect(by['FIRST 1'].writeLatencyMean as number).toBeGreaterThan(
      (by['ANY 1'].writeLatencyMean as number) + 30,
    );
  });
});
