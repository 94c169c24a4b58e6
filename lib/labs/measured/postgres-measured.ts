/**
 * Lab 06, postgres-measured: real PostgreSQL streaming replication (Debian's postgresql) on
 * loopback beside the replication model (lib/systems/replication) and its closed forms.
 *
 * One measurement (lib/measure/postgres.ts) sets up a primary and a replica (initdb, a replication
 * slot, pg_basebackup -R), drives Poisson write transactions with pgbench -R, and measures:
 *  - part 'lag' (asynchronous), per write rate λ: pg_stat_replication's write_lag, flush_lag and
 *    replay_lag (sampled every 50 ms) and the read-after-write probe's visible lag;
 *  - part 'commit' (the replica synchronous), per synchronous_commit level: commit latency.
 *
 * The commit part's model is calibrated from its per-level means (stated, not hidden): commit
 * C = `local`, link d = (remote_write − local)/2, replica flush F = local − off (the same fdatasync
 * on the same disk; see calibrate); the apply A that remote_apply waits for beyond `on` comes from
 * the mechanism, not from remote_apply − on (applyWait: A in [0, a + R], a the replay, R the probe's
 * round trip). Beside the commit part it gives the light-load latencies (off C − F, local C,
 * remote_write C + 2d, on C + 2d + F, remote_apply C + 2d + F + A) and simulated ones with queueing;
 * what it predicts is the ORDER off ≤ local ≤ remote_write ≤ on ≤ remote_apply, with on and
 * remote_apply equal within noise at this machine's R.
 *
 * Beside the lag part it PREDICTS the read-after-write lag from the replication path in PostgreSQL
 * 15's sources (lagModel): the commit's flush wakes the walsender, which sends at once; the
 * walreceiver flushes all it received in one fsync F and wakes the startup process, which replays the
 * commit record (a = 50 µs assumed, an M/M/1 queue at ρ ≤ 0.02) and makes it visible to the probe's
 * next SELECT. Its two machine figures come from the same run, nothing fitted to the lag: F from the
 * probe's own commit on the primary (its latency C is one round trip R plus the same fdatasync on the
 * same disk at the same moment), and R from the probe's SELECT round trips on the replica:
 * lag = C + R + a, judged per probe (visible − C against R + a) on medians with order-statistic
 * intervals (median-interval.ts): one of ~16 probe commits stalled on the primary's disk lies before
 * the WAL is sent, never reaches the replica, and moved the mean of C by 7-12 ms in two fresh clones.
 * The fourth session's d + F, with d and F from the commit part's noisy differences, lacked the
 * wake-ups (3.9x off in one quiet run, with F = local − off near 0.4 ms); here they are counted, a
 * one-way hop R/2 each. pg_stat_replication's replay_lag is timed by the primary's lag tracker
 * (walsender.c LagTrackerWrite at each send, LagTrackerRead at each standby reply): the standby reports
 * its replay position only in its next reply (after its next receive or flush, or every
 * wal_receiver_status_interval = 10 s; in async mode the startup process asks for no reply), so
 * replay_lag is flush_lag plus whatever replay the flush reply missed, and runs close to flush_lag.
 * The simulator gets the same path (linkLatency C + R, applyTime a); for remote_apply, which it
 * acknowledges when applied without the flush PostgreSQL does first, its link carries d + (F + A)/2.
 */
import * as os from 'os';
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import type { Observation } from '../../experiment/experiment';
import { Deterministic } from '../../random/deterministic';
import { Exponential } from '../../random/exponential';
import { deriveSeed } from '../../random/streams';
import { findPostgres, machine } from '../../measure/components';
import { synchronousCommitLevels } from '../../measure/postgres';
import type { PostgresMeasurement, SynchronousCommitLevel } from '../../measure/postgres';
import { runMeasurement } from '../../measure/run-sync';
import { simulateReplication } from '../../systems/replication/simulate';
import { quantileOf } from '../../measure/open-loop';
import { batchStatistics, intervalOf } from './batches';
import type { Interval } from './batches';
import { measuredFigure } from './figures';
import { medianInterval } from './median-interval';
import { calibrate, lagModel, levelTheory, replayCost, vmCalibration } from './postgres-model';
import type { PgCalibration } from './postgres-model';
import type { MedianInterval } from './median-interval';

