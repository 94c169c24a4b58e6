// ---
// jupyter:
//   jupytext:
//     text_representation:
//       extension: .ts
//       format_name: percent
//       format_version: '1.3'
//       jupytext_version: 1.16.4
//   kernelspec:
//     display_name: TypeScript (scalelab)
//     language: typescript
//     name: tslab
// ---

// %% [markdown]
// # 06 · Replication lag
//
// **The question.** You add read replicas to a database. How far behind the primary are they, and what
// decides it? What happens during a burst of writes? How often does a read on a replica return old data, and
// what does it cost to guarantee that users see their own writes? How far do replicas scale reads? And when
// the primary dies, which acknowledged writes are gone, in each replication mode?
//
// **The model** (`lib/systems/replication`, on the simulation kernel). One primary and R replicas, each a
// station with `servers` connections. A write commits on the primary, gets the next position in the
// binlog/WAL, and is shipped to every replica over a link (in order, as one TCP stream: latency d, optional
// bandwidth). A replica appends it to its relay log and **applies** it on an apply thread (single-threaded by
// default, as PostgreSQL's startup process; `replica_parallel_workers` for MySQL-style parallel apply with
// commit order preserved), strictly in commit order. Modes, with the real knobs:
//
// - **async** (the default of both products): the commit returns at once.
// - **MySQL semisync**: the commit waits for `rpl_semi_sync_source_wait_for_replica_count` (1) replicas to
//   acknowledge having the event in their relay log; after `rpl_semi_sync_source_timeout` (10000 ms;
//   `rpl_semi_sync_master_timeout` before 8.0.26) it **falls back to async**, and returns to semisync when a
//   replica catches up. `rpl_semi_sync_source_wait_point` says *where* it waits: AFTER_SYNC (the default since
//   5.7) before the storage-engine commit, so no other session sees the write until a replica has it;
//   AFTER_COMMIT after it, so other sessions read it at once. With `rpl_semi_sync_source_wait_no_replica` = OFF
//   the source switches to async the moment too few replicas are connected, instead of waiting out the timeout.
// - **PostgreSQL sync**: `synchronous_standby_names = FIRST n (…)` (the n highest-priority standbys) or
//   `ANY n (…)` (any n), and `synchronous_commit` = `remote_write` (standby received), `on` (flushed, the
//   default) or `remote_apply` (replayed). With too few standbys, commits **block**: no fallback. A waiting
//   commit is not yet visible to other sessions. `synchronous_commit = off` goes the other way: the commit
//   returns before even the local WAL flush, which the WAL writer does every `wal_writer_delay` (200 ms).
// - Each replica can have its own link latency (`linkLatency: [far, near]`).
//
// The **replay lag** of a write on a replica is (applied time − commit time), what PostgreSQL shows as
// `pg_stat_replication.replay_lag`. The lag sampled at time t is given two ways: the **true lag**, t − (commit
// time of the oldest write the replica has not applied, on the wire or in its relay log), or the count of
// unapplied transactions; and **`Seconds_Behind_Source` as MySQL computes it**: whole seconds since the commit of
// the event being applied, and **0 whenever the applier has applied its whole relay log**, however much is still on
// the wire (NULL when the replica is disconnected with nothing left to apply). Section 2 shows where they part.
//
// **The closed form.** Writes commit as a Poisson stream of rate λ (the output of a stable M/M/c primary is
// Poisson: Burke's theorem), cross the link (d), and queue for an apply thread of rate μ. So the replay lag is
// **d + the M/M/1 sojourn**: mean d + 1/(μ − λ), and P(lag > τ) = e^(−(μ − λ)(τ − d)). Above μ there is no
// steady state: the backlog grows at λ − μ transactions per second.
//
// Assumptions worth doubting: apply times are independent of each other (real ones depend on the
// transaction: a big batch update applies for seconds), the apply thread does not compete with replica reads
// for CPU or I/O, and failover is instantaneous once decided.

// %% [markdown]
// ## Parameters
//
// Change them here, or rerun from a terminal:
// `npx scalelab notebooks run notebooks/06-replication-lag.ipynb --param applyRate=400`.

// %% tags=["parameters"]
const applyRate: number = 200; // μ: transactions/s one apply thread replays
const writeRate: number = 100; // λ outside the burst, writes/s
const burstRate: number = 300; // writes/s during the burst
const burstDuration: number = 30; // seconds
const linkLatency: number = 0.001; // d: one-way primary -> replica latency, seconds (same zone)
const wanLatency: number = 0.005; // d for the write-latency comparison (another zone)
const seed: number = 1;
const measureNow: boolean = false; // true: a short real-PostgreSQL measurement when no stored result exists

// %%
import {
  show,
  figure,
  line,
  markers,
  findExperiment,
  replication,
  measured,
  Simulation,
  Exponential,
} from 'scalelab';
const runOptions = { seed: seed };
const rowsOf = (t: any): any[] => t.objects();

// %% [markdown]
// ## 1. Lag through a write burst
//
// The primary takes `burstRate` writes/s for `burstDuration` seconds, above what the apply thread replays.
// The lines are the mean over replications with a 95% band, and the **fluid model**: the backlog grows at
// λ_burst − μ during the burst and drains at μ − λ after it. In seconds, the solid line is the true lag (age of the
// oldest unapplied write) and the dotted one MySQL's `Seconds_Behind_Source` (whole seconds, 0 when the applier is
// idle), sampled on the same instants.

