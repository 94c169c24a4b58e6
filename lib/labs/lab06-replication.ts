/**
 * Lab 06: database replication lag (notebooks/06-replication-lag.ipynb).
 *
 * Experiments on `lib/systems/replication`, each beside its closed form:
 * - `replication-lag`: lag over time through a write burst; the fluid backlog (λ_burst − μ)·t, then
 *   drained at μ − λ.
 * - `replication-lag-vs-write-rate`: replay lag mean/p50/p99 vs write rate, the M/M/1 apply queue
 *   plus link latency beside it, the knee at the apply capacity μ.
 * - `replication-write-latency`: write latency by mode (async, MySQL semisync, PostgreSQL sync at
 *   remote_write / on / remote_apply): commit + one round trip (+ flush, + apply).
 * - `replication-stale-reads`: stale-read rate on replicas vs lag; exact form for Poisson writes
 *   on Zipf keys with an M/M/1 apply queue.
 * - `replication-read-your-writes`: what read-your-writes costs (violations, primary share, read latency).
 * - `replication-read-scaling`: read throughput vs replicas with closed clients; exact MVA and the
 *   bound set by the primary's writes.
 * - `replication-failover-loss`: acknowledged writes lost at a primary crash, by mode and link latency.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../experiment/experiment';
import type { Observation, Point } from '../experiment/experiment';
import { theoryVsSimulation } from '../experiment/figures';
import { band, figure, line, markers } from '../plot/builders';
import type { Figure } from '../plot/types';
import { Deterministic } from '../random/deterministic';
import { Exponential } from '../random/exponential';
import { Zipf } from '../random/zipf';
import { mmc } from '../queueing/mmc';
import { simulateReplication } from '../systems/replication/simulate';
import type { ReplicationConfig } from '../systems/replication/config';
import { applyLagQuantile, meanApplyLag, readScaleOutMva } from '../systems/replication/theory';

const LAB = '06-replication-lag';

function col(table: ColumnTable, name: string): Array<number | null> {
  return (table.array(name) as unknown[]).map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
}

function rowsWhere(table: ColumnTable, column: string, value: string): ColumnTable {
  return table.filter(`d => d[${JSON.stringify(column)}] + '' === ${JSON.stringify(value)}`);
}

// ---- 1. lag over time through a write burst ------------------------------------------------------------

/**
 * Fluid model of the backlog: commits C(t) at λ0, then λb on [s, e), then λ0; the apply thread
 * drains at μ while there is a backlog. Returns lag in transactions C − A and in seconds
 * t − C⁻¹(A) (age of the oldest unapplied write).
 */
export function burstFluidLag(t: number, p: { writeRate: number; burstRate: number; burstStart: number; burstDuration: number; applyRate: number }): { transactions: number; seconds: number } {
  const { writeRate: l0, burstRate: lb, burstStart: s, burstDuration: dur, applyRate: mu } = p;
  const e = s + dur;
  const C = (x: number) => (x < s ? l0 * x : x < e ? l0 * s + lb * (x - s) : l0 * s + lb * dur + l0 * (x - e));
  const Cinv = (y: number) => {
    if (y <= l0 * s) return l0 > 0 ? y / l0 : 0;
    if (y <= l0 * s + lb * dur) return s + (lb > 0 ? (y - l0 * s) / lb : 0);
    return e + (l0 > 0 ? (y - l0 * s - lb * dur) / l0 : Infinity);
  };
  // backlog at the end of the burst, then drained at mu - l0
  const peak = Math.max(0, (lb - mu) * dur);
  let backlog = 0;
  if (t >= s && t < e) backlog = Math.max(0, (lb - mu) * (t - s));
  else if (t >= e) backlog = l0 < mu ? Math.max(0, peak - (mu - l0) * (t - e)) : peak + (l0 - mu) * (t - e);
  if (backlog <= 0) return { transactions: 0, seconds: 0 };
  const applied = C(t) - backlog;
  return { transactions: backlog, seconds: t - Cinv(applied) };
}

