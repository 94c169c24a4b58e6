// Source of notebooks/06-replication-lag.ipynb: edit here, then `npm run notebooks:build`.
const { md, code, notebook } = require('../notebook-json.js');

module.exports = notebook([
md(`# 06 · Replication lag

**The question.** You add read replicas to a database. How far behind the primary are they, and what
decides it? What happens during a burst of writes? How often does a read on a replica return old data, and
what does it cost to guarantee that users see their own writes? How far do replicas scale reads? And when
the primary dies, which acknowledged writes are gone, in each replication mode?

**The model** (\`lib/systems/replication\`, on the simulation kernel). One primary and R replicas, each a
station with \`servers\` connections. A write commits on the primary, gets the next position in the
binlog/WAL, and is shipped to every replica over a link (in order, as one TCP stream: latency d, optional
bandwidth). A replica appends it to its relay log and **applies** it on an apply thread (single-threaded by
default, as PostgreSQL's startup process; \`replica_parallel_workers\` for MySQL-style parallel apply with
commit order preserved), strictly in commit order. Modes, with the real knobs:

- **async** (the default of both products): the commit returns at once.
- **MySQL semisync**: the commit waits for \`rpl_semi_sync_source_wait_for_replica_count\` (1) replicas to
  acknowledge having the event in their relay log (wait point AFTER_SYNC); after
  \`rpl_semi_sync_source_timeout\` (10000 ms; \`rpl_semi_sync_master_timeout\` before 8.0.26) it **falls back
  to async**, and returns to semisync when a replica catches up.
- **PostgreSQL sync**: \`synchronous_standby_names = FIRST n (…)\` or \`ANY n (…)\`, and
  \`synchronous_commit\` = \`remote_write\` (standby received), \`on\` (flushed, the default) or
  \`remote_apply\` (replayed). With too few standbys, commits **block**: no fallback.

The **replay lag** of a write on a replica is (applied time − commit time), what PostgreSQL shows as
\`pg_stat_replication.replay_lag\`; the sampled lag at time t is t − (commit time of the oldest unapplied write),
as MySQL's \`Seconds_Behind_Source\`, or the count of unapplied transactions.

**The closed form.** Writes commit as a Poisson stream of rate λ (the output of a stable M/M/c primary is
Poisson: Burke's theorem), cross the link (d), and queue for an apply thread of rate μ. So the replay lag is
**d + the M/M/1 sojourn**: mean d + 1/(μ − λ), and P(lag > τ) = e^(−(μ − λ)(τ − d)). Above μ there is no
steady state: the backlog grows at λ − μ transactions per second.

Assumptions worth doubting: apply times are independent of each other (real ones depend on the
transaction: a big batch update applies for seconds), the apply thread does not compete with replica reads
for CPU or I/O, and failover is instantaneous once decided.`),
md(`## Parameters

Change them here, or rerun from a terminal:
\`npx scalelab notebooks run notebooks/06-replication-lag.ipynb --param applyRate=400\`.`),
code(`const applyRate: number = 200;        // μ: transactions/s one apply thread replays
const writeRate: number = 100;        // λ outside the burst, writes/s
const burstRate: number = 300;        // writes/s during the burst
const burstDuration: number = 30;     // seconds
const linkLatency: number = 0.001;    // d: one-way primary -> replica latency, seconds (same zone)
const wanLatency: number = 0.005;     // d for the write-latency comparison (another zone)
const seed: number = 1;`, ['parameters']),
code(`import { show, figure, line, findExperiment, replication, Simulation } from 'scalelab';
const runOptions = { seed: seed };
const rowsOf = (t: any): any[] => t.objects();`),
md(`## 1. Lag through a write burst

The primary takes \`burstRate\` writes/s for \`burstDuration\` seconds, above what the apply thread replays.
The lines are the mean over replications with a 95% band, and the **fluid model**: the backlog grows at
λ_burst − μ during the burst and drains at μ − λ after it; the seconds-behind curve is the age of the
oldest unapplied write.`),
code(`const lagExperiment = findExperiment('replication-lag');
const burstParams = { writeRate: writeRate, burstRate: burstRate, burstDuration: burstDuration, applyRate: applyRate, linkLatency: linkLatency };
const burst = await lagExperiment.run(burstParams, runOptions);
const [burstTx, burstSeconds] = lagExperiment.figures(burst, lagExperiment.resolve(burstParams));
show(burstTx);
show(burstSeconds);
const burstRows = rowsOf(burst);
const peak = burstRows.reduce((a, r) => (r.lagTransactions > a.lagTransactions ? r : a));
const burstEnd = 30 + burstDuration;
const drained = burstRows.find((r) => r.t > burstEnd && r.lagTransactions < 10);
console.log(\`peak lag: \${peak.lagTransactions.toFixed(0)} transactions [\${peak.lagTransactions_lo.toFixed(0)}, \${peak.lagTransactions_hi.toFixed(0)}] at t = \${peak.t} s (fluid: \${peak.lagTransactions_fluid.toFixed(0)})\`);
const peakSeconds = burstRows.reduce((a, r) => (r.lagSeconds > a.lagSeconds ? r : a));
console.log(\`peak seconds behind: \${peakSeconds.lagSeconds.toFixed(1)} s at t = \${peakSeconds.t} s (fluid: \${peakSeconds.lagSeconds_fluid.toFixed(1)} s)\`);
console.log(\`seconds behind at the end of the burst: \${burstRows.find((r) => r.t === burstEnd).lagSeconds.toFixed(1)} s; back under 10 transactions at t = \${drained ? drained.t : 'never'} s\`);`),
md(`While writes outpace the apply thread the lag grows in a straight line, and it keeps growing in
**seconds** after the burst has ended: the replica is still replaying burst-time writes while wall-clock time
passes. Draining takes backlog/(μ − λ): the closer the normal write rate is to the apply capacity, the longer a
short burst haunts the replica. A dashboard that shows lag in seconds peaks *after* the burst, not during it.

## 2. Lag vs write rate: the knee at the apply capacity

Replay lag of every applied write, steady state, at increasing write rates. Lines: d + the M/M/1 sojourn
(mean, median −ln(0.5)/(μ − λ) + d, p99 −ln(0.01)/(μ − λ) + d); points: simulation with 95% CIs. The dotted line
is μ.`),
code(`const rateExperiment = findExperiment('replication-lag-vs-write-rate');
const rateParams = { applyRate: applyRate, linkLatency: linkLatency };
const rates = await rateExperiment.run(rateParams, runOptions);
show(rateExperiment.figures(rates, rateExperiment.resolve(rateParams))[0]);
show(rates.select('writeRate', 'rho', 'lagMean', 'lagMean_lo', 'lagMean_hi', 'lagMean_theory', 'lagP99', 'lagP99_theory'));`),
md(`The lag is a queueing delay, so it has the knee of every queue: a few milliseconds up to half the apply
capacity, ten times that at 95%, and no steady state above it (the last points only measure how long the
run was). Near μ the simulated points sit a little under the curves: each run starts with an empty queue,
and at ρ = 0.95 the queue takes tens of seconds to forget that, so a two-minute run under-samples the
long excursions that make the mean (the intervals widen for the same reason). The p99 is 4.6 times the mean sojourn: alert thresholds on replica lag should be set on the tail.
Read replicas do not help here: **every replica replays every write**, so adding replicas never raises the
write rate a replica can follow; only a faster apply (parallel workers, fewer indexes, smaller transactions)
does.

## 3. What synchronous replication costs each write

Write latency (client to acknowledgement) at \`writeRate\` writes/s, with the replicas \`wanLatency\` away.
Theory: commit time on the primary (M/M/c), plus one round trip 2d for \`remote_write\`, plus the replica's
flush F for semisync and \`on\`, plus the replica's apply sojourn for \`remote_apply\`.`),
code(`const latencyExperiment = findExperiment('replication-write-latency');
const latencyParams = { writeRate: writeRate, linkLatency: wanLatency, applyRate: applyRate };
const latency = await latencyExperiment.run(latencyParams, runOptions);
show(latencyExperiment.figures(latency, latencyExperiment.resolve(latencyParams))[0]);
show(latency.select('mode', 'writeLatencyMean', 'writeLatencyMean_lo', 'writeLatencyMean_hi', 'writeLatencyMean_theory', 'writeLatencyP99'));`),
md(`Semisync and \`synchronous_commit = on\` cost exactly one round trip plus a flush per commit, whatever the
load on the primary; \`remote_apply\` adds the replica's whole apply queue, including its tail, to every
commit. Within a zone (d ≈ 0.5 ms) that is cheap; across regions (d ≈ 30 ms) it caps a single session at a
few dozen commits per second.

### When the replica is down: MySQL falls back, PostgreSQL blocks

One replica, 20 writes/s; the replica crashes at t = 10 s and comes back at t = 40 s. Cumulative
acknowledged writes over time, for async, MySQL semisync and PostgreSQL sync (FIRST 1, \`on\`).`),
code(`const modes: Array<'async' | 'semisync' | 'sync'> = ['async', 'semisync', 'sync'];
const outage = modes.map((mode) => {
  const sim = new Simulation({ seed: seed });
  const cluster = new replication.ReplicationCluster(sim, { replicas: 1, mode: mode, writeRate: 20, replicaCrashes: [{ replica: 1, at: 10, duration: 30 }] });
  const t: number[] = [];
  const acked: number[] = [];
  for (let s = 0; s <= 60; s += 0.5) {
    sim.run({ until: s });
    t.push(s);
    acked.push(cluster.summary().writesAcknowledged);
  }
  return { mode: mode, t: t, acked: acked, timeouts: cluster.summary().semiSyncTimeouts, p99: cluster.summary().writeLatency.p99 };
});
show(figure(outage.map((o) => line(o.t, o.acked, { name: o.mode })), {
  title: 'Acknowledged writes while the only replica is down (t = 10 to 40 s)',
  x: { title: 'time (s)' }, y: { title: 'writes acknowledged' },
}));
console.log(outage.map((o) => \`\${o.mode}: semisync timeouts \${o.timeouts}, write p99 \${o.p99.toFixed(3)} s\`).join('\\n'));`),
md(`Semisync stalls for \`rpl_semi_sync_source_timeout\` (10 s), then every waiting commit returns at once and
the source runs asynchronously (and silently unprotected) until the replica is back and caught up.
PostgreSQL keeps its promise instead: no commit returns while no synchronous standby is connected, so the
writes pile up for 30 s and all return when the standby is back. Run two synchronous standbys with
\`FIRST 1\` (or \`ANY 1\`) to survive one.

## 4. Stale reads, and what read-your-writes costs

Reads on replicas, with the same Zipf popularity as writes (hot keys are written often and read often). A
read is stale when its key has a committed write the replica has not applied. For Poisson writes and an
M/M/1 apply queue this has an exact form: the key's last write has age A ~ Exp(λ·p_k), its lag L = d +
Exp(μ − λ) is independent of A, and P(stale) = Σ_k p_k (1 − e^(−λ p_k d) (μ − λ)/(μ − λ + λ p_k)).`),
code(`const staleExperiment = findExperiment('replication-stale-reads');
const staleParams = { applyRate: applyRate, linkLatency: linkLatency };
const stale = await staleExperiment.run(staleParams, runOptions);
show(staleExperiment.figures(stale, staleExperiment.resolve(staleParams))[0]);
show(stale.select('writeRate', 'lagMean', 'lagMean_theory', 'staleReadRate', 'staleReadRate_lo', 'staleReadRate_hi', 'staleReadRate_theory', 'stalenessMean'));`),
md(`Stale reads grow with the lag, and faster than linearly on skewed keys: the hot keys are the ones most
likely to have a write in flight. A typical stale read is stale by about the mean lag.

Now sessions that read after they write. Four routings: plain replica reads; **pin-primary** (after a write,
the session reads from the primary for \`rywWindow\` seconds); **wait-for-apply** (read on a replica but only
once it has applied the session's last write, as with MySQL \`WAIT_FOR_EXECUTED_GTID_SET\` or a PostgreSQL
LSN check); all reads on the primary.`),
code(`const rywExperiment = findExperiment('replication-read-your-writes');
const rywParams = { applyRate: applyRate };
const ryw = await rywExperiment.run(rywParams, runOptions);
show(rywExperiment.figures(ryw, rywExperiment.resolve(rywParams)));
show(ryw.select('routing', 'rywViolationRate', 'primaryReadShare', 'readLatencyMean', 'readLatencyP99'));`),
md(`Both fixes remove the violations, and they charge for it differently: pinning sends a share of the reads
back to the primary (the share grows with the window and with how often sessions write: it eats the scale-out
you bought the replicas for), waiting keeps reads on the replicas but adds the lag to the reads that follow a
write (see the p99).

## 5. How far replicas scale reads

Closed clients: users think, then send a request; a fraction f are writes (to the primary), the rest
reads (round robin over the replicas; with no replica, to the primary). Lines: exact MVA and the
asymptotic bound; the dotted line is where the **primary saturates on writes**: X ≤ c/(f·S_w), so reads
can never exceed (1 − f)·c/(f·S_w), however many replicas.`),
code(`const scalingExperiment = findExperiment('replication-read-scaling');
const scaling = await scalingExperiment.run({}, runOptions);
show(scalingExperiment.figures(scaling, scalingExperiment.resolve({}))[0]);
show(scaling.select('replicas', 'readThroughput', 'readThroughput_lo', 'readThroughput_hi', 'readThroughput_theory', 'readThroughput_bound', 'readLatencyMean'));`),
md(`Each replica adds its read capacity until the writes saturate the primary; past that, extra replicas only
shorten read latency. In a closed system the users stuck waiting on writes are not sending reads, so the
primary's write capacity caps the whole mix. The fix is on the write side: a faster primary, fewer writes
per request, or sharding.

## 6. Writes lost at failover

The primary crashes; after the detection delay the most up-to-date replica replays its relay log and is
promoted. The writes it never received are gone. Theory: about λ·d writes are on the wire at any time; in
async mode they had already been acknowledged, with semisync (AFTER_SYNC) and PostgreSQL sync they had not.`),
code(`const lossExperiment = findExperiment('replication-failover-loss');
const loss = await lossExperiment.run({}, runOptions);
const [lostAcked, lostUnacked] = lossExperiment.figures(loss, lossExperiment.resolve({}));
show(lostAcked);
show(lostUnacked);
show(loss.select('mode', 'linkLatency', 'lostAcknowledged', 'lostAcknowledged_lo', 'lostAcknowledged_hi', 'lostAcknowledged_theory', 'lostUnacknowledged'));`),
md(`The same writes are lost in every mode (the runs share their random numbers): what the mode changes is
whether the client had been told they were safe. Here the replicas receive everything but the last d seconds;
with a lagging **receiver** (a slow link, a saturated network) the async window is the whole receive lag, and
with semisync after a timeout fallback it is unprotected too.

## What to take away

1. Replica lag is a queueing delay: d + 1/(μ − λ) with one apply thread. Keep the write rate well under the
   apply capacity; above it the lag grows at λ − μ per second and drains at μ − λ after the burst.
2. Every replica replays every write: replicas scale reads, never writes, and read scale-out stops where the
   primary saturates on writes.
3. Synchronous modes cost one round trip (+ flush, + apply for \`remote_apply\`) per commit. MySQL semisync
   gives up after 10 s and silently runs async; PostgreSQL sync blocks instead.
4. Stale reads follow the lag, worst on hot keys; read-your-writes costs either primary load (pinning) or read
   latency (waiting for apply).
5. At failover, async loses the acknowledged writes inside the window the replicas had not received;
   semisync (AFTER_SYNC) and sync lose none that were acknowledged.

## Exercises

- Set \`applyRate = 400\` (a faster replica or parallel apply): where does the knee move, and how long does the
  same burst take to drain?
- Set \`burstRate = 250\` and \`burstDuration = 60\`: the peak halves, but the drain time?
- Set \`wanLatency = 0.03\` (cross-region): what does each synchronous mode cost per commit now?
- With the library directly: \`replication.simulateReplication({ replicas: 2, writeRate: 150, replica_parallel_workers: 4, keys: 10, applyTime: ... }, { duration: 60 })\`
  — how much does parallel apply buy when all writes hit 10 hot keys?`),
]);