// %%
const lagExperiment = findExperiment('replication-lag');
const burstParams = {
  writeRate: writeRate,
  burstRate: burstRate,
  burstDuration: burstDuration,
  applyRate: applyRate,
  linkLatency: linkLatency,
};
const burst = await lagExperiment.run(burstParams, runOptions);
const [burstTx, burstSeconds] = lagExperiment.figures(burst, lagExperiment.resolve(burstParams));
show(burstTx);
show(burstSeconds);
const burstRows = rowsOf(burst);
const peak = burstRows.reduce((a, r) => (r.lagTransactions > a.lagTransactions ? r : a));
const burstEnd = 30 + burstDuration;
const drained = burstRows.find((r) => r.t > burstEnd && r.lagTransactions < 10);
console.log(
  `peak lag: ${peak.lagTransactions.toFixed(0)} transactions [${peak.lagTransactions_lo.toFixed(0)}, ${peak.lagTransactions_hi.toFixed(0)}] at t = ${peak.t} s (fluid: ${peak.lagTransactions_fluid.toFixed(0)})`,
);
const peakSeconds = burstRows.reduce((a, r) => (r.lagSeconds > a.lagSeconds ? r : a));
console.log(
  `peak seconds behind: ${peakSeconds.lagSeconds.toFixed(1)} s at t = ${peakSeconds.t} s (fluid: ${peakSeconds.lagSeconds_fluid.toFixed(1)} s)`,
);
console.log(
  `each replication's own peak lag, averaged (peakLag): ${burstRows[0].peakLag.toFixed(2)} s [${burstRows[0].peakLag_lo.toFixed(2)}, ${burstRows[0].peakLag_hi.toFixed(2)}] (fluid: ${burstRows[0].peakLag_fluid.toFixed(1)} s)`,
);
console.log(
  `seconds behind at the end of the burst: ${burstRows.find((r) => r.t === burstEnd).lagSeconds.toFixed(1)} s; back under 10 transactions at t = ${drained ? drained.t : 'never'} s`,
);
const peakSbs = burstRows.reduce((a, r) => (r.secondsBehindSource > a.secondsBehindSource ? r : a));
const calm = burstRows.filter((r) => r.t >= 5 && r.t < 30);
const calmSbs = calm.reduce((a, r) => a + r.secondsBehindSource, 0) / calm.length;
const calmTrue = calm.reduce((a, r) => a + r.lagSeconds, 0) / calm.length;
console.log(
  `peak Seconds_Behind_Source: ${peakSbs.secondsBehindSource.toFixed(1)} s at t = ${peakSbs.t} s; before the burst it averages ${calmSbs.toFixed(2)} s against a true lag of ${(1000 * calmTrue).toFixed(1)} ms`,
);

// %% [markdown]
// While writes outpace the apply thread the lag grows in a straight line, and it keeps growing in
// **seconds** after the burst has ended: the replica is still replaying burst-time writes while wall-clock time
// passes. Draining takes backlog/(μ − λ): the closer the normal write rate is to the apply capacity, the longer a
// short burst haunts the replica. A dashboard that shows lag in seconds peaks *after* the burst, not during it.
// Each replication's own peak (`peakLag`, ten replications) is 14.8 s [14.2, 15.3], within ±4 % (this experiment
// states ±5 %), against the fluid model's 15 s. The 1 s samples outside the burst have no useful relative
// precision: there the lag is a few milliseconds or 0.
// Here the link is fast, so the relay log holds everything and `Seconds_Behind_Source` follows the true lag
// through the burst, to within its whole-second resolution. Outside the burst it is a coin toss between 0 (the
// applier idle) and 1 (a transaction from the previous second being applied, the samples falling on whole
// seconds), while the true lag is a few milliseconds: the reported figure says nothing below a second.
//
// ## 2. The lag MySQL reports, and what ProxySQL routes on
//
// `Seconds_Behind_Source` only looks at the relay log. When the **receiver** is the bottleneck (a slow or
// saturated link) the applier keeps up with what has arrived, so it reads 0 most of the time while the replica
// falls further and further behind. Below: 150 writes/s of 1 kB over a 100 kB/s link (the relay log fills at 100/s),
// an applier of 1000 tx/s, sampled every 0.513 s.

// %%
const slow = replication.simulateReplication(
  {
    replicas: 1,
    writeRate: 150,
    writeBytes: 1000,
    linkBandwidth: 100000,
    applyTime: new Exponential(1000),
    sampleInterval: 0.513,
  },
  { seed: seed, duration: 40 },
);
show(
  figure(
    [
      line(slow.series.t, slow.series.seconds[0], { name: 'true lag' }),
      line(slow.series.t, slow.series.secondsBehindSource[0], {
        name: 'Seconds_Behind_Source',
        dash: 'dot',
      }),
    ],
    {
      title: 'A link slower than the writes: true lag vs Seconds_Behind_Source',
      x: { title: 'time (s)' },
      y: { title: 'seconds behind' },
    },
  ),
);
const slowSbs = slow.series.secondsBehindSource[0];
const zeroShare = slowSbs.filter((v) => v === 0).length / slowSbs.length;
console.log(
  `true lag at 40 s: ${slow.series.seconds[0][slow.series.seconds[0].length - 1].toFixed(1)} s; Seconds_Behind_Source was 0 in ${(100 * zeroShare).toFixed(0)} % of the samples (the applier idle: 1 − 100/1000 = 90 %)`,
);

// %% [markdown]
// ProxySQL's `max_replication_lag` reads exactly this number, and not continuously: every
// `mysql-monitor_replication_lag_interval` (default 10000 ms) its monitor runs `SHOW SLAVE STATUS` on each replica,
// shuns a replica whose `Seconds_Behind_Master` exceeds the limit (`mysql-monitor_replication_lag_count` = 1 reading),
// and puts it back ONLINE at the first reading under it. Between checks the last verdict stands. Two replicas,
// 150 writes/s, 300 reads/s, `max_replication_lag = 1`; replica 2 is down from 5 s to 15.5 s and comes back about
// 1,600 transactions (10 s) behind. Reads per second sent to replica 2, checks every 10 s and every 1 s:

// %%
const proxyRun = (interval: number) => {
  const sim = new Simulation({ seed: seed });
  const cluster = new replication.ReplicationCluster(sim, {
    replicas: 2,
    writeRate: 150,
    readRate: 300,
    sessions: 20,
    keys: 100,
    applyTime: new Exponential(200),
    max_replication_lag: 1,
    'mysql-monitor_replication_lag_interval': interval,
    replicaCrashes: [{ replica: 2, at: 5, duration: 10.5 }],
  });
  const t: number[] = [],
    reads: number[] = [],
    stale: number[] = [],
    lag: number[] = [],
    sbs: number[] = [];
  let lastReads = 0,
    lastStale = 0;
  for (let s = 1; s <= 60; s++) {
    sim.run({ until: s });
    const a = cluster.stations[2].arrivals,
      st = cluster.summary().staleReads;
    t.push(s);
    reads.push(a - lastReads);
    stale.push(st - lastStale);
    lastReads = a;
    lastStale = st;
    lag.push(cluster.lagNow(2).seconds);
    sbs.push(cluster.lagNow(2).secondsBehindSource);
  }
  return {
    interval: interval,
    t: t,
    reads: reads,
    stale: stale,
    lag: lag,
    sbs: sbs,
    summary: cluster.summary(),
  };
};
const proxy = [10000, 1000].map(proxyRun);
show(
  figure(
    proxy.map((r) =>
      line(r.t, r.reads, { name: `reads/s to replica 2, checks every ${r.interval / 1000} s` }),
    ),
    {
      title: 'ProxySQL routing on Seconds_Behind_Master, replica 2 down 5-15.5 s',
      x: { title: 'time (s)' },
      y: { title: 'reads per second to replica 2' },
    },
  ),
);
show(
  figure(
    [
      line(proxy[0].t, proxy[0].lag, { name: 'true lag' }),
      line(proxy[0].t, proxy[0].sbs, { name: 'Seconds_Behind_Source', dash: 'dot' }),
    ],
    {
      title: 'Replica 2: lag',
      x: { title: 'time (s)' },
      y: { title: 'seconds behind' },
    },
  ),
);
const behind = (r: any) =>
  r.t.reduce(
    (acc: number, x: number, i: number) => (x > 15.5 && r.lag[i] > 1 ? acc + r.reads[i] : acc),
    0,
  );
show({
  markdown: [
    '| lag check interval | reads to replica 2 while it was > 1 s behind | stale reads (all replicas, 60 s) | times shunned |',
    '|---:|---:|---:|---:|',
  ]
    .concat(
      proxy.map(
        (r) =>
          `| ${r.interval / 1000} s | ${behind(r)} | ${r.summary.staleReads} | ${r.summary.lagShuns} |`,
      ),
    )
    .join('\n'),
});

// %% [markdown]
// With the default 10 s interval the check at 10 s finds replica 2 down and the next is at 20 s, so for four and a
// half seconds after it comes back it takes its full share of reads while ten seconds behind: stale reads by the
// hundred. Checking every second closes that window to half a second. The verdict also lags on the way back: a caught-up
// replica waits for the next check before it gets reads again. A lag limit in ProxySQL is a limit on what the
// monitor last *read*, not on the lag.
//
// ## 3. Lag vs write rate: the knee at the apply capacity
//
// Replay lag of every applied write, steady state, at increasing write rates. Lines: d + the M/M/1 sojourn
// (mean, median −ln(0.5)/(μ − λ) + d, p99 −ln(0.01)/(μ − λ) + d); points: simulation with 95% CIs. The dotted line
// is μ.

// %%
const rateExperiment = findExperiment('replication-lag-vs-write-rate');
const rateParams = { applyRate: applyRate, linkLatency: linkLatency };
const rates = await rateExperiment.run(rateParams, runOptions);
show(rateExperiment.figures(rates, rateExperiment.resolve(rateParams))[0]);
show(
  rates.select(
    'writeRate',
    'rho',
    'lagMean',
    'lagMean_lo',
    'lagMean_hi',
    'lagMean_theory',
    'lagP99',
    'lagP99_theory',
    'overloaded',
  ),
);

// %% [markdown]
// The lag is a queueing delay, so it has the knee of every queue: a few milliseconds up to half the apply
// capacity, ten times that at 95%, and no steady state above it (the last points, open crosses, are flagged
// overloaded by the run itself: the replica's backlog grew without bound, so they only measure how long the run was). Near μ the simulated points sit a little under the curves: each run starts with an empty queue,
// and at ρ = 0.95 the queue takes tens of seconds to forget that, so a two-minute run under-samples the
// long excursions that make the mean (the intervals widen for the same reason). The p99 is 4.6 times the mean sojourn: alert thresholds on replica lag should be set on the tail.
// Read replicas do not help here: **every replica replays every write**, so adding replicas never raises the
// write rate a replica can follow; only a faster apply (parallel workers, fewer indexes, smaller transactions)
// does.
//
// ## 4. What synchronous replication costs each write
//
// Write latency (client to acknowledgement) at `writeRate` writes/s, with the replicas `wanLatency` away.
// Theory: commit time on the primary (M/M/c), plus one round trip 2d for `remote_write`, plus the replica's
// flush F for semisync and `on`, plus the replica's apply sojourn for `remote_apply`.

// %%
const latencyExperiment = findExperiment('replication-write-latency');
const latencyParams = { writeRate: writeRate, linkLatency: wanLatency, applyRate: applyRate };
const latency = await latencyExperiment.run(latencyParams, runOptions);
show(latencyExperiment.figures(latency, latencyExperiment.resolve(latencyParams))[0]);
show(
  latency.select(
    'mode',
    'writeLatencyMean',
    'writeLatencyMean_lo',
    'writeLatencyMean_hi',
    'writeLatencyMean_theory',
    'writeLatencyP99',
  ),
);