export const replicationLag = defineExperiment({
  name: 'replication-lag',
  title: 'Replica lag through a write burst',
  description:
    'Asynchronous replication to replicas with one apply thread of rate μ. A burst of writes above μ makes the backlog grow at λ_burst − μ transactions per second; after the burst it drains at μ − λ. The simulated lag (transactions and seconds behind, mean of replications with 95% CIs) beside the fluid model.',
  lab: LAB,
  params: {
    writeRate: { type: 'number', default: 100, min: 0, unit: 'writes/s', doc: 'write rate outside the burst' },
    burstRate: { type: 'number', default: 300, min: 0, unit: 'writes/s', doc: 'write rate during the burst' },
    burstStart: { type: 'number', default: 30, min: 0, unit: 's', doc: 'start of the burst' },
    burstDuration: { type: 'number', default: 30, min: 0, unit: 's', doc: 'length of the burst' },
    applyRate: { type: 'number', default: 200, min: 0, minOpen: true, unit: 'tx/s', doc: 'apply rate μ of the replica apply thread (exponential apply times)' },
    linkLatency: { type: 'number', default: 0.001, min: 0, unit: 's', doc: 'one-way link latency' },
    duration: { type: 'number', default: 120, min: 1, unit: 's', doc: 'simulated time' },
    sampleInterval: { type: 'number', default: 1, min: 0.01, unit: 's', doc: 'lag sampling interval' },
  },
  replications: 10,
  metrics: ['lagTransactions', 'lagSeconds'],
  points: () => [{ replicas: 1 }],
  simulate: (point, p, seed) => {
    const { series } = simulateReplication(
      {
        replicas: point.replicas as number,
        writeRate: p.writeRate,
        writeBurst: { start: p.burstStart, duration: p.burstDuration, rate: p.burstRate },
        applyTime: new Exponential(p.applyRate),
        linkLatency: new Deterministic(p.linkLatency),
        sampleInterval: p.sampleInterval,
      },
      { seed, duration: p.duration },
    );
    const out: Observation[] = [];
    const baseline = p.writeRate < p.applyRate ? meanApplyLag({ writeRate: p.writeRate, applyMean: 1 / p.applyRate, applyScv: 1, linkLatency: p.linkLatency }) : NaN;
    const baselineTx = p.writeRate < p.applyRate ? p.writeRate * baseline : NaN; // Little: L = λ W
    for (let i = 0; i < series.t.length; i++) {
      const t = series.t[i];
      if (t > p.duration + 1e-9) break;
      const f = burstFluidLag(t, p);
      out.push({
        t,
        lagTransactions: series.transactions[0][i],
        lagSeconds: series.seconds[0][i],
        lagTransactions_fluid: Math.max(f.transactions, Number.isFinite(baselineTx) ? baselineTx : 0),
        lagSeconds_fluid: Math.max(f.seconds, Number.isFinite(baseline) ? baseline : 0),
      });
    }
    return out;
  },
  figures: (table, p) => {
    const t = col(table, 't') as number[];
    const panel = (metric: string, title: string, unit: string): Figure =>
      figure(
        [
          band(t, col(table, `${metric}_lo`), col(table, `${metric}_hi`), { name: 'simulation 95% CI', group: 'sim' }),
          line(t, col(table, metric), { name: 'simulation (mean)', group: 'sim' }),
          line(t, col(table, `${metric}_fluid`), { name: 'fluid model', dash: 'dash', group: 'fluid' }),
        ],
        {
          title: `${title}: burst of ${p.burstRate}/s on [${p.burstStart}, ${p.burstStart + p.burstDuration}) s, μ = ${p.applyRate}/s`,
          x: { title: 'time (s)' },
          y: { title: unit },
          height: 380,
        },
      );
    return [panel('lagTransactions', 'Lag in transactions', 'transactions behind'), panel('lagSeconds', 'Lag in seconds', 'seconds behind (age of oldest unapplied write)')];
  },
});

// ---- 2. lag vs write rate ----------------------------------------------------------------------------------

