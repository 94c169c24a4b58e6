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
// # 10 · Apache Storm: topologies, groupings, parallelism, acking and replay
//
// **The question.** A Storm topology is a graph of spouts (sources) and bolts (processing) joined by streams, each
// subscription with a *stream grouping* that says which task gets each tuple. How do the groupings decide what a
// word count reports? How much throughput does another executor of the slowest bolt buy, and what does
// `topology.max.spout.pending` do to latency? And when a worker dies, what does acking save and what does it cost?
//
// **The model** (`storm` in scalelab, on the simulation kernel; every knob keeps Storm's name and its 2.x default):
//
// - `TopologyBuilder` as in Storm: `setSpout(id, spout, parallelism_hint)`, `setBolt(...)` with `setNumTasks` and
//   `shuffleGrouping`, `fieldsGrouping`, `partialKeyGrouping`, `allGrouping`, `globalGrouping`, `noneGrouping`,
//   `directGrouping`, `localOrShuffleGrouping`; bolts are small TypeScript functions over tuples, so a topology is
//   simulated in time *and* computes its real result (the split bolt really splits, the count bolt really counts);
// - task selection as Storm does it: shuffle is round robin over a random permutation per sending task; fields
//   grouping is `Math.floorMod(Arrays.asList(values).hashCode(), numTasks)` with Java's exact String and List hash
//   codes; partial key picks the less loaded of two tasks drawn by `java.util.Random` seeded from the key; global
//   takes the lowest task id;
// - the cluster: `topology.workers` worker processes on supervisors with 4 slots each; executors (threads) are
//   single-server queues with a bounded receive queue (`topology.executor.receive.buffer.size`, 32768) placed round
//   robin over the workers; a transfer between workers costs one network hop (0.5 ms here), within a worker nothing;
// - reliability: every emitted tuple gets a random 64-bit id; the acker (`topology.acker.executors`, one per worker)
//   keeps the XOR of the ids created and acked in each tuple tree and reports completion exactly when it returns to 0;
//   a tree not complete within `topology.message.timeout.secs` (30) fails, and the reliable spout replays it;
//   `topology.max.spout.pending` caps each spout task's un-acked trees; backpressure stops the spouts while a queue is full;
// - failures from the shared failure process: worker processes die and are restarted by their supervisor, nodes die and
//   Nimbus reassigns their workers after `nimbus.task.timeout.secs`, Nimbus itself can be down, ackers can die.
//
// Assumptions worth doubting: execute latencies are exponential and do not depend on the tuple; a worker's transfer
// thread, serialization and GC are folded into one hop time; one anchor per tuple; acker messages cost 10 µs.

// %% [markdown]
// ## Parameters
//
// Change them here, or rerun from a terminal, e.g.
// `npx scalelab notebooks run notebooks/10-storm-topologies.ipynb --param workExecutors=[1,4,8,16]`.

// %% tags=["parameters"]
const countTasks: number = 12; // count bolt parallelism in the word count
const zipfExponents: number[] = [0, 0.7, 1.4]; // key skew for the groupings experiment
const workExecutors: number[] = [1, 2, 4, 6, 12, 16]; // parallelism hints of the bottleneck bolt
const spoutRate: number = 1000; // spout tuples/s offered in the parallelism experiment
const pendingValues: number[] = [1, 2, 5, 10, 20, 50, 100]; // topology.max.spout.pending values
const workerMttfs: number[] = [300, 100, 30]; // mean seconds between worker deaths
const messageTimeoutSecs: number = 30; // topology.message.timeout.secs
const seed: number = 1;

// %%
import * as aq from 'arquero';
import { show, findExperiment, storm, Exponential, Simulation } from 'scalelab';
const runOptions = { seed: seed };
const wordCount = findExperiment('storm-word-count');
const groupings = findExperiment('storm-groupings');
const parallelism = findExperiment('storm-parallelism');
const pending = findExperiment('storm-max-spout-pending');
const failures = findExperiment('storm-acking-failures');
const timeline = findExperiment('storm-recovery-timeline');

// %% [markdown]
// ## 1. A topology in code, and where its tuples go
//
// The word-count topology of Storm's examples, with the parallelism of our course material: a sentence spout (5
// executors), `split` (8, shuffle grouping from the spout), `count` (12, fields grouping on `word`), 3 workers. The
// spout reads `data/storm/corpus.txt` (public domain: the Gettysburg Address, the first two paragraphs of *A Tale of
// Two Cities*, and the four sentences of Storm's example spout), one sentence a line. Tasks are numbered from 1 in
// sorted component order, as Storm numbers them; the executors go round robin over the workers, ackers first.