// %% [markdown]
// Semisync and `synchronous_commit = on` cost exactly one round trip plus a flush per commit, whatever the
// load on the primary; `remote_apply` adds the replica's whole apply queue, including its tail, to every
// commit. Within a zone (d ≈ 0.5 ms) that is cheap; across regions (d ≈ 30 ms) it caps a single session at a
// few dozen commits per second.
//
// ### FIRST 1 or ANY 1: which standby a commit waits for
//
// Two standbys, each on its own link: a near one (1 ms) and a far one listed first in
// `synchronous_standby_names` (0 to 50 ms). `FIRST 1 (far, near)` waits for the highest-priority standby that is
// streaming, the far one; `ANY 1 (far, near)` for whichever answers first; MySQL semisync counts any
// acknowledgement. Lines: commit + 2·d + F with the far d for FIRST 1 and the near d for the others.

// %%
const quorumExperiment = findExperiment('replication-sync-quorum');
const quorum = await quorumExperiment.run({ duration: 10 }, runOptions);
show(quorumExperiment.figures(quorum, quorumExperiment.resolve({ duration: 10 }))[0]);
show(
  quorum.select(
    'quorum',
    'farLatency',
    'writeLatencyMean',
    'writeLatencyMean_lo',
    'writeLatencyMean_hi',
    'writeLatencyMean_theory',
  ),
);

// %% [markdown]
// With equal links the two are the same; with a far standby first, FIRST 1 pays its round trip on every commit
// (102 ms at 50 ms away) while ANY 1 stays at the near standby's 4 ms. ANY 1 still guarantees that one standby
// has every acknowledged commit, only not which one, so failover must pick the most advanced standby.
//
// ### When the replica is down: MySQL falls back, PostgreSQL blocks
//
// One replica, 20 writes/s; the replica crashes at t = 10 s and comes back at t = 40 s. Cumulative
// acknowledged writes over time, for async, MySQL semisync (with `rpl_semi_sync_source_wait_no_replica` ON, the
// default, and OFF) and PostgreSQL sync (FIRST 1, `on`).

// %%
const modes = ['async', 'semisync', 'semisync, wait_no_replica OFF', 'sync'];
const outage = modes.map((mode) => {
  const sim = new Simulation({ seed: seed });
  const config = mode.startsWith('semisync')
    ? { mode: 'semisync' as const, rpl_semi_sync_source_wait_no_replica: mode === 'semisync' }
    : { mode: mode as 'async' | 'sync' };
  const cluster = new replication.ReplicationCluster(sim, {
    replicas: 1,
    ...config,
    writeRate: 20,
    replicaCrashes: [{ replica: 1, at: 10, duration: 30 }],
  });
  const t: number[] = [];
  const acked: number[] = [];
  for (let s = 0; s <= 60; s += 0.5) {
    sim.run({ until: s });
    t.push(s);
    acked.push(cluster.summary().writesAcknowledged);
  }
  return {
    mode: mode,
    t: t,
    acked: acked,
    timeouts: cluster.summary().semiSyncTimeouts,
    p99: cluster.summary().writeLatency.p99,
  };
});
show(
  figure(
    outage.map((o) =>
      line(o.t, o.acked, { name: o.mode, dash: o.mode === 'async' ? 'dot' : undefined }),
    ),
    {
      title: 'Acknowledged writes while the only replica is down (t = 10 to 40 s)',
      x: { title: 'time (s)' },
      y: { title: 'writes acknowledged' },
    },
  ),
);
console.log(
  outage
    .map((o) => `${o.mode}: semisync timeouts ${o.timeouts}, write p99 ${o.p99.toFixed(3)} s`)
    .join('\n'),
);

// %% [markdown]
// Semisync stalls for `rpl_semi_sync_source_timeout` (10 s), then every waiting commit returns at once and
// the source runs asynchronously (and silently unprotected) until the replica is back and caught up.
// With `rpl_semi_sync_source_wait_no_replica = OFF` the source switches to async the moment the replica disconnects
// (its line lies on async's): no commit stalls (no timeout is counted), and the protection is gone just as silently. PostgreSQL keeps its promise instead: no commit returns while no synchronous standby is connected, so the
// writes pile up for 30 s and all return when the standby is back. Run two synchronous standbys with
// `FIRST 1` (or `ANY 1`) to survive one.
//
// ## 5. Stale reads, and what read-your-writes costs
//
// Reads on replicas, with the same Zipf popularity as writes (hot keys are written often and read often). A
// read is stale when its key has a committed write the replica has not applied. For Poisson writes and an
// M/M/1 apply queue this has an exact form: the key's last write has age A ~ Exp(λ·p_k), its lag L = d +
// Exp(μ − λ) is independent of A, and P(stale) = Σ_k p_k (1 − e^(−λ p_k d) (μ − λ)/(μ − λ + λ p_k)).

// %%
const staleExperiment = findExperiment('replication-stale-reads');
const staleParams = { applyRate: applyRate, linkLatency: linkLatency };
const stale = await staleExperiment.run(staleParams, runOptions);
show(staleExperiment.figures(stale, staleExperiment.resolve(staleParams))[0]);
show(
  stale.select(
    'writeRate',
    'lagMean',
    'lagMean_theory',
    'staleReadRate',
    'staleReadRate_lo',
    'staleReadRate_hi',
    'staleReadRate_theory',
    'stalenessMean',
  ),
);

// %% [markdown]
// Stale reads grow with the lag, and faster than linearly on skewed keys: the hot keys are the ones most
// likely to have a write in flight. A typical stale read is stale by about the mean lag.
//
// Now sessions that read after they write. Four routings: plain replica reads; **pin-primary** (after a write,
// the session reads from the primary for `rywWindow` seconds); **wait-for-apply** (read on a replica but only
// once it has applied the session's last write, as with MySQL `WAIT_FOR_EXECUTED_GTID_SET` or a PostgreSQL
// LSN check); all reads on the primary.

// %%
const rywExperiment = findExperiment('replication-read-your-writes');
const rywParams = { applyRate: applyRate };
const ryw = await rywExperiment.run(rywParams, runOptions);
show(rywExperiment.figures(ryw, rywExperiment.resolve(rywParams)));
show(
  ryw.select(
    'routing',
    'rywViolationRate',
    'primaryReadShare',
    'readLatencyMean',
    'readLatencyP99',
  ),
);