export const replicationLagVsWriteRate = defineExperiment({
  name: 'replication-lag-vs-write-rate',
  title: 'Replay lag vs write rate: the knee at the apply capacity',
  description:
    'Asynchronous replication, one apply thread of rate μ (exponential), constant link latency d. Below μ the replay lag is d + the M/M/1 sojourn, Exp(μ − λ): mean d + 1/(μ − λ), p-quantile d − ln(1 − p)/(μ − λ). At and above μ there is no steady state: the lag of the writes applied during a run grows with the run.',
  lab: LAB,
  params: {
    writeRates: { type: 'numbers', default: [20, 50, 80, 110, 140, 160, 175, 185, 190, 210, 230], min: 0, minOpen: true, unit: 'writes/s', doc: 'write rates λ to simulate' },
    applyRate: { type: 'number', default: 200, min: 0, minOpen: true, unit: 'tx/s', doc: 'apply rate μ' },
    linkLatency: { type: 'number', default: 0.001, min: 0, unit: 's', doc: 'one-way link latency d' },
    duration: { type: 'number', default: 120, min: 1, unit: 's', doc: 'simulated time after warm-up' },
    warmup: { type: 'number', default: 10, min: 0, unit: 's', doc: 'warm-up discarded' },
  },
  replications: 5,
  metrics: ['lagMean', 'lagP50', 'lagP99'],
  points: (p) => p.writeRates.map((w) => ({ writeRate: w })),
  simulate: (point, p, seed) => {
    const { summary } = simulateReplication(
      { replicas: 1, writeRate: point.writeRate as number, applyTime: new Exponential(p.applyRate), linkLatency: new Deterministic(p.linkLatency) },
      { seed, duration: p.duration, warmup: p.warmup },
    );
    return { lagMean: summary.lag.mean * 1000, lagP50: summary.lag.p50 * 1000, lagP99: summary.lag.p99 * 1000 };
  },
  theory: (point, p) => {
    const l = point.writeRate as number;
    if (l >= p.applyRate) return { rho: l / p.applyRate, lagMean_theory: null, lagP50_theory: null, lagP99_theory: null };
    return {
      rho: l / p.applyRate,
      lagMean_theory: 1000 * meanApplyLag({ writeRate: l, applyMean: 1 / p.applyRate, applyScv: 1, linkLatency: p.linkLatency }),
      lagP50_theory: 1000 * applyLagQuantile(l, p.applyRate, p.linkLatency, 0.5),
      lagP99_theory: 1000 * applyLagQuantile(l, p.applyRate, p.linkLatency, 0.99),
    };
  },
  figures: (table, p) => {
    const x = col(table, 'writeRate') as number[];
    const traces = [];
    const names: Array<[string, string]> = [['lagMean', 'mean'], ['lagP50', 'p50'], ['lagP99', 'p99']];
    // theory on a fine grid up to 0.99 μ
    const grid = Array.from({ length: 60 }, (_, i) => (p.applyRate * 0.99 * (i + 1)) / 60);
    for (const [m, label] of names) {
      const th = grid.map((l) =>
        1000 * (m === 'lagMean' ? meanApplyLag({ writeRate: l, applyMean: 1 / p.applyRate, applyScv: 1, linkLatency: p.linkLatency }) : applyLagQuantile(l, p.applyRate, p.linkLatency, m === 'lagP50' ? 0.5 : 0.99)),
      );
      traces.push(line(grid, th, { name: `${label}: d + M/M/1 sojourn`, group: m }));
      traces.push(markers(x, col(table, m), { name: `${label}: simulation`, group: m, lower: col(table, `${m}_lo`), upper: col(table, `${m}_hi`) }));
    }
    traces.push(line([p.applyRate, p.applyRate], [0.5, 1e6], { name: `apply capacity μ = ${p.applyRate}/s`, dash: 'dot', color: '#444' }));
    return [
      figure(traces, {
        title: 'Replay lag vs write rate (one apply thread)',
        x: { title: 'write rate λ (writes/s)' },
        y: { title: 'replay lag (ms)', log: true, range: [0, Math.log10(Math.max(1e4, ...(col(table, 'lagP99').filter((v) => v !== null) as number[])) * 1.5)] },
        height: 460,
      }),
    ];
  },
});

// ---- 3. write latency by mode --------------------------------------------------------------------------------

const MODES = ['async', 'semisync', 'sync-remote_write', 'sync-on', 'sync-remote_apply'] as const;

