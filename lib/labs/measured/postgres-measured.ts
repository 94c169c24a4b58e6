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
 * C = `local`, link d = (remote_write − local)/2, the primary's flush F = local − off (what `off`
 * skips); the replica's fsync F_r that `on` waits for beyond `remote_write` is MEASURED by
 * PostgreSQL in the `on` run: the mean of flush_lag − write_lag over the flush replies
 * (lib/measure/postgres-lag-pairs.ts: the walreceiver replies after writing and again after its
 * fsync, and the walsender times both against one send); the apply A that remote_apply waits for
 * beyond `on` comes from the mechanism, not from remote_apply − on (applyWait: A in
 * [0, a + 2R_1 − R_h], a the replay, R_1 − R_h/2 a cold wake-up as the probe measured it). Beside
 * the commit part it gives the light-load latencies (off C − F, local C, remote_write C + 2d, on
 * C + 2d + F_r, remote_apply C + 2d + F_r + A) and simulated ones with queueing; what it predicts
 * is the ORDER off ≤ local ≤ remote_write ≤ on ≤ remote_apply, on − remote_write equal to the
 * measured F_r, and on and remote_apply equal within noise at this machine's wake-up costs.
 *
 * Beside the lag part it PREDICTS the read-after-write lag from the replication path in PostgreSQL
 * 15's sources (lagModel): the commit's flush wakes the walsender, which sends at once; the
 * walreceiver, woken, writes and replies, flushes all it received in one fsync F_r and wakes the
 * startup process, which replays the commit record (a = 50 µs assumed, an M/M/1 queue at ρ ≤ 0.02)
 * and makes it visible to the probe's next SELECT. Its machine figures come from the same run,
 * nothing fitted to the lag: the two wake-ups and F_r as PostgreSQL's own flush_lag (write_lag, two
 * hops and two wake-ups, plus F_r for the same reply), the probe's later SELECTs' round trip R_h,
 * and its first SELECT's R_1 (a backend woken), below which no probe can see:
 * lag = max(R_1, flush_lag + a + R_h), judged on medians with order-statistic intervals
 * (median-interval.ts). The fifth session took F_r as C − R (C the probe's commit on the primary),
 * which counts the primary's fsync and the commit's scheduler waits instead (1.2-1.5 ms against an
 * on − remote_write of 0.5-0.65 ms on a quiet fast disk); C − R is kept as a reported column
 * (commitMinusRoundTrip), and F_r itself as replicaFsync.
 *
 * pg_stat_replication's replay_lag is timed by the
 * primary's lag tracker (walsender.c LagTrackerWrite at each send, LagTrackerRead at each standby
 * reply): the standby reports its replay position only in its next reply (after its next receive or
 * flush, or every wal_receiver_status_interval = 10 s; in async mode the startup process asks for no
 * reply), so replay_lag is flush_lag plus whatever replay the flush reply missed, and runs close to
 * flush_lag.
 * The simulator gets the same path (linkLatency flush_lag + R_h, applyTime a); for remote_apply, which it
 * acknowledges when applied without the flush PostgreSQL does first, its link carries d + (F_r + A)/2.
 */
import { defineExperiment } from '../../experiment/experiment';
import type { Observation } from '../../experiment/experiment';
import { findPostgres, machine } from '../../measure/components';
import { synchronousCommitLevels } from '../../measure/postgres';
import type { PostgresMeasurement, SynchronousCommitLevel } from '../../measure/postgres';
import { runMeasurement } from '../../measure/run-sync';
import { calibrate, vmCalibration } from './postgres-model';
import type { PgCalibration } from './postgres-model';
import { postgresFigures } from './postgres-figures';
import { lagInputsOf, lagOfFactory, mean, measuredRows } from './postgres-rows';
import type { RowContext } from './postgres-rows';
import { simulatedRows } from './postgres-simulated';
import { medianInterval } from './median-interval';