// %% [markdown]
// Both fixes remove the violations, and they charge for it differently: pinning sends a share of the reads
// back to the primary (the share grows with the window and with how often sessions write: it eats the scale-out
// you bought the replicas for), waiting keeps reads on the replicas but adds the lag to the reads that follow a
// write (see the p99).
//
// ## 6. How far replicas scale reads
//
// Closed clients: users think, then send a request; a fraction f are writes (to the primary), the rest
// reads (round robin over the replicas; with no replica, to the primary). Lines: exact MVA and the
// asymptotic bound; the dotted line is where the **primary saturates on writes**: X ≤ c/(f·S_w), so reads
// can never exceed (1 − f)·c/(f·S_w), however many replicas.

// %%
const scalingExperiment = findExperiment('replication-read-scaling');
const scaling = await scalingExperiment.run({}, runOptions);
show(scalingExperiment.figures(scaling, scalingExperiment.resolve({}))[0]);
show(
  scaling.select(
    'replicas',
    'readThroughput',
    'readThroughput_lo',
    'readThroughput_hi',
    'readThroughput_theory',
    'readThroughput_bound',
    'readLatencyMean',
  ),
);

// %% [markdown]
// Each replica adds its read capacity until the writes saturate the primary; past that, extra replicas only
// shorten read latency. In a closed system the users stuck waiting on writes are not sending reads, so the
// primary's write capacity caps the whole mix. The fix is on the write side: a faster primary, fewer writes
// per request, or sharding.
//
// ## 7. Writes lost at failover
//
// The primary crashes; after the detection delay the most up-to-date replica replays its relay log and is
// promoted. The writes it never received are gone. Theory: about λ·d writes are on the wire at any time; in
// async mode they had already been acknowledged, with semisync and PostgreSQL sync they had not. Other sessions
// read on the primary meanwhile (500 reads/s over the same 20 Zipf keys as the writes, 200 writes/s), and the third
// figure counts the lost writes one of those reads had returned.

// %%
const lossExperiment = findExperiment('replication-failover-loss');
const loss = await lossExperiment.run({}, runOptions);
const [lostAcked, lostUnacked, lostSeen] = lossExperiment.figures(loss, lossExperiment.resolve({}));
show(lostAcked);
show(lostUnacked);
show(lostSeen);
show(
  loss.select(
    'mode',
    'linkLatency',
    'lostAcknowledged',
    'lostAcknowledged_lo',
    'lostAcknowledged_hi',
    'lostAcknowledged_theory',
    'lostUnacknowledged',
    'lostSeen',
    'lostSeen_lo',
    'lostSeen_hi',
  ),
);

// %% [markdown]
// The same writes are lost in every mode (the runs share their random numbers): what the mode changes is
// whether anyone had been told, or shown, that they existed. Async told the client. Semisync at
// `rpl_semi_sync_source_wait_point = AFTER_COMMIT` did not tell the client, but had already committed in the storage
// engine, so **other sessions read writes that the failover then took back** (about 4 per failover at d = 50 ms,
// 4.1 [3.6, 4.7], against none at AFTER_SYNC): the phantom read AFTER_SYNC, the default since MySQL 5.7,
// exists to prevent. (48 replications, one failover each: the lost writes are 0.81 [0.58, 1.13], 4.2
// [3.5, 5.0] and 9.7 [8.8, 10.6] at d = 5, 20 and 50 ms, against λ·d = 1, 4 and 10, within ±40 %. The
// writes read and then lost are 1.3 [1.0, 1.7] at 20 ms, ±28 %, and about 0.1 at 5 ms, fewer than 0.5. A
// count that is zero by construction, an acknowledged write lost under semisync or sync or a lost write
// read under AFTER_SYNC or PostgreSQL sync, reads 0 [0, 0.08]: no replication saw one.)
// PostgreSQL sync behaves as AFTER_SYNC, since a waiting commit is not visible yet. Here the replicas receive
// everything but the last d seconds; with a lagging **receiver** (a slow link, a saturated network) the async window
// is the whole receive lag, and with semisync after a timeout fallback it is unprotected too.
//
// ### PostgreSQL synchronous_commit = off: losing commits without any replica
//
// With `synchronous_commit = off` the commit returns before its WAL reaches the primary's own disk; the WAL writer
// flushes every `wal_writer_delay` (200 ms), and only flushed WAL goes to the standbys. A crash loses the
// acknowledged commits since the last flush: λ × (time since the flush), on average λ·wal_writer_delay/2 (the
// PostgreSQL manual bounds it at three times wal_writer_delay, because a busy WAL writer flushes whole pages only;
// this model flushes everything at each wake-up). Twenty crashes spread over the flush cycle, 200 writes/s:

// %%
const offRuns = Array.from({ length: 20 }, (_, i) => {
  const sinceFlush = 0.005 + 0.01 * i; // the WAL writer flushes at 0.2 s, 0.4 s, ..., 2.0 s
  const run = replication.simulateReplication(
    {
      replicas: 1,
      mode: 'async',
      synchronous_commit: 'off',
      writeRate: 200,
      applyTime: new Exponential(1000),
      primaryCrashAt: 2 + sinceFlush,
      detectionDelay: 0.5,
    },
    { seed: seed + i, duration: 3 },
  );
  return {
    sinceFlush: sinceFlush,
    lost: run.summary.lostUnflushed,
    lostAtFailover: run.summary.lostAcknowledged,
  };
});
show(
  figure(
    [
      markers(
        offRuns.map((r) => 1000 * r.sinceFlush),
        offRuns.map((r) => r.lost),
        { name: 'simulation: acknowledged commits not yet flushed' },
      ),
      line([0, 200], [0, 200 * 0.2], {
        name: 'theory λ × time since the last flush',
        dash: 'dash',
      }),
    ],
    {
      title: 'synchronous_commit = off: commits lost at a crash',
      x: { title: 'time since the last WAL writer flush at the crash (ms)' },
      y: { title: 'acknowledged commits lost', fromZero: true },
    },
  ),
);
const offMean = offRuns.reduce((a, r) => a + r.lost, 0) / offRuns.length;
const lagOn = replication.simulateReplication(
  { replicas: 1, writeRate: 200, applyTime: new Exponential(1000) },
  { seed: seed, duration: 10, warmup: 1 },
).summary.lag.mean;
const lagOff = replication.simulateReplication(
  { replicas: 1, writeRate: 200, synchronous_commit: 'off', applyTime: new Exponential(1000) },
  { seed: seed, duration: 10, warmup: 1 },
).summary.lag.mean;
console.log(
  `mean lost per crash: ${offMean.toFixed(1)} (theory λ·delay/2 = 20); the most: ${Math.max(...offRuns.map((r) => r.lost))} (the documented bound 3 × 200 ms × 200/s = 120)`,
);
console.log(
  `replay lag: ${(1000 * lagOn).toFixed(1)} ms with synchronous_commit = on, ${(1000 * lagOff).toFixed(0)} ms with off (a write waits for the next flush before it is sent)`,
);

// %% [markdown]
// The loss grows in a straight line with the time since the last flush (each point is a Poisson count around
// the line), to about λ·wal_writer_delay = 40 commits just before the next flush, and every one of them had been acknowledged: `off` trades a window of acknowledged
// writes for not waiting on the local flush. It is also invisible to a replica-based safety net: the standbys
// get nothing that has not been flushed, so promoting one loses the same commits and more, and the replay lag
// gains about half a wal_writer_delay.

// %% [markdown]
// ## 8. Measured beside modelled: real PostgreSQL streaming replication
//
// Everything above is a model. Here the same questions go to Debian's **PostgreSQL** (`apt-get install -y
// postgresql`), set up by the experiment `postgres-measured` in a temp folder of its own: a primary made by
// `initdb`, a physical replication slot, a replica made by `pg_basebackup -R -S replica1`, both listening on
// 127.0.0.1 on ports checked free (run as the `postgres` user when the machine runs as root, as PostgreSQL
// refuses root), and removed at the end whatever happens. `pgbench -R` sends Poisson write transactions (a
// one-row INSERT each), each latency counted from its *scheduled* start. Two parts:
//
// - **lag** (asynchronous), at 25, 100 and 400 writes/s: `pg_stat_replication`'s `write_lag`, `flush_lag`,
//   `replay_lag` sampled every 50 ms, and a **read-after-write probe** every 100 ms (INSERT on the primary,
//   then SELECT on the replica until the row is there: the lag a user sees);
// - **commit**, with `synchronous_standby_names = 'replica1'`, at 50 writes/s: the commit latency at each
//   `synchronous_commit` level.
//
// The model is `lib/systems/replication`. Beside the **commit part** it is calibrated from that part's means
// (stated, not hidden): commit time C = `local`, link d = (remote_write − local)/2, the primary's flush
// F = local − off (what `off` skips). What `on` waits for beyond `remote_write` is the **replica's** fsync F_r,
// and that one PostgreSQL measures itself: the walreceiver answers each batch of WAL twice, once after writing
// it and once after its fsync (`XLogWalRcvFlush` → `issue_xlog_fsync`, then `XLogWalRcvSendReply`, walreceiver.c),
// and the walsender times both replies against the same send (`LagTrackerWrite`/`LagTrackerRead`, walsender.c).
// So in one `pg_stat_replication` row, **flush_lag − write_lag is F_r**, on the same disk, under the same load, at
// the same moment; the hops cancel. A `remote_write` commit is released at the write reply and an `on` commit at
// the flush reply (syncrep.c), the very interval that difference times, so the model's gap on − remote_write is
// the mean of flush_lag − write_lag over the `on` run's flush replies (the latencies are means), nothing fitted.
// What the model claims is the **order** off ≤ local ≤ remote_write ≤ on ≤ remote_apply, and that step. The
// apply A that `remote_apply` waits for beyond `on` is not fitted either: the walreceiver's flush wakes the startup
// process (`WakeupRecovery`), which replays the commit record and, since only a `remote_apply` commit asks for
// apply feedback (`XactCompletionApplyFeedback` → `WalRcvForceReply`, xact.c and xlogrecovery.c), wakes the
// walreceiver to send one more reply: A is between 0 (the flush reply already carried the replay) and the replay
// plus two wake-ups of processes that sleep between commits, the startup process and then the walreceiver. A
// woken process is what the probe's first SELECT measures (below): each such wake-up with its hop costs R_1 − R_h/2,
// so A ≤ a + 2R_1 − R_h, under a millisecond here, and the two levels are equal within noise.
//
// Beside the **lag part** the model is a **prediction** from the replication path, with machine figures
// measured in the same run and nothing fitted to the lag: the commit's flush wakes the walsender, which sends
// at once (`WalSndWakeupProcessRequests` in xlog.c); the walreceiver, woken by the data, writes it, replies, and
// flushes everything it received in **one** fsync F_r, so the flush is a delay, not a queue; the startup process,
// woken, replays the row (a = 50 µs assumed) and the probe's next SELECT sees it. Two wake-ups and F_r: that is
// the path PostgreSQL's own `flush_lag` times (`write_lag`, two hops and two wake-ups, plus F_r for the same
// reply), so **lag = flush_lag + a + R_h**, with flush_lag the median over the run's flush replies and R_h the
// round trip of the probe's SELECTs after its first (a backend already awake). The probe's *first* SELECT,
// sent the moment the commit returns, wakes a backend that slept since the last probe and takes R_1 (0.3-0.5 ms
// on this VM when it is idle, against R_h = 0.04 ms): when the row is already visible to it, R_1 is what the
// probe sees, so the model is **max(R_1, flush_lag + a + R_h)**. (Counting each wake-up as half the probe's
// median round trip instead, F_r + 2R + a, counted that woken backend twice on an idle VM; and the fifth
// session's F_r = C − R, C the probe's commit on the primary, took the primary's fsync and, under load, the
// commit's waits for a core, 1.2-1.5 ms where on − remote_write was 0.5-0.65 ms on a quiet fast disk; the table
// keeps C − R beside the measured F_r.) That point model cancels the walsender's and the startup process's
// wake-ups against the client's and is right to about one wake-up on an idle VM, so CI judges the path's
// **ceiling** instead, which cancels nothing: the row is visible within flush_lag + a + w of the send (w half a
// write_lag: one hop and one wake-up as PostgreSQL timed them), and the probe's SELECT loop sees it within two
// round trips R_h (the one in flight may have taken its snapshot just before), so the lag is at most
// **max(R_1, flush_lag + a + 2R_h) + w**, each time taken at a 95 % upper bound of its 0.79-quantile (the three
// are slowed together by a busy core, so all three stay below those quantiles at least half the time, and the
// median lag below the ceiling). The table's `visibleLagCeiling` is that bound and `visibleLagFloor`
// (max(R_1, F_r + a) − w, at lower bounds of the medians) the floor a clock started at the send would obey.
//
// The cell shows the latest `npx scalelab run postgres-measured` (data/results/); with none it says how to
// make one (or, with `measureNow = true`, measures about 20 s now); without PostgreSQL it names the package.