function modeConfig(mode: string): Partial<ReplicationConfig> {
  if (mode === 'async') return { mode: 'async' };
  if (mode === 'semisync') return { mode: 'semisync' };
  const level = mode.replace('sync-', '') as 'remote_write' | 'on' | 'remote_apply';
  return { mode: 'sync', synchronous_commit: level };
}

export const replicationWriteLatency = defineExperiment({
  name: 'replication-write-latency',
  title: 'Write latency by replication mode',
  description:
    'Mean and p99 write latency (client arrival to acknowledgement) for async, MySQL semisync (1 ack, AFTER_SYNC) and PostgreSQL sync FIRST 1 at synchronous_commit = remote_write / on / remote_apply, with a link of one-way latency d. Theory: the primary M/M/c commit time, plus 2d for remote_write, plus the replica flush F for on and semisync, plus the replica apply sojourn for remote_apply.',
  lab: LAB,
  params: {
    modes: { type: 'choices', default: [...MODES], choices: MODES, doc: 'replication modes' },
    writeRate: { type: 'number', default: 100, min: 0, minOpen: true, unit: 'writes/s', doc: 'write rate' },
    linkLatency: { type: 'number', default: 0.005, min: 0, unit: 's', doc: 'one-way link latency d' },
    flushTime: { type: 'number', default: 0.001, min: 0, unit: 's', doc: 'replica relay-log/WAL flush time F (constant)' },
    applyRate: { type: 'number', default: 200, min: 0, minOpen: true, unit: 'tx/s', doc: 'apply rate μ (exponential)' },
    commitTime: { type: 'number', default: 0.001, min: 0, minOpen: true, unit: 's', doc: 'mean commit time on the primary (exponential)' },
    replicas: { type: 'integer', default: 2, min: 1, max: 16, doc: 'replicas' },
    duration: { type: 'number', default: 40, min: 1, unit: 's', doc: 'simulated time after warm-up' },
  },
  replications: 5,
  metrics: ['writeLatencyMean', 'writeLatencyP99'],
  sharedSeedAcross: ['mode'],
  points: (p) => p.modes.map((m) => ({ mode: m })),
  simulate: (point, p, seed) => {
    const { summary } = simulateReplication(
      {
        replicas: p.replicas,
        ...modeConfig(point.mode as string),
        writeRate: p.writeRate,
        commitTime: new Exponential(1 / p.commitTime),
        applyTime: new Exponential(p.applyRate),
        linkLatency: new Deterministic(p.linkLatency),
        replicaFlushTime: new Deterministic(p.flushTime),
      },
      { seed, duration: p.duration, warmup: 5 },
    );
    return { writeLatencyMean: summary.writeLatency.mean * 1000, writeLatencyP99: summary.writeLatency.p99 * 1000 };
  },
  theory: (point, p) => {
    const commit = mmc({ lambda: p.writeRate, mu: 1 / p.commitTime, c: 8 }).W;
    const d = p.linkLatency;
    const apply = p.writeRate < p.applyRate ? 1 / (p.applyRate - p.writeRate) : Infinity;
    const extra: Record<string, number> = { async: 0, semisync: 2 * d + p.flushTime, 'sync-remote_write': 2 * d, 'sync-on': 2 * d + p.flushTime, 'sync-remote_apply': 2 * d + apply };
    return { writeLatencyMean_theory: 1000 * (commit + extra[point.mode as string]) };
  },
  figures: (table) => [
    figure(
      [
        markers(table.array('mode') as string[], col(table, 'writeLatencyMean_theory'), { name: 'theory (mean)', symbol: 'line-ew-open', size: 28, group: 'theory' }),
        markers(table.array('mode') as string[], col(table, 'writeLatencyMean'), { name: 'simulation mean', lower: col(table, 'writeLatencyMean_lo'), upper: col(table, 'writeLatencyMean_hi'), group: 'mean' }),
        markers(table.array('mode') as string[], col(table, 'writeLatencyP99'), { name: 'simulation p99', symbol: 'diamond', lower: col(table, 'writeLatencyP99_lo'), upper: col(table, 'writeLatencyP99_hi'), group: 'p99' }),
      ],
      { title: 'Write latency by replication mode', x: { title: 'mode' }, y: { title: 'write latency (ms)', fromZero: true }, height: 420 },
    ),
  ],
});

