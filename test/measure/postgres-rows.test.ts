/**
 * postgres-measured's measured rows from a synthetic measurement (no PostgreSQL): the replica fsync
 * F_r columns (the median of flush_lag − write_lag with its order-statistic interval, its mean with a
 * t interval, the pair count), the lag model max(R_1, flush_lag + a + R_h) from the paired flush_lag
 * and the probes' first and later round trips, its band δ = median(visible) − model with the
 * interval from the three order-statistic intervals, C − R reported beside it, and the commit part's
 * model gap on − remote_write equal to the `on` run's mean measured F_r; the commit rows' medians of
 * the per-transaction latencies with their order-statistic intervals, and remote_apply's range top
 * a + 2R_1 − R_h from that run's R_1 interval and the run's R_h.
 */
import type { PgLoadResult, PostgresMeasurement } from '../../lib/measure/postgres';
import { medianInterval } from '../../lib/labs/measured/median-interval';
import { applyWait, calibrate, lagModel, replayCost } from '../../lib/labs/measured/postgres-model';
import {
  ceilingQuantile,
  belowLagCeiling,
  belowLagFloor,
  lagBandOf,
} from '../../lib/labs/measured/postgres-lag-band';
import { quantileUpperBound } from '../../lib/labs/measured/quantile-bound';
import { lagInputsOf, lagOfFactory, measuredRows } from '../../lib/labs/measured/postgres-rows';

/** A run whose lag samples give the fsync differences `fsync` (write_lag 0.1 ms each). */
function runOf(o: {
  fsync: number[];
  visible: number[];
  commit: number;
  roundTrip: number;
  first?: number;
}): PgLoadResult {
  const rows = o.fsync.map((f) => ({ write: 0.0001, flush: 0.0001 + f, replay: 0.0001 + f }));
  return {
    latency: Array.from({ length: 50 }, (_, i) => o.commit + 1e-5 * i),
    scheduleLag: Array.from({ length: 50 }, () => 0),
    at: Array.from({ length: 50 }, (_, i) => 0.3 + (i * 1.7) / 50),
    writeLag: rows.map((r) => r.write),
    flushLag: rows.map((r) => r.flush),
    replayLag: rows.map((r) => r.replay),
    lagSamples: rows,
    replicaFsync: o.fsync,
    visible: o.visible,
    probeCommit: o.visible.map(() => o.commit),
    roundTrip: o.visible.map(() => o.roundTrip),
    firstRoundTrip: o.visible.map((_, i) => (o.first ?? o.roundTrip) + 1e-6 * i),
    hotRoundTrip: o.visible.map(() => o.roundTrip),
    wallSeconds: 2,
    loadAverage: 1,
  };
}

const fsync = Array.from({ length: 21 }, (_, i) => 0.0005 + 0.0001 * i); // median 1.5 ms
const visible = Array.from({ length: 16 }, (_, i) => 0.001 + 0.0002 * i);
const m: PostgresMeasurement = {
  version: '15.18',
  setupSeconds: 1,
  lag: [{ rate: 25, ...runOf({ fsync: fsync, visible: visible, commit: 0.004, roundTrip: 4e-5 }) }],
  levels: (['remote_write', 'on'] as const).map((level) => ({
    level: level,
    rate: 50,
    ...runOf({
      fsync: fsync,
      visible: visible,
      commit: level === 'on' ? 0.006 : 0.004,
      roundTrip: 4e-5,
    }),
  })),
};