// %%
const pgMeasured = await measured.measuredForNotebook(
  'postgres-measured',
  measureNow ? { rates: [50, 200], levelRate: 50, duration: 1 } : null,
  { seed: seed },
);
show({ markdown: pgMeasured.note });
if (pgMeasured.table) {
  const pgExp = findExperiment('postgres-measured');
  for (const f of pgExp.figures(pgMeasured.table, pgExp.resolve({}))) show(f);
  // a result written before a column existed shows the columns it has
  const have = new Set(pgMeasured.table.columnNames());
  const columns = [
    'source',
    'part',
    'writeRate',
    'level',
    'visibleLag',
    'visibleLagMedian',
    'visibleLagMedian_lo',
    'visibleLagMedian_hi',
    'replayLag',
    'flushLag',
    'writeLag',
    'visibleLag_theory',
    'visibleLagCeiling',
    'visibleLagFloor',
    'replicaFsync',
    'replicaFsync_lo',
    'replicaFsync_hi',
    'commitMinusRoundTrip',
    'replicaFsyncMean',
    'replicaFsyncMean_lo',
    'replicaFsyncMean_hi',
    'lagModelFlushLag',
    'firstRoundTripMedian',
    'hotRoundTripMedian',
    'commitLatency',
    'commitLatency_lo',
    'commitLatency_hi',
    'commitLatency_theory',
    'commitLatencyMedian',
    'commitLatencyMedian_lo',
    'commitLatencyMedian_hi',
    'commitGapMax',
    'commitP99',
  ];
  show(pgMeasured.table.select(columns.filter((c) => have.has(c))));
}