// ---- 4. stale reads vs lag ------------------------------------------------------------------------------------

/**
 * Stale-read probability of a read on a replica at a random time, Poisson writes of rate λ on Zipf
 * keys (probabilities p_k, the same for reads), link latency d, M/M/1 apply (ν = μ − λ): the key
 * is stale iff its last write (age A ~ Exp(λ p_k)) is not yet applied (lag L = d + Exp(ν),
 * independent of A under FIFO), so P(stale) = Σ_k p_k (1 − e^{−λ p_k d} ν/(ν + λ p_k)).
 */
export function staleReadProbability(writeRate: number, applyRate: number, linkLatency: number, keys: number, keySkew: number): number {
  if (writeRate >= applyRate) return 1;
  const nu = applyRate - writeRate;
  const z = keySkew > 0 && keys > 1 ? new Zipf(keys, keySkew) : null;
  let sum = 0;
  for (let k = 1; k <= keys; k++) {
    const pk = z ? z.probability(k) : 1 / keys;
    const lk = writeRate * pk;
    sum += pk * (1 - (Math.exp(-lk * linkLatency) * nu) / (nu + lk));
  }
  return sum;
}

export const replicationStaleReads = defineExperiment({
  name: 'replication-stale-reads',
  title: 'Stale reads on replicas vs replication lag',
  description:
    'Reads on replicas, writes on the primary, Zipf key popularity for both. A read is stale when its key has a committed write the replica has not applied. As the write rate approaches the apply capacity the lag grows and so does the stale-read rate; the exact form Σ p_k (1 − e^{−λ p_k d} ν/(ν + λ p_k)) with ν = μ − λ is drawn beside the simulation.',
  lab: LAB,
  params: {
    writeRates: { type: 'numbers', default: [25, 50, 100, 150, 175, 190], min: 0, minOpen: true, unit: 'writes/s', doc: 'write rates' },
    readRate: { type: 'number', default: 400, min: 0, minOpen: true, unit: 'reads/s', doc: 'read rate' },
    keys: { type: 'integer', default: 1000, min: 1, max: 1000000, doc: 'number of keys' },
    keySkew: { type: 'number', default: 1, min: 0, max: 5, doc: 'Zipf exponent of key popularity (0 = uniform)' },
    applyRate: { type: 'number', default: 200, min: 0, minOpen: true, unit: 'tx/s', doc: 'apply rate μ' },
    linkLatency: { type: 'number', default: 0.001, min: 0, unit: 's', doc: 'one-way link latency d' },
    replicas: { type: 'integer', default: 2, min: 1, max: 16, doc: 'replicas' },
    duration: { type: 'number', default: 40, min: 1, unit: 's', doc: 'simulated time after warm-up' },
  },
  replications: 5,
  metrics: ['staleReadRate', 'lagMean', 'stalenessMean'],
  points: (p) => p.writeRates.map((w) => ({ writeRate: w })),
  simulate: (point, p, seed) => {
    const { summary } = simulateReplication(
      {
        replicas: p.replicas,
        writeRate: point.writeRate as number,
        readRate: p.readRate,
        keys: p.keys,
        keySkew: p.keySkew,
        applyTime: new Exponential(p.applyRate),
        linkLatency: new Deterministic(p.linkLatency),
        readRouting: 'replicas',
      },
      { seed, duration: p.duration, warmup: 5 },
    );
    return { staleReadRate: summary.staleReadRate, lagMean: summary.lag.mean * 1000, stalenessMean: summary.staleness.count > 0 ? summary.staleness.mean * 1000 : null };
  },
  theory: (point, p) => {
    const l = point.writeRate as number;
    const stable = l < p.applyRate;
    return {
      lagMean_theory: stable ? 1000 * meanApplyLag({ writeRate: l, applyMean: 1 / p.applyRate, applyScv: 1, linkLatency: p.linkLatency }) : null,
      staleReadRate_theory: staleReadProbability(l, p.applyRate, p.linkLatency, p.keys, p.keySkew),
    };
  },
  figures: (table) => [
    theoryVsSimulation(table, {
      x: 'lagMean_theory',
      y: 'staleReadRate',
      title: 'Stale-read rate on replicas vs mean replay lag',
      xAxis: { title: 'mean replay lag d + 1/(μ − λ) (ms)', log: true },
      yAxis: { title: 'fraction of reads that are stale', fromZero: true },
      theoryLabel: 'exact: Σ p_k (1 − e^(−λ p_k d) ν/(ν + λ p_k))',
    }),
  ],
});