describe('postgres-measured rows with the measured replica fsync', () => {
  const cal = calibrate({ remote_write: 0.004, local: 0.004, on: 0.006 }, 4e-5, 0.0015);
  const lagInputs = lagInputsOf(m);
  const rows = measuredRows(
    m,
    { warmup: 0.3, duration: 2 },
    {
      cal: cal,
      lagOf: lagOfFactory(lagInputs, cal),
      lagInputs: lagInputs,
      component: { machine: 'test' },
    },
  );
  const lag = rows.find((r) => r.part === 'lag')!;
  test('the lag row carries F_r as a median with its order-statistic interval, its mean, and C − R for comparison', () => {
    const F = medianInterval(fsync);
    expect(lag.replicaFsync).toBeCloseTo(0.0015, 12);
    expect(lag.replicaFsync_lo).toBe(F.lo);
    expect(lag.replicaFsync_hi).toBe(F.hi);
    expect(lag.replicaFsyncCoverage).toBe(F.coverage);
    expect(lag.replicaFsyncPairs).toBe(21);
    expect(lag.replicaFsyncMean).toBeCloseTo(0.0015, 12);
    expect(lag.replicaFsyncMean_lo as number).toBeLessThan(0.0015);
    expect(lag.commitMinusRoundTrip).toBeCloseTo(0.004 - 4e-5, 12);
  });
  test('the lag model is max(R_1, flush_lag + a + R_h) from the run, and δ = median(visible) − model with the three intervals combined', () => {
    const FL = medianInterval(fsync.map((f) => 0.0001 + f)); // flush_lag = write_lag + F_r per reply
    const R1 = medianInterval(visible.map((_, i) => 4e-5 + 1e-6 * i));
    const model = lagModel(25, {
      flushLag: FL.median,
      hotRoundTrip: 4e-5,
      firstRoundTrip: R1.median,
    });
    expect(lag.visibleLag_theory).toBeCloseTo(model, 12);
    expect(lag.lagModelFsync).toBeCloseTo(0.0015, 12);
    expect(lag.lagModelFlushLag).toBeCloseTo(0.0016, 12);
    expect(lag.lagModelFlushLag_lo).toBe(FL.lo);
    expect(lag.lagModelWriteLag).toBeCloseTo(0.0001, 12);
    expect(lag.firstRoundTripMedian).toBeCloseTo(R1.median, 12);
    expect(lag.hotRoundTripMedian).toBeCloseTo(4e-5, 12);
    const V = medianInterval(visible);
    const at = (fl: number, r1: number) =>
      lagModel(25, { flushLag: fl, hotRoundTrip: 4e-5, firstRoundTrip: r1 });
    expect(lag.lagDelta).toBeCloseTo(V.median - model, 12);
    expect(lag.lagDelta_lo).toBeCloseTo(V.lo! - at(FL.hi!, R1.hi!), 12);
    expect(lag.lagDelta_hi).toBeCloseTo(V.hi! - at(FL.lo!, R1.lo!), 12);
    expect(lag.lagDeltaCoverage).toBeCloseTo(V.coverage! + FL.coverage! + R1.coverage! - 2, 12);
    expect(lag.lagRobust).toBe(true);
  });
  test('the lag row carries the replication path floor and ceiling (postgres-lag-band.ts) with their coverages', () => {
    const band = lagBandOf(
      {
        fsync: fsync,
        flushLag: fsync.map((f) => 0.0001 + f),
        writeLagMedian: 0.0001,
        firstRoundTrip: visible.map((_, i) => 4e-5 + 1e-6 * i),
        hotRoundTrip: visible.map(() => 4e-5),
      },
      replayCost,
    );
    // floor: the median F_r's lower bound x_(7) of 21 (P(Bin(21, 1/2) ≥ 7) = 0.961; 0.5 + 0.6 = 1.1 ms)
    // + a − w; ceiling: the flush_lag's 2^(−1/3)-quantile bound + a + 2 R_h + w
    expect(band.floor).toBeCloseTo(0.0011 + replayCost - 0.00005, 12);
    const up = quantileUpperBound(
      fsync.map((f) => 0.0001 + f),
      ceilingQuantile,
    );
    expect(band.ceiling).toBeCloseTo(up.value + replayCost + 2 * 4e-5 + 0.00005, 12);
    expect(lag.visibleLagFloor).toBeCloseTo(band.floor, 12);
    expect(lag.visibleLagCeiling).toBeCloseTo(band.ceiling, 12);
    expect(lag.visibleLagFloorCoverage).toBeCloseTo(band.floorCoverage, 12);
    expect(lag.visibleLagCeilingCoverage).toBeCloseTo(band.ceilingCoverage, 12);
    expect(lag.visibleLagMedianCoverage).toBeCloseTo(medianInterval(visible).coverage!, 12);
  });
  test('the ceiling fails a lag that grew beyond the flush; a lag below the fsync is flagged under the floor', () => {
    const band = lagInputsOf(m).get(25)!.band;
    // the synthetic visible lags (1.0-4.0 ms) are below the ceiling and not below the floor
    expect(belowLagCeiling(medianInterval(visible), band)).toBe(true);
    expect(belowLagFloor(medianInterval(visible), band)).toBe(false);
    // a replay queue behind the flush (lab 06's startup process near saturation): 10x the lag
    const queued = visible.map((v) => 10 * v);
    expect(belowLagCeiling(medianInterval(queued), band)).toBe(false);
    // a probe that saw its row before the replica's fsync of ~1.5 ms could have finished: its clock
    // started late (reported, not failed)
    const tooEarly = visible.map((v) => v / 10);
    expect(belowLagFloor(medianInterval(tooEarly), band)).toBe(true);
    expect(belowLagCeiling(medianInterval(tooEarly), band)).toBe(true);
  });
  test('a probe whose first SELECT already sees the row: the model is R_1, its floor', () => {
    const slow: PostgresMeasurement = {
      ...m,
      lag: [
        {
          rate: 25,
          ...runOf({
            fsync: fsync,
            visible: visible,
            commit: 0.004,
            roundTrip: 4e-5,
            first: 0.005,
          }),
        },
      ],
    };
    const li = lagInputsOf(slow);
    const p = lagOfFactory(li, cal)(25);
    expect(p.model).toBeCloseTo(li.get(25)!.firstRoundTrip.median, 12);
  });
  test("the commit rows' model gap on − remote_write is the calibrated (measured) F_r", () => {
    const on = rows.find((r) => r.level === 'on')!;
    const rw = rows.find((r) => r.level === 'remote_write')!;
    expect((on.commitLatency_theory as number) - (rw.commitLatency_theory as number)).toBeCloseTo(
      0.0015,
      12,
    );
    expect(on.replicaFsyncPairs).toBe(21);
    expect(on.replicaFlushCal).toBe(0.0015);
  });
  test('without flush pairs the lag band is absent (null), so the check fails it rather than passing it', () => {
    const bare: PostgresMeasurement = {
      ...m,
      lag: [
        { rate: 25, ...runOf({ fsync: [], visible: visible, commit: 0.004, roundTrip: 4e-5 }) },
      ],
    };
    const li = lagInputsOf(bare);
    const r = measuredRows(
      bare,
      { warmup: 0.3, duration: 2 },
      {
        cal: cal,
        lagOf: lagOfFactory(li, cal),
        lagInputs: li,
        component: { machine: 'test' },
      },
    ).find((x) => x.part === 'lag')!;
    expect(r.replicaFsync).toBeNull();
    expect(r.lagDelta_lo).toBeNull();
  });
  test("the commit rows carry the median latency with its order-statistic interval, and remote_apply's range top from its own run's R_1", () => {
    const withApply: PostgresMeasurement = {
      ...m,
      levels: [
        ...m.levels,
        {
          level: 'remote_apply',
          rate: 50,
          ...runOf({ fsync: fsync, visible: visible, commit: 0.007, roundTrip: 4e-5, first: 3e-4 }),
          primaryWalSync: { count: 100, seconds: 0.2 },
        },
      ],
    };
    const li = lagInputsOf(withApply);
    const rs = measuredRows(
      withApply,
      { warmup: 0.3, duration: 2 },
      { cal: cal, lagOf: lagOfFactory(li, cal), lagInputs: li, component: { machine: 'test' } },
    );
    const ra = rs.find((r) => r.level === 'remote_apply')!;
    const L = medianInterval(Array.from({ length: 50 }, (_, i) => 0.007 + 1e-5 * i));
    expect(ra.commitLatencyMedian).toBeCloseTo(L.median, 12);
    expect(ra.commitLatencyMedian_lo).toBe(L.lo);
    expect(ra.commitLatencyMedian_hi).toBe(L.hi);
    expect(ra.commitLatencyMedianCoverage).toBe(L.coverage);
    const R1 = medianInterval(visible.map((_, i) => 3e-4 + 1e-6 * i));
    expect(ra.firstRoundTripMedian).toBeCloseTo(R1.median, 12);
    expect(ra.firstRoundTripMedian_hi).toBe(R1.hi);
    expect(ra.hotRoundTripMedian).toBeCloseTo(4e-5, 12);
    expect(ra.commitGapMax_hi).toBeCloseTo(applyWait(R1.hi!, 4e-5), 12);
    // the primary's mean fsync from pg_stat_wal (reported): wal_sync_time / wal_sync
    expect(ra.primaryFsyncMean).toBeCloseTo(0.002, 12);
    expect(ra.primaryFsyncs).toBe(100);
    expect(rs.find((r) => r.level === 'on')!.primaryFsyncMean).toBeNull();
    // the other levels have no range top; the lag rows have no commit medians
    expect(rs.find((r) => r.level === 'on')!.commitGapMax_hi).toBeNull();
    expect(rs.find((r) => r.part === 'lag')!.commitLatencyMedian).toBeNull();
  });
});