// %% [markdown]
// How to read it (the numbers are from `npx scalelab run postgres-measured` with its defaults when this section
// was last revised, PostgreSQL 15.18 on a 2-vCPU VM at a load average of 5.5 from a CI run on the same two cores;
// the next run moves them by milliseconds, see below):
// - **The lag part**: the probes' median lag was 0.85, 2.77 and 2.86 ms at 25, 100 and 400 writes/s (means 1.69,
//   3.61 and 3.86 ms), under the path's ceilings of 6.88, 21.3 and 15.7 ms, as CI requires. The point model
//   max(R_1, flush_lag + a + R_h) said 4.17, 5.03 and 1.94 ms: flush_lag 3.81, 3.89 and 1.52 ms (of it the replica's
//   fsync F_r = flush_lag − write_lag 3.65, 3.73 and 1.12 ms, where C − R would have said 3.26, 2.66 and 1.90 ms),
//   R_1 0.55, 0.76 and 0.81 ms, R_h 0.31, 1.09 and 0.37 ms. At a load of 5.5 the model is off by up to 3 ms either
//   way: at 25 writes/s the probes saw their rows in 0.85 ms, below the replica's fsync (the floor, 2.58 ms, lies
//   above the median's interval [0.78, 2.55] ms), which a clock started at the walsender's send could not show,
//   since the startup process replays only WAL the walreceiver has flushed (`WaitForWALToBecomeAvailable` reads
//   below `flushedUpto`, xlogrecovery.c). The probe's clock starts when its client reads the commit's reply, and
//   on a loaded VM that client's own wake-up can take longer than the replica's fsync: which is why the floor is
//   printed and only the ceiling gates. The lag does not grow with the rate the way one fsync per write would
//   (unstable above 1/F): the walreceiver flushes everything it received in one fsync, and what moves it is the
//   disk (its median fsync was 3.7 ms at 100 writes/s and 1.1 ms at 400 a few seconds later).
// - **`replay_lag` is not the lag a reader sees**: 2.34, 4.09 and 2.68 ms here (means). The primary's lag tracker
//   (walsender.c `LagTrackerWrite` at each send, `LagTrackerRead` at each standby reply) times an LSN from
//   its send to the first reply that reports it replayed, and an asynchronous standby reports its replay
//   position only in its next reply: after its next receive or flush, or every `wal_receiver_status_interval`
//   (10 s). `flush_lag` (2.27, 4.02 and 1.97 ms) is the trip plus the fsync; `replay_lag` runs just above it.
// - **The commit part**: off 0.63 ms, local 3.64 ms, remote_write 4.04 ms, on 6.26 ms, remote_apply 6.77 ms
//   (means; medians 0.50, 2.97, 3.37, 6.21 and 6.44 ms). local − off (3.02 ms, the primary's fsync) exceeds the
//   two half-widths (0.70 ms), so that step is checked as strict, and holds. Every level but `off` waits for the
//   primary's own flush first, and each level is a sub-run of its own while the disk moves, so the next two steps
//   are taken less the two sub-runs' mean primary fsync (pg_stat_wal: 2.33, 3.05 and 2.19 ms in the `local`,
//   `remote_write` and `on` runs). remote_write − local is then −0.32 ± 2.00 ms, equal within noise (the model's
//   gap, a hop each way, is 0.40 ms). on − remote_write is 3.08 ± 2.01 ms, and the replica's fsync measured in the
//   `on` run is 4.14 ms on average (interval 3.45-4.82 ms, median 3.87 ms): the intervals meet, where C − R said
//   5.80 ms, and since the fsync's lower end (3.45 ms) exceeds the two half-widths (2.01 ms) the step is checked as
//   strict too, which it is. `remote_apply` − `on` is judged on medians less the
//   two runs' own median fsyncs (3.77 and 3.87 ms): 6.44 − 6.21 − (3.77 − 3.87) = 0.33 ms, interval −1.39 to
//   3.20 ms, which meets the model's range [0, a + 2R_1 − R_h] = [0, 0.95] ms (R_1 0.55 ms in that run, R_h
//   0.20 ms); PostgreSQL's own timing of that apply, replay_lag − flush_lag, had a median of 0.10 ms. Which steps
//   count as strict is decided per run, from the model's gap (for `on`, the measured fsync's lower end) and the
//   measured intervals.
// - **`synchronous_commit = off` moves the wait to the reader**: the probe's row reached the replica 166 ms
//   after its commit returned, against 2.9 ms at `local`: the WAL writer flushes every `wal_writer_delay`
//   (200 ms) and only flushed WAL is sent, as section 7's model says (about half a wal_writer_delay more lag).
//
// **What a noisy two-core VM does to these numbers.** Every millisecond here is made of process wake-ups and
// fsyncs on a virtual disk shared with everything else on the machine. The fsyncs move with the other writers
// on the disk: fifteen runs of the same defaults within twenty minutes gave `local` from 0.8 to 8.4 ms and the
// replica's median fsync from 0.2 to 4.0 ms. That is why the model takes its machine figures from the same run,
// and F_r from PostgreSQL itself (a reply after the write, another after the fsync, timed by the primary) rather
// than from the commit part's differences or the probe's own commit on the primary. `scripts/ci/measured-check.ts`
// judges the lag on **medians** (a stalled fsync moves a median by one order statistic, whatever its size): the
// lower end of the probes' median interval (the sign test's, Conover 1999 §3.2: for 16 probes the 4th of them,
// 97.9 % two-sided) must reach below the path's ceiling, whose three times are one-sided 95 % upper bounds of
// their quantiles from the same run. It judges `remote_apply` − `on` on medians too, of pgbench's
// per-transaction latencies, less the two sub-runs' own median F_r (the disk moves between sub-runs a few
// seconds apart), against [0, a + 2R_1 − R_h] with R_1 from the `remote_apply` run's own probes. It fails CI if
// the replica did not stream or was not probed, if a rate's lag is above its ceiling (which holds that rate's own
// flush_lag, so a lag that grows with the rate beyond the flush fails there), or if the commit order, the
// on − remote_write gap or the remote_apply range fails; it prints the floor, the point model and the ratio of
// the highest rate's lag to the lowest's, and skips the lag band when the load average is above 10 per core.

// %% [markdown]
// ## What to take away
//
// 1. Replica lag is a queueing delay: d + 1/(μ − λ) with one apply thread. Keep the write rate well under the
//    apply capacity; above it the lag grows at λ − μ per second and drains at μ − λ after the burst.
// 2. Every replica replays every write: replicas scale reads, never writes, and read scale-out stops where the
//    primary saturates on writes.
// 3. Synchronous modes cost one round trip (+ flush, + apply for `remote_apply`) per commit, to the standby the
//    quorum names: FIRST 1 waits for the first-listed one however far it is, ANY 1 for the fastest. MySQL semisync
//    gives up after 10 s (at once with `rpl_semi_sync_source_wait_no_replica = OFF`) and silently runs async;
//    PostgreSQL sync blocks instead.
// 4. `Seconds_Behind_Source` is not the lag: it counts only what is in the relay log, in whole seconds, and reads 0
//    whenever the applier is idle, even with minutes of writes on the wire. ProxySQL's `max_replication_lag` acts on
//    that number as read at its last check (every 10 s by default), so a replica can serve stale reads for a whole
//    interval after falling behind.
// 5. Stale reads follow the lag, worst on hot keys; read-your-writes costs either primary load (pinning) or read
//    latency (waiting for apply).
// 6. At failover, async loses the acknowledged writes inside the window the replicas had not received;
//    semisync and sync lose none that were acknowledged, and at AFTER_SYNC none that anyone had read; at
//    AFTER_COMMIT other sessions may have read what is lost. `synchronous_commit = off` loses up to a
//    wal_writer_delay of acknowledged commits at any crash, replicas or not.
//
// ## Exercises
//
// - Set `applyRate = 400` (a faster replica or parallel apply): where does the knee move, and how long does the
//   same burst take to drain?
// - Set `burstRate = 250` and `burstDuration = 60`: the peak halves, but the drain time?
// - Set `wanLatency = 0.03` (cross-region): what does each synchronous mode cost per commit now?
// - Rerun section 2 with `'mysql-monitor_replication_lag_count': 3`, or with `linkBandwidth` on the two-replica
//   cluster: how many stale reads get through ProxySQL now?
// - In section 7 set `wal_writer_delay: 1000`: how many acknowledged commits does a crash lose on average?
// - With the library directly: `replication.simulateReplication({ replicas: 2, writeRate: 150, replica_parallel_workers: 4, keys: 10, applyTime: ... }, { duration: 60 })`
//   — how much does parallel apply buy when all writes hit 10 hot keys?