// ---- 5. what read-your-writes costs ------------------------------------------------------------------------------

const RYW = ['replicas', 'pin-primary', 'wait-for-apply', 'primary'] as const;

export const replicationReadYourWrites = defineExperiment({
  name: 'replication-read-your-writes',
  title: 'What read-your-writes costs',
  description:
    'Sessions that write and then read. Reads on replicas may miss the session\'s own last write (a read-your-writes violation). Pinning the session to the primary for a window after each write moves reads back onto the primary; waiting until the replica has applied the session\'s last write keeps reads on replicas but adds the lag to read latency; all reads on the primary never violate and never scale.',
  lab: LAB,
  params: {
    routings: { type: 'choices', default: [...RYW], choices: RYW, doc: 'read routings' },
    writeRate: { type: 'number', default: 150, min: 0, minOpen: true, unit: 'writes/s', doc: 'write rate' },
    readRate: { type: 'number', default: 500, min: 0, minOpen: true, unit: 'reads/s', doc: 'read rate' },
    sessions: { type: 'integer', default: 200, min: 1, max: 100000, doc: 'client sessions' },
    rywWindow: { type: 'number', default: 0.5, min: 0, unit: 's', doc: 'pin-primary window after a write' },
    applyRate: { type: 'number', default: 200, min: 0, minOpen: true, unit: 'tx/s', doc: 'apply rate μ' },
    replicas: { type: 'integer', default: 2, min: 1, max: 16, doc: 'replicas' },
    duration: { type: 'number', default: 30, min: 1, unit: 's', doc: 'simulated time after warm-up' },
  },
  replications: 5,
  metrics: ['rywViolationRate', 'primaryReadShare', 'readLatencyMean', 'readLatencyP99'],
  sharedSeedAcross: ['routing'],
  points: (p) => p.routings.map((r) => ({ routing: r })),
  simulate: (point, p, seed) => {
    const r = point.routing as string;
    const routing: Partial<ReplicationConfig> =
      r === 'replicas' || r === 'primary' ? { readRouting: r } : { readRouting: 'read-your-writes', rywMethod: r as 'pin-primary' | 'wait-for-apply', rywWindow: p.rywWindow };
    const { summary } = simulateReplication(
      { replicas: p.replicas, writeRate: p.writeRate, readRate: p.readRate, sessions: p.sessions, applyTime: new Exponential(p.applyRate), ...routing },
      { seed, duration: p.duration, warmup: 5 },
    );
    const reads = summary.readsCompleted;
    return {
      rywViolationRate: summary.rywViolations / reads,
      primaryReadShare: Math.max(0, 1 - summary.replicaReads / reads),
      readLatencyMean: summary.readLatency.mean * 1000,
      readLatencyP99: summary.readLatency.p99 * 1000,
    };
  },
  figures: (table) => {
    const x = table.array('routing') as string[];
    const panel = (m: string, title: string, y: string): Figure =>
      figure([markers(x, col(table, m), { name: title, lower: col(table, `${m}_lo`), upper: col(table, `${m}_hi`), size: 10 })], { title, x: { title: 'read routing' }, y: { title: y, fromZero: true }, height: 320, showlegend: false });
    return [
      panel('rywViolationRate', 'Reads missing their own session\'s last write', 'fraction of reads'),
      panel('primaryReadShare', 'Share of reads served by the primary', 'fraction of reads'),
      figure(
        [
          markers(x, col(table, 'readLatencyMean'), { name: 'mean', lower: col(table, 'readLatencyMean_lo'), upper: col(table, 'readLatencyMean_hi'), size: 10 }),
          markers(x, col(table, 'readLatencyP99'), { name: 'p99', symbol: 'diamond', lower: col(table, 'readLatencyP99_lo'), upper: col(table, 'readLatencyP99_hi'), size: 10 }),
        ],
        { title: 'Read latency', x: { title: 'read routing' }, y: { title: 'ms', fromZero: true }, height: 320 },
      ),
    ];
  },
});