export { applyWait, calibrate, lagModel, replayCost, vmCalibration } from './postgres-model';
export type { PgCalibration } from './postgres-model';

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function withInterval(prefix: string, i: Interval): Record<string, number | null> {
  return { [prefix]: i.mean, [`${prefix}_lo`]: i.lo, [`${prefix}_hi`]: i.hi };
}

const levelOrder = (l: string) => synchronousCommitLevels.indexOf(l as SynchronousCommitLevel);

export const postgresMeasured = defineExperiment({
  name: 'postgres-measured',
  requires: 'postgresql',
  title:
    'Real PostgreSQL replication vs the model: replica lag vs write rate, commit latency per synchronous_commit',
  description:
    "Debian's postgresql on 127.0.0.1: a primary and a streaming replica (initdb, a replication slot, pg_basebackup -R) in a temp folder of their own, run as the postgres user when root, " +
    'a Poisson write load from pgbench -R (latency from each scheduled start). Part lag (asynchronous): pg_stat_replication write_lag, flush_lag, replay_lag and a read-after-write probe per write rate; ' +
    "part commit (synchronous_standby_names = 'replica1'): commit latency per synchronous_commit level. Rows with source 'measured' from the real servers, 'simulation' from lib/systems/replication " +
    "calibrated from the measured per-level means (commit = local, link = (remote_write - local)/2, flush = local - off (the same fsync), apply = replay + one round trip R; simulation alone: this VM's values), " +
    'the lag predicted as C + R + replay (C the commit latency and R the probe round trip of the same run), theory columns from its closed forms. About 30 s.',
  lab: '06-replication-lag',
  params: {
    rates: {
      type: 'numbers',
      default: [25, 100, 400],
      min: 1,
      max: 5000,
      unit: 'writes/s',
      doc: 'Write rates of the lag part (pgbench -R).',
    },
    levels: {
      type: 'choices',
      default: [...synchronousCommitLevels],
      choices: synchronousCommitLevels,
      doc: 'synchronous_commit levels of the commit part.',
    },
    levelRate: {
      type: 'number',
      default: 50,
      min: 1,
      max: 2000,
      unit: 'writes/s',
      doc: 'Write rate of the commit part.',
    },
    duration: {
      type: 'integer',
      default: 2,
      min: 1,
      max: 600,
      unit: 's',
      doc: 'pgbench -T per rate and per level.',
    },
    warmup: {
      type: 'number',
      default: 0.3,
      min: 0,
      max: 60,
      unit: 's',
      doc: 'Start of each run left out.',
    },
    clients: {
      type: 'integer',
      default: 8,
      min: 1,
      max: 32,
      doc: 'pgbench -c: connections the Poisson schedule is spread over.',
    },
    sources: {
      type: 'choices',
      default: ['measured', 'simulation'],
      choices: ['measured', 'simulation'],
      doc: 'Which rows to produce.',
    },
  },
  replications: 1,
  // intervals computed here (batch means over the run, t over samples): no framework metric, so the _lo/_hi pass through
  metrics: [],
  // one point: the simulation is calibrated from the measurement, so both come from one run (one cluster)
  points: () => [{ cluster: 'primary + 1 replica' }],
  simulate: (_point, p, seed): Observation[] => {
    const component = { machine: machine() };
    let measured: PostgresMeasurement | null = null;
    if (p.sources.includes('measured')) {
      findPostgres();
      measured = runMeasurement<PostgresMeasurement>(
        {
          kind: 'postgres-replication',
          args: {
            rates: p.rates,
            levels: p.levels as SynchronousCommitLevel[],
            levelRate: p.levelRate,
            duration: p.duration,
            warmup: p.warmup,
            clients: p.clients,
            seed: seed,
          },
        },
        600,
      );
    }
    const cal: PgCalibration =
      measured && measured.levels.length > 0
        ? calibrate(
            Object.fromEntries(measured.levels.map((l) => [l.level, mean(l.latency)])),
            // R of the remote_apply run, whose A it gives (a run's SELECTs that follow each other
            // back to back, as under `off`, find the replica's backend awake and run at 50 µs)
            mean(
              (measured.levels.find((l) => l.level === 'remote_apply') ?? measured.levels[0])
                .roundTrip,
            ),
          )
        : vmCalibration;
    // the lag model's two machine figures per rate, from the same run (lagModel), as medians with
    // order-statistic intervals (median-interval.ts, Conover 1999 §3.2): the probe's ~16 commits are
    // heavy-tailed (one stalled on the primary's disk took C's mean from 3 to 10-15 ms in two
    // fresh-clone runs, a stall that lies before the WAL is sent and so never reaches the replica);
    // one such commit moves a median by one order statistic, not by (stall)/16
    const lagInputs = new Map<
      number,
      { commit: MedianInterval; roundTrip: MedianInterval; difference: MedianInterval }
    >();
    for (const r of measured?.lag ?? [])
      lagInputs.set(r.rate, {
        // C: the probe's own commits, each paired with its row's visibility on the replica
        commit: medianInterval(r.probeCommit),
        roundTrip: medianInterval(r.roundTrip),
        // visible − C per probe: what the model predicts as R + a; its median with the sign test's interval
        difference: medianInterval(r.visible.map((v, k) => v - r.probeCommit[k])),
      });
    const lagOf = (rate: number) => {
      const i = lagInputs.get(rate);
      const commit = i ? i.commit.median : cal.commit;
      const roundTrip = i ? i.roundTrip.median : cal.roundTrip;
      const model = lagModel(rate, commit, roundTrip);
      // the band's quantity: median(visible − C) − (model − median C), the model's R + a against the
      // paired differences; its interval from the two order-statistic intervals (D's and R's)
      const excess = model - commit - roundTrip; // the replay's M/M/1 sojourn (≈ a)
      const d = i?.difference;
      const rt = i?.roundTrip;
      return {
        model: model,
        commit: commit,
        roundTrip: roundTrip,
        delta: d ? d.median - roundTrip - excess : null,
        deltaLo: d && d.lo !== null && rt && rt.hi !== null ? d.lo - rt.hi - excess : null,
        deltaHi: d && d.hi !== null && rt && rt.lo !== null ? d.hi - rt.lo - excess : null,
        coverage:
          d && d.coverage !== null && rt && rt.coverage !== null
            ? d.coverage + rt.coverage - 1
            : null,
      };
    };
    const calCols = {
      commitCal: cal.commit,
      linkCal: cal.link,
      flushCal: cal.flush,
      applyCal: cal.apply,
      roundTripCal: cal.roundTrip,
    };
    const out: Observation[] = [];
    if (p.sources.includes('measured')) {
      const m = measured!;
      const comp = `PostgreSQL ${m.version}`;
      for (const r of m.lag) {
        out.push({
          source: 'measured',
          part: 'lag',
          writeRate: r.rate,
          level: 'on (async)',
          levelOrder: null,
          ...withInterval('replayLag', intervalOf(r.replayLag)),
          ...withInterval('writeLag', intervalOf(r.writeLag)),
          ...withInterval('flushLag', intervalOf(r.flushLag)),
          ...withInterval('visibleLag', intervalOf(r.visible)),
          ...withInterval('commitLatency', intervalOf(r.latency)),
          commitP99: quantileOf(r.latency, 0.99),
          writes: r.latency.length,
          samples: r.replayLag.length,
          probes: r.visible.length,
          ...withInterval('roundTrip', intervalOf(r.roundTrip)),
          visibleLag_theory: lagOf(r.rate).model,
          visibleLagMedian: medianInterval(r.visible).median,
          visibleLagMedian_lo: medianInterval(r.visible).lo,
          visibleLagMedian_hi: medianInterval(r.visible).hi,
          roundTripMedian: lagOf(r.rate).roundTrip,
          lagModelCommit: lagOf(r.rate).commit,
          // median(visible − C) − (model − median C) and its interval (Bonferroni coverage ≥ lagDeltaCoverage)
          lagDelta: lagOf(r.rate).delta,
          lagDelta_lo: lagOf(r.rate).deltaLo,
          lagDelta_hi: lagOf(r.rate).deltaHi,
          lagDeltaCoverage: lagOf(r.rate).coverage,
          lagRobust: lagInputs.has(r.rate),
          commitLatency_theory: cal.commit,
          commitGapMax: null,
          ...calCols,
          component: comp,
          setupSeconds: m.setupSeconds,
          loadAverage: r.loadAverage,
          cpus: os.cpus().length,
          ...component,
        });
      }
      for (const r of m.levels) {
        const b = batchStatistics(
          r.latency,
          r.at.map((t) => t - p.warmup),
          Math.max(0.5, p.duration - p.warmup),
          5,
        );
        out.push({
          source: 'measured',
          part: 'commit',
          writeRate: r.rate,
          level: r.level,
          levelOrder: levelOrder(r.level),
          replayLag: null,
          replayLag_lo: null,
          replayLag_hi: null,
          writeLag: null,
          writeLag_lo: null,
          writeLag_hi: null,
          flushLag: null,
          flushLag_lo: null,
          flushLag_hi: null,
          ...withInterval('visibleLag', intervalOf(r.visible)),
          ...withInterval('commitLatency', b.W),
          commitP99: quantileOf(r.latency, 0.99),
          writes: r.latency.length,
          samples: r.replayLag.length,
          probes: r.visible.length,
          ...withInterval('roundTrip', intervalOf(r.roundTrip)),
          visibleLag_theory: null,
          lagModelCommit: null,
          commitLatency_theory: levelTheory(r.level, cal),
          // the model's range for (this level − the one before): remote_apply − on in [0, a + R]
          commitGapMax: r.level === 'remote_apply' ? cal.apply : null,
          ...calCols,
          component: comp,
          setupSeconds: m.setupSeconds,
          loadAverage: r.loadAverage,
          cpus: os.cpus().length,
          ...component,
        });
      }
    }
    if (!p.sources.includes('simulation')) return out;
    // the model, calibrated: lag part asynchronous, the replica's flush a constant delay before apply
    const base = {
      replicas: 1,
      servers: p.clients,
      commitTime: new Exponential(1 / Math.max(1e-5, cal.commit)),
      applyTime: new Exponential(1 / replayCost),
    };
    const simSeconds = (rate: number) => Math.max(20, 4000 / rate);
    for (const rate of p.rates) {
      const s = simulateReplication(
        {
          ...base,
          mode: 'async',
          writeRate: rate,
          // the lag model's path before the replay: R/2 + F + R/2 + R = C + R (lagModel)
          linkLatency: new Deterministic(lagOf(rate).commit + lagOf(rate).roundTrip),
        },
        { seed: deriveSeed(seed, `lag.${rate}`), duration: simSeconds(rate), warmup: 2 },
      );
      const lag = s.summary.replicas[0].lag;
      const w = s.summary.writeLatency;
      out.push({
        source: 'simulation',
        part: 'lag',
        writeRate: rate,
        level: 'on (async)',
        levelOrder: null,
        replayLag: lag.mean,
        replayLag_lo: null,
        replayLag_hi: null,
        writeLag: null,
        writeLag_lo: null,
        writeLag_hi: null,
        flushLag: null,
        flushLag_lo: null,
        flushLag_hi: null,
        visibleLag: lag.mean,
        visibleLag_lo: null,
        visibleLag_hi: null,
        commitLatency: w.mean,
        commitLatency_lo: null,
        commitLatency_hi: null,
        commitP99: w.p99,
        writes: w.count,
        samples: lag.count,
        probes: null,
        roundTrip: lagOf(rate).roundTrip,
        roundTrip_lo: null,
        roundTrip_hi: null,
        visibleLag_theory: lagOf(rate).model,
        lagModelCommit: lagOf(rate).commit,
        commitLatency_theory: cal.commit,
        commitGapMax: null,
        ...calCols,
        component: 'scalelab replication simulator',
        setupSeconds: null,
        ...component,
      });
    }
    for (const level of p.levels as SynchronousCommitLevel[]) {
      const s = simulateReplication(
        {
          ...base,
          mode: 'sync',
          synchronous_commit: level,
          writeRate: p.levelRate,
          linkLatency: new Deterministic(
            level === 'remote_apply' ? cal.link + (cal.flush + cal.apply) / 2 : cal.link,
          ),
          replicaFlushTime: new Exponential(1 / Math.max(1e-5, cal.flush)),
        },
        { seed: deriveSeed(seed, `level.${level}`), duration: simSeconds(p.levelRate), warmup: 2 },
      );
      const w = s.summary.writeLatency;
      out.push({
        source: 'simulation',
        part: 'commit',
        writeRate: p.levelRate,
        level: level,
        levelOrder: levelOrder(level),
        replayLag: null,
        replayLag_lo: null,
        replayLag_hi: null,
        writeLag: null,
        writeLag_lo: null,
        writeLag_hi: null,
        flushLag: null,
        flushLag_lo: null,
        flushLag_hi: null,
        visibleLag: null,
        visibleLag_lo: null,
        visibleLag_hi: null,
        commitLatency: w.mean,
        commitLatency_lo: null,
        commitLatency_hi: null,
        commitP99: w.p99,
        writes: w.count,
        samples: null,
        probes: null,
        roundTrip: cal.roundTrip,
        roundTrip_lo: null,
        roundTrip_hi: null,
        visibleLag_theory: null,
        lagModelCommit: null,
        commitLatency_theory: levelTheory(level, cal),
        commitGapMax: level === 'remote_apply' ? cal.apply : null,
        ...calCols,
        component: 'scalelab replication simulator',
        setupSeconds: null,
        ...component,
      });
    }
    return out;
  },
  figures: (t: ColumnTable) => {
    const lag = t.filter((d: Record<string, unknown>) => d.part === 'lag');
    const commit = t.filter((d: Record<string, unknown>) => d.part === 'commit');
    const levels = measuredFigure(commit, {
      x: 'levelOrder',
      y: 'commitLatency',
      theory: ['commitLatency_theory'],
      theoryNames: ['model (light load)'],
      title:
        'Real PostgreSQL (◆) vs the calibrated model (○, line): commit latency per synchronous_commit',
      xAxis: { title: 'synchronous_commit' },
      yAxis: { title: 'commit latency (s)', fromZero: true },
    });
    if (levels.layout?.xaxis)
      Object.assign(levels.layout.xaxis, {
        tickmode: 'array',
        tickvals: [0, 1, 2, 3, 4],
        ticktext: [...synchronousCommitLevels],
      });
    return [
      measuredFigure(lag, {
        x: 'writeRate',
        y: 'visibleLag',
        theory: ['visibleLag_theory'],
        theoryNames: ['model: C + R + M/M/1 replay'],
        title:
          'Real PostgreSQL (◆ read-after-write probe) vs the model (○ simulated, line): replica lag vs write rate',
        xAxis: { title: 'write rate (transactions/s)', log: true },
        yAxis: { title: 'lag (s)', fromZero: true },
      }),
      measuredFigure(lag, {
        x: 'writeRate',
        y: 'replayLag',
        theory: ['visibleLag_theory'],
        theoryNames: ['model'],
        title:
          "pg_stat_replication's replay_lag (◆) vs the model: reported at the standby's next reply",
        xAxis: { title: 'write rate (transactions/s)', log: true },
        yAxis: { title: 'replay_lag (s)', fromZero: true },
      }),
      levels,
    ];
  },
});