/** The mean replica fsync of the `on` run (else of every level run), or undefined without pairs. */
function replicaFlushOf(m: PostgresMeasurement): number | undefined {
  const on = m.levels.find((l) => l.level === 'on');
  const samples = on ? on.replicaFsync : m.levels.flatMap((l) => l.replicaFsync);
  return samples.length > 0 ? mean(samples) : undefined;
}

/** The remote_apply run's (else the first level run's) median first-SELECT round trip R_1, s. */
function firstRoundTripOf(m: PostgresMeasurement): number {
  const r = m.levels.find((l) => l.level === 'remote_apply') ?? m.levels[0];
  const x = medianInterval(r.firstRoundTrip.length > 0 ? r.firstRoundTrip : r.roundTrip).median;
  return Number.isFinite(x) ? x : vmCalibration.roundTrip;
}

/** The median of every later-SELECT round trip R_h of the run (lag and commit parts), s; NaN without any. */
function hotRoundTripOf(m: PostgresMeasurement): number {
  return medianInterval([...m.lag, ...m.levels].flatMap((r) => r.hotRoundTrip)).median;
}

export { applyWait, calibrate, lagModel, replayCost, vmCalibration } from './postgres-model';
export type { PgCalibration } from './postgres-model';

export const postgresMeasured = defineExperiment({
  name: 'postgres-measured',
  requires: 'postgresql',
  title:
    'Real PostgreSQL replication vs the model: replica lag vs write rate, commit latency per synchronous_commit',
  description:
    "Debian's postgresql on 127.0.0.1: a primary and a streaming replica (initdb, a replication slot, pg_basebackup -R) in a temp folder of their own, run as the postgres user when root, " +
    'a Poisson write load from pgbench -R (latency from each scheduled start). Part lag (asynchronous): pg_stat_replication write_lag, flush_lag, replay_lag and a read-after-write probe per write rate; ' +
    "part commit (synchronous_standby_names = 'replica1'): commit latency per synchronous_commit level. Rows with source 'measured' from the real servers, 'simulation' from lib/systems/replication " +
    "calibrated from the measured per-level means (commit = local, link = (remote_write - local)/2, flush = local - off, apply = replay + two cold wake-ups 2R_1 - R_h; simulation alone: this VM's values) " +
    "and the replica's fsync F_r measured by PostgreSQL (flush_lag - write_lag of one pg_stat_replication row: the walreceiver's write and flush replies; replicaFsync columns), " +
    "the lag predicted as max(R_1, flush_lag + R_h + replay) (flush_lag = write_lag + F_r per reply; R_1, R_h the probe's first and later SELECT round trips; all from the same run), theory columns from its closed forms. About 30 s.",
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
            // R_1 of the remote_apply run, whose A it gives (applyWait: two cold wake-ups, each
            // R_1 − R_h/2): the median first-SELECT round trip of that run's probes
            firstRoundTripOf(measured),
            // the replica's fsync F_r that `on` waits for beyond remote_write: the mean of
            // flush_lag − write_lag in the `on` run (postgres-lag-pairs.ts), measured, not fitted
            replicaFlushOf(measured),
            // R_h: the median of the whole run's later SELECTs (a remote_apply probe sees its row at once)
            hotRoundTripOf(measured),
          )
        : vmCalibration;
    // the lag model's two machine figures per rate, from the same run (lagInputsOf, lagOfFactory)
    const lagInputs = lagInputsOf(measured);
    const ctx: RowContext = {
      cal: cal,
      lagOf: lagOfFactory(lagInputs, cal),
      lagInputs: lagInputs,
      component: component,
    };
    const out: Observation[] = [];
    if (p.sources.includes('measured'))
      out.push(...measuredRows(measured!, { warmup: p.warmup, duration: p.duration }, ctx));
    if (!p.sources.includes('simulation')) return out;
    out.push(
      ...simulatedRows(
        {
          rates: p.rates,
          levels: p.levels as SynchronousCommitLevel[],
          levelRate: p.levelRate,
          clients: p.clients,
        },
        seed,
        ctx,
      ),
    );
    return out;
  },
  figures: postgresFigures,
});