// ---- 6. read throughput vs replicas ---------------------------------------------------------------------------------

export const replicationReadScaling = defineExperiment({
  name: 'replication-read-scaling',
  title: 'Read throughput vs number of replicas',
  description:
    'Closed clients (N users, think time Z, a fraction f of requests are writes). Writes go to the primary, reads to the replicas (round robin; with no replica, to the primary). Read throughput grows with replicas until the primary saturates on writes: X ≤ c/(f S_w), so reads flatten at (1 − f) c/(f S_w). Exact MVA (product form, round robin taken as an even split) beside the simulation.',
  lab: LAB,
  params: {
    replicaCounts: { type: 'numbers', default: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], min: 0, max: 9, integer: true, doc: 'numbers of replicas (exact MVA takes at most 10 multi-server stations)' },
    users: { type: 'integer', default: 250, min: 1, max: 100000, doc: 'users N' },
    thinkTime: { type: 'number', default: 0.2, min: 0, unit: 's', doc: 'mean think time Z' },
    writeFraction: { type: 'number', default: 0.25, min: 0, max: 1, minOpen: true, maxOpen: true, doc: 'fraction f of requests that write' },
    servers: { type: 'integer', default: 4, min: 1, max: 1024, doc: 'servers (connections) per database node c' },
    commitTime: { type: 'number', default: 0.02, min: 0, minOpen: true, unit: 's', doc: 'mean write time S_w on the primary (exponential)' },
    readTime: { type: 'number', default: 0.04, min: 0, minOpen: true, unit: 's', doc: 'mean read time S_r (exponential)' },
    duration: { type: 'number', default: 20, min: 1, unit: 's', doc: 'simulated time after warm-up' },
  },
  replications: 3,
  metrics: ['readThroughput', 'readLatencyMean'],
  points: (p) => p.replicaCounts.map((r) => ({ replicas: r })),
  simulate: (point, p, seed) => {
    const { summary } = simulateReplication(
      {
        replicas: point.replicas as number,
        clients: 'closed',
        users: p.users,
        thinkTime: p.thinkTime,
        writeFraction: p.writeFraction,
        servers: p.servers,
        commitTime: new Exponential(1 / p.commitTime),
        readTime: new Exponential(1 / p.readTime),
        applyTime: new Exponential(2000),
        readRouting: 'replicas',
      },
      { seed, duration: p.duration, warmup: 5 },
    );
    return { readThroughput: summary.readThroughput, readLatencyMean: summary.readLatency.mean * 1000 };
  },
  theory: (point, p) => {
    const m = readScaleOutMva({ users: p.users, thinkTime: p.thinkTime, writeFraction: p.writeFraction, replicas: point.replicas as number, servers: p.servers, commitMean: p.commitTime, readMean: p.readTime });
    return { readThroughput_theory: m.readThroughput, readThroughput_bound: m.readBound };
  },
  figures: (table, p) => {
    const x = col(table, 'replicas') as number[];
    const primaryBound = ((1 - p.writeFraction) * p.servers) / (p.writeFraction * p.commitTime);
    return [
      figure(
        [
          line(x, col(table, 'readThroughput_theory'), { name: 'exact MVA', group: 'mva' }),
          line(x, col(table, 'readThroughput_bound'), { name: 'asymptotic bound', dash: 'dash', group: 'bound' }),
          line([x[0], x[x.length - 1]], [primaryBound, primaryBound], { name: 'primary write saturation (1 − f) c/(f S_w)', dash: 'dot', color: '#444' }),
          markers(x, col(table, 'readThroughput'), { name: 'simulation', group: 'mva', lower: col(table, 'readThroughput_lo'), upper: col(table, 'readThroughput_hi') }),
        ],
        { title: 'Read throughput vs replicas (closed clients)', x: { title: 'replicas R' }, y: { title: 'reads/s', fromZero: true }, height: 440 },
      ),
    ];
  },
});