// %%
const sentences = storm.loadCorpus();
const topology = storm.wordCountTopology({
  sentences: sentences,
  countParallelism: countTasks,
  splitLatency: Exponential.withMean(0.001),
  countLatency: Exponential.withMean(0.0002),
});
show(
  aq.table({
    component: topology.components.map((c) => c.id),
    executors: topology.components.map((c) => c.parallelism),
    tasks: topology.components.map((c) => topology.tasks[c.id].join(', ')),
    inputs: topology.components.map((c) =>
      c.inputs
        .map((s) => `${s.source} (${s.grouping}${s.fields.length ? ' ' + s.fields.join(',') : ''})`)
        .join('; '),
    ),
  }),
);
const words = ['the', 'nation', 'we', 'dedicate', 'storm'];
show(
  aq.table({
    word: words,
    'String.hashCode': words.map((w) => storm.stringHashCode(w)),
    'List.hashCode([word])': words.map((w) => storm.listHashCode([w])),
    'count task index': words.map((w) => storm.fieldsTaskIndex([w], countTasks)),
    'count task id': words.map((w) => topology.tasks.count[storm.fieldsTaskIndex([w], countTasks)]),
  }),
);

// %% [markdown]
// Every occurrence of a word goes to the task its hash picks, in any worker, at any time. Run the topology until
// every sentence is acked and read the count tasks' maps: the result is the real word count of the corpus.