// ---- 7. writes lost at failover ---------------------------------------------------------------------------------------

const LOSS_MODES = ['async', 'semisync', 'sync-on'] as const;

export const replicationFailoverLoss = defineExperiment({
  name: 'replication-failover-loss',
  title: 'Acknowledged writes lost at failover, by mode',
  description:
    'The primary crashes; after the detection delay the most up-to-date replica is promoted once it has replayed its relay log. Committed writes it never received are lost. In async mode they had been acknowledged: about λ·d of them (the writes on the wire). MySQL semisync (AFTER_SYNC) and PostgreSQL sync acknowledge only received writes, so the lost ones were never acknowledged.',
  lab: LAB,
  params: {
    modes: { type: 'choices', default: [...LOSS_MODES], choices: LOSS_MODES, doc: 'replication modes' },
    linkLatencies: { type: 'numbers', default: [0.001, 0.005, 0.02, 0.05], min: 0, unit: 's', doc: 'one-way link latencies d' },
    writeRate: { type: 'number', default: 200, min: 0, minOpen: true, unit: 'writes/s', doc: 'write rate λ' },
    applyRate: { type: 'number', default: 250, min: 0, minOpen: true, unit: 'tx/s', doc: 'apply rate μ' },
    replicas: { type: 'integer', default: 2, min: 1, max: 16, doc: 'replicas' },
    crashAt: { type: 'number', default: 8, min: 0, unit: 's', doc: 'time of the primary crash' },
    detectionDelay: { type: 'number', default: 2, min: 0, unit: 's', doc: 'failure detection delay before promotion (Patroni ttl is 30 s)' },
  },
  replications: 20,
  metrics: ['lostAcknowledged', 'lostUnacknowledged'],
  sharedSeedAcross: ['mode'],
  points: (p) => p.linkLatencies.flatMap((d) => p.modes.map((m) => ({ mode: m, linkLatency: d }) as Point)),
  simulate: (point, p, seed) => {
    const { summary } = simulateReplication(
      {
        replicas: p.replicas,
        ...modeConfig(point.mode as string),
        writeRate: p.writeRate,
        applyTime: new Exponential(p.applyRate),
        linkLatency: new Deterministic(point.linkLatency as number),
        primaryCrashAt: p.crashAt,
        detectionDelay: p.detectionDelay,
      },
      { seed, duration: p.crashAt + p.detectionDelay + 2 },
    );
    return { lostAcknowledged: summary.lostAcknowledged, lostUnacknowledged: summary.lostUnacknowledged };
  },
  theory: (point, p) => {
    const inFlight = p.writeRate * (point.linkLatency as number);
    const async = point.mode === 'async';
    return { lostAcknowledged_theory: async ? inFlight : 0, lostUnacknowledged_theory: async ? 0 : inFlight };
  },
  figures: (table) => [
    theoryVsSimulation(table, {
      x: 'linkLatency',
      y: 'lostAcknowledged',
      groupBy: 'mode',
      title: 'Acknowledged writes lost at failover',
      xAxis: { title: 'one-way link latency d (s)', log: true },
      yAxis: { title: 'writes lost (per failover)', fromZero: true },
      theoryLabel: 'theory (async λ·d, else 0)',
    }),
    theoryVsSimulation(table, {
      x: 'linkLatency',
      y: 'lostUnacknowledged',
      groupBy: 'mode',
      title: 'Committed but unacknowledged writes lost at failover',
      xAxis: { title: 'one-way link latency d (s)', log: true },
      yAxis: { title: 'writes lost (per failover)', fromZero: true },
      theoryLabel: 'theory (async 0, else λ·d)',
    }),
  ],
});

/** Lab 06's experiments, in notebook order. */
export const lab06Experiments = [
  replicationLag,
  replicationLagVsWriteRate,
  replicationWriteLatency,
  replicationStaleReads,
  replicationReadYourWrites,
  replicationReadScaling,
  replicationFailoverLoss,
];