// %%
const sim = new Simulation({ seed: seed });
const system = new storm.StormSystem(sim, { topology: topology, 'topology.workers': 3 });
sim.run({ until: 10 });
const report = storm.countReport(system.componentStates('count') as Map<string, number>[]);
const top = [...report.merged.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
show(
  aq.table({
    word: top.map((e) => e[0]),
    count: top.map((e) => e[1]),
    'true count': top.map((e) => storm.trueCounts(sentences).get(e[0])),
  }),
);
const summary = system.summary(10);
console.log(
  `${summary.acked} of ${sentences.length} sentences acked, ${summary.failed} failed; complete latency: mean ${(summary.completeLatency.mean * 1000).toFixed(1)} ms, ` +
    `${summary.transfersRemote} transfers between workers and ${summary.transfersLocal} within one`,
);

// %% [markdown]
// ## 2. Word count under fields, shuffle and partial-key grouping (`storm-word-count`)
//
// The same topology with `count` subscribed three ways. Under **fields** grouping each word is on exactly one task
// with its exact count (theory: the corpus's distinct words, and the hottest task's share is the sum of the counts of
// the words Storm's hash puts on it). Under **shuffle** grouping the occurrences of a word are dealt round robin, so a
// word seen *c* times sits on about 12·(1 − (1 − 1/12)^c) tasks (balls into bins): the union of the maps over-reports
// distinct words, each with a partial count — the classic bug. **Partial key** grouping puts each word on at most two
// tasks. Markers: mean and 95% CI over replications; the dash: theory.

// %%
const wcParams = { count: countTasks };
const wcTable = await wordCount.run(wcParams, runOptions);
const [distinctFigure, shareFigure] = wordCount.figures(wcTable, wordCount.resolve(wcParams));
show(distinctFigure);
show(shareFigure);
show(
  wcTable.select(
    'grouping',
    'distinctWordsReported',
    'distinctWordsReported_theory',
    'distinctWordsTrue',
    'totalCount',
    'totalTrue',
    'exactWords',
    'maxTaskShare',
    'maxTaskShare_theory',
  ),
);

// %% [markdown]
// With fields grouping (seed 1, 3 replications) the 12 maps hold **225 entries for the corpus's 225 distinct words**,
// 484 words in all, every count exact, and the hottest task holds 14.3% of the words, exactly the share Storm's hash
// gives it. With shuffle grouping the total is still 484 but the maps hold about 393 entries (theory ≈ 396): only about
// 156 words are whole on one task — the 155 that occur once, and one more — and the hottest task's share falls to 8.7%,
// near 1/12. Partial-key grouping sits between:
// 266 entries, each word on at most two tasks, which a final merge would add up. (Three replications: the
// entry counts within ±2 % and the hottest task's share within ±6 %.)

// %% [markdown]
// ## 3. Per-task load under skewed keys (`storm-groupings`)
//
// Four spout tasks emit tuples whose key follows a Zipf law over 1,000 keys (exponent *s*; *s* = 0 is uniform); one bolt
// of 12 tasks subscribes with each grouping. The hottest task's share of the stream beside theory: shuffle 1/12;
// fields the largest sum of key probabilities that Storm's hash puts on one task (exact); partial key at least
// max(p₁/2, 1/12), the hottest key split over its two tasks; global 1 (everything on the lowest task id); all 1 per
// task, with 12 deliveries per tuple (the `traffic` column). Log scale.

// %%
const gParams = { exponents: zipfExponents };
const gTable = await groupings.run(gParams, runOptions);
show(groupings.figures(gTable, groupings.resolve(gParams))[0]);
show(
  gTable.select(
    'grouping',
    's',
    'hottestShare',
    'hottestShare_lo',
    'hottestShare_hi',
    'hottestShare_theory',
    'traffic',
  ),
);

// %% [markdown]
// Shuffle keeps every task at 1/12 (0.0835: 668 of 8,000 tuples, within one per cycle) whatever the skew. Fields
// grouping follows the keys: 0.089 with uniform keys (the hash's luck, theory 0.085), 0.114 at s = 0.7 and 0.375 at
// s = 1.4 (theory 0.369), where the hottest key alone carries about a third of the stream and its task is the bolt's
// bottleneck. Partial key stays at 1/12 up to s = 0.7 and reaches only 0.172 at s = 1.4, the hottest key split over two
// tasks (bound p₁/2 = 0.170). Global and all both sit at 1 (their markers coincide): global puts everything on the lowest
// task id, all delivers every tuple to every task, 12 deliveries per tuple. (Two replications: fields'
// 0.375 and partial key's 0.172 at s = 1.4 are ±21 % and ±20 %, fields' 0.089 with uniform keys ±13 %.)

// %% [markdown]
// ## 4. Throughput and latency vs parallelism (`storm-parallelism`)
//
// A three-stage chain: spout (2 tasks, Poisson at λ = `spoutRate` in total) → `parse` (2 executors, 0.5 ms, shuffle,
// one tuple per input) → `work` (*p* executors, 4 ms, shuffle, two tuples per spout tuple), 2 workers,
// `topology.max.spout.pending` = 200. The bound: **X ≤ min over components of executors × rate / tuples per spout
// tuple** = min(λ, 2·2000/1, p·250/2). Below saturation each executor is approximated as an M/M/1 queue (Jackson) and
// a tree waits for the slower of its two work tuples (E[max of 2 exponentials] = 1.5 × the mean); at saturation the
// spouts sit at their pending cap, so s·M = 400 trees are in flight and Little gives **L = s·M / X**.

// %%
const pParams = { executors: workExecutors, rate: spoutRate };
const pTable = await parallelism.run(pParams, runOptions);
const [xFigure, lFigure] = parallelism.figures(pTable, parallelism.resolve(pParams));
show(xFigure);
show(lFigure);
show(
  pTable.select(
    'executors',
    'X',
    'X_lo',
    'X_hi',
    'X_theory',
    'latencyMs',
    'latencyMs_lo',
    'latencyMs_hi',
    'latencyMs_theory',
  ),
);

// %% [markdown]
// Throughput follows the bound: 126, 256, 492 and 743 acked trees/s for p = 1, 2, 4, 6 (p · 250 / 2), then the
// offered λ = 1,000 at p = 12 and 16 (994 and 990). While work is the bottleneck the spouts sit at their pending cap and
// the latency is Little's s·M/X exactly: 3.2 s at p = 1, 0.53 s at p = 6. Once it is not, latency drops by two orders
// of magnitude, to 13.6 ms at p = 12 and 10.3 ms at p = 16, below the M/M/1 chain (19.7 and 13.7 ms): shuffle grouping
// deals tuples round robin, which spaces the arrivals at each executor more evenly than a Poisson stream, so queues are
// shorter than Jackson's approximation assumes. Adding executors beyond p = 8 buys latency, not throughput.
// (Three replications: throughput within ±6 % and latency within ±7 % at every p.)

// %% [markdown]
// ## 5. Flow control: `topology.max.spout.pending` (`storm-max-spout-pending`)
//
// The same chain with one work tuple per spout tuple, 2 work executors (capacity 2 × 250 = 500 trees/s), and spouts
// that always have data: at most M un-acked trees per spout task, so N = s·M = 2M trees circulate, a closed network.
// Theory: exact Mean Value Analysis of that network (each executor a single-server queue visited by 1/executors of the
// trees, the hops a delay) for X and L; and Little's law **X = s·M / L**, which the `littleX` column checks on the
// simulation itself.

// %%
const mParams = { pending: pendingValues };
const mTable = await pending.run(mParams, runOptions);
const [mxFigure, mlFigure] = pending.figures(mTable, pending.resolve(mParams));
show(mxFigure);
show(mlFigure);
show(
  mTable.select('M', 'X', 'X_lo', 'X_hi', 'X_theory', 'littleX', 'latencyMs', 'latencyMs_theory'),
);

// %% [markdown]
// Throughput climbs from 318 trees/s at M = 1 to 478 at M = 5 and about 500 (the work bolt's 2 × 250) from M = 20 on;
// after that each step of M only adds latency, linearly: 6.3 ms at M = 1, 81 ms at M = 20, 395 ms at M = 100 (MVA 402 ms; three
// replications: throughput and latency within ±13 %).
// `littleX` = s·M/L matches the measured throughput to within 1% at every M: Little's law holds exactly for the spout's
// closed loop. MVA is a little low for small M (287 against 318 at M = 1): it assumes random routing, while shuffle's round
// robin balances the two work executors better. The knee, where X is near its bound and L still small, is the M to choose.

// %% [markdown]
// ## 6. Acking, failures and replay (`storm-acking-failures`, `storm-recovery-timeline`)
//
// The chain on 4 workers (parse 4, work 4 executors, two work tuples per spout tuple, λ = 20/s), each worker process dying
// after an exponential time of mean MTTF and restarted by its supervisor after 5 s on average. A tree emitted while its
// spout is up is hit when any worker its tuples land on — or, with acking, its acker's worker — is down; from the
// placement and the unavailability u = MTTR/(MTTF + MTTR) of each worker, P(hit) = 1 − P(all those workers up).
// With acking the hit trees time out and are replayed — as in Storm, at the second tick of the spout's timer after their
// emit, which ticks every `topology.message.timeout.secs` T (its pending trees sit in a `RotatingMap` of two buckets,
// rotated at each tick), so between T and 2T after it: nothing is lost, and the
// executions done before the failure are done again (duplicates: at-least-once). With `topology.acker.executors` = 0
// the same trees are simply incomplete.

// %%
const fParams = { mttfs: workerMttfs, timeoutS: messageTimeoutSecs };
const fTable = await failures.run(fParams, runOptions);
const [lostFigure, replayFigure] = failures.figures(fTable, failures.resolve(fParams));
show(lostFigure);
show(replayFigure);
show(
  fTable.select(
    'mode',
    'mttf',
    'incompletePct',
    'incompletePct_theory',
    'replayedPct',
    'replayedPct_lo',
    'replayedPct_hi',
    'replayedPct_theory',
    'duplicatesPer1k',
  ),
);

// %% [markdown]
// With acking nothing is lost: every spout tuple of the window is eventually processed (0% lost at MTTF 300 and 100 s;
// the 0.01% at MTTF 30 s are trees on their third attempt when the run stops). The price is replays: 3.1%, 13.8% and
// 38.1% of the window's trees, [2.1, 4.5], [10.1, 18.9] and [32.5, 44.7] (theory q/(1 − q) = 3.6%, 11.0%, 38.8%, q the
// probability that a tree or its acker meets a dead worker, inside all three), and 29, 162 and 492 bolt executions
// redone per 1,000 acked trees — at-least-once means duplicates, which a count bolt adds twice. Without ackers the same
// trees are simply gone: 2.7%, 10.6% and 24.2% lost (theory 3.0%, 8.7%, 24.8%, inside their intervals too). The theory
// counts shuffle grouping as Storm does it (`ShuffleGrouping.java`: a round robin over a permutation of the target tasks
// drawn once per sender), so a parse tuple's two work tuples always reach two different work tasks: with one of the
// four on a dead worker, 1/2 of the trees avoid it, not (3/4)² = 9/16 as independent picks would give. (The replays are
// those of the trees first emitted in the 120 s window, each followed for four timeouts; counting all of a run's
// replays over all of its first emits would miss the failures of its last timeout or two, about 16 % fewer.) Over a
// 120 s window each worker dies only a few times, and that count is the noise (24 replications: the replays ±17-44 %,
// the losses without ackers ±14-45 %; acking's 0.01 % [0.002, 0.10] is stated as a bound, at most 1 %).
//
// Now one crash, watched second by second: worker 1 dies at t = 20 s and is back at 30 s, at λ = 50 trees/s. Worker 1
// also runs one of the two spout tasks, which emits nothing while it is down.

// %%
const tParams = { timeoutS: messageTimeoutSecs };
const tTable = await timeline.run(tParams, runOptions);
for (const f of timeline.figures(tTable, timeline.resolve(tParams))) show(f);
show(
  tTable.groupby('mode').rollup({
    downRate: (d: any) => aq.op.max(d.downRate),
    downRate_lo: (d: any) => aq.op.max(d.downRate_lo),
    downRate_hi: (d: any) => aq.op.max(d.downRate_hi),
    downRate_theory: (d: any) => aq.op.max(d.downRate_theory),
  }),
);

// %% [markdown]
// With acking (seed 1, 6 replications) the acked rate falls from 50 to about 7 trees/s while worker 1 is down (theory 7.0:
// only the live spout task's trees that avoid worker 1, acker included, complete), returns to 50 when it is back, and
// at t = 60 s the stalled trees all time out at once: the live spout's timer ticks every 30 s from its start, and a
// tree emitted between 20 and 30 s expires at the second tick after its emit (182 failures in that second, theory
// 25 · (1 − 0.281) · 10 = 180), and their replays make it 236 acked trees (theory 230). Without ackers the rate of complete
// trees falls to about 9.5/s during the outage (theory 9.4) and nothing comes back: the lost trees stay lost. The
// rate while down, each replication's mean over the outage's bins (`downRate`), is 7.1 [6.6, 7.7] trees/s with acking
// and 9.5 [9.1, 9.9] without, within ±8 %, and the theory lines, Σ λᵢ·Pᵢ = 25 · 3/4 · 1/2 · 3/4 = 7.03 and
// 25 · 3/4 · 1/2 = 9.38, lie inside both intervals (parse, the two work tuples on two distinct work tasks, the acker). Counting
// the work tuples as independent picks, (3/4)² instead of 1/2, gave 7.9 and 10.5, about 10 % too high. The window's
// edges are not the cause: a tree completes in milliseconds, so the crash's and the restart's bins hold only a few
// in-flight trees, and the first timeouts come at 60 s. (A 1 s bin's count is ±16 % at the median bin and up to
// ±57 % in the outage's bins, where only 5-10 trees complete.) The
// recovery of a reliable topology is delayed by its message timeout; a shorter timeout recovers sooner but replays slow
// trees that were not lost.
//
// ## What to take away
//
// - A grouping is part of the program's meaning: word count is only correct with fields grouping (or a
//   merge step after partial-key grouping); shuffle gives the right total and wrong answers per word.
// - Fields grouping follows the keys: with skewed keys the hottest task carries the hottest keys' share and bounds the
//   bolt; partial key grouping spreads a hot key over two tasks; global is one task; all multiplies traffic by the task count.
// - Throughput is bounded by **min over components of executors × rate / tuples per spout tuple**; more executors of the
//   bottleneck help linearly until another component (or the offered rate) is the bound.
// - `topology.max.spout.pending` M is a closed loop of s·M trees: throughput rises with M until the bottleneck saturates,
//   then only latency grows (L = s·M/X). Pick the smallest M that reaches the plateau.
// - Acking turns losses into replays: at-least-once delivery, duplicates that downstream state must tolerate, and a
//   recovery delayed by the message timeout. Without ackers a worker crash loses whatever passed through it.
//
// ## Exercises
//
// 1. Set `countTasks = 4` and rerun section 2: how does the over-reporting under shuffle change, and why?
// 2. With `zipfExponents = [1.2, 2]`, which grouping bounds a bolt's throughput, and by how much, if each task handles 1,000 tuples/s?
// 3. Set `spoutRate = 600`: from the bound, at which *p* does throughput stop growing? Check it.
// 4. With `pendingValues = [1, 3, 10]` predict X from MVA before running, then compare with `littleX`.
// 5. Set `messageTimeoutSecs = 5`: where does the replay burst move in the timeline, and what risk does a short timeout carry when latency is high?
// 6. In code: build a topology with a cycle, or a bolt with `parallelism_hint` 4 and `setNumTasks(2)`, and read the error.
