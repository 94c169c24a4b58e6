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
// # 07 · Caching: memcached and the CDN
//
// **The question.** A database serves 800 reads a second and the site asks for 1000. How big must a
// cache in front of it be, and which eviction policy should it use? What happens to the database when
// one hot key expires, or when one of four memcached servers dies? How much of the origin's load does a
// CDN take away, for which TTL, and what does an origin shield add?
//
// **The model.** Requests follow the *independent reference model*: object *i* (of *N*) is asked for as a
// Poisson stream of rate λ·p_i, with Zipf popularity p_i ∝ i^(−α). A cache holds *C* objects and evicts by
// a real policy: LRU, FIFO, random, LFU, or W-TinyLFU (Caffeine's). The web tier reads cache-aside, as with
// memcached: a get, and on a miss a database query (an M/M/c station) and a set with an `exptime`.
//
// The closed forms beside the simulation:
// - **LRU, Che's approximation**: the characteristic time T solves Σ_i (1 − e^(−p_i·T)) = C; object *i* is
//   cached with probability 1 − e^(−p_i·T), and the hit ratio is h = Σ_i p_i·(1 − e^(−p_i·T));
// - **FIFO and random**: the same with p_i·T/(1 + p_i·T) in place of 1 − e^(−p_i·T);
// - **perfect LFU** (counts kept for every object): the C most popular objects, h = Σ_{i≤C} p_i;
// - **a TTL cache** (a copy lives T seconds from its fetch): h_i = λ_i·T/(1 + λ_i·T), fetch rate λ_i/(1 + λ_i·T);
// - **the database** sees only the misses, λ(1 − h), and is an M/M/c at that rate.
//
// Assumptions worth doubting: popularity is static and requests are independent (real traffic has bursts
// and new objects, see the churn exercise); objects have one size unless `unit: 'bytes'` is set; the
// network is a fixed round trip.

// %% [markdown]
// ## Parameters
//
// Rerun with other values from a terminal: `npx scalelab notebooks run 07 --param alphas=[0.9] --param objects=100000`.

// %% tags=["parameters"]
const alphas: number[] = [0.6, 0.8, 1.0]; // Zipf exponents
const cacheSizes: number[] = [10, 30, 100, 300, 1000, 3000];
const objects: number = 10000; // catalogue size N
const requests: number = 12000; // requests measured per replication (hit-ratio sweep)
const rate: number = 1000; // reads per second at the web tier
const dbServers: number = 4; // database connections c
const dbServiceTime: number = 0.005; // mean query time (s): capacity c/x = 800 reads/s
const ttls: number[] = [1, 3, 10, 30]; // CDN max-age values (s)
const replications: number = 3;
const seed: number = 1;
const measureNow: boolean = false; // true: a short real-memcached measurement when no stored result exists

// %%
import * as aq from 'arquero';
import * as fs from 'fs';
import { show, cache, findExperiment, measured } from 'scalelab';
const runOptions = { seed: seed, replications: replications };
const hitRatioExp = findExperiment('cache-hit-ratio');
const responseExp = findExperiment('cache-response-time');
const stampedeExp = findExperiment('cache-stampede');
const nodeLossExp = findExperiment('cache-node-loss');
const cdnExp = findExperiment('cdn-offload');

// %% [markdown]
// ## 1. The policies, one request at a time
//
// The textbook's reference string (Silberschatz, *Operating System Concepts*, §9.4) with three slots:
// FIFO misses 15 times and LRU 12. And Belady's anomaly: on `1 2 3 4 1 2 5 1 2 3 4 5` FIFO misses *more*
// with four slots than with three, which no stack policy such as LRU can do.

// %%
const misses = (policy: any, capacity: number, seq: number[]) => {
  const s = cache.createStore(policy, { capacity: capacity });
  seq.forEach((k: number, t: number) => {
    if (!s.get(k, t)) s.set(k, t);
  });
  return s.misses;
};
const silberschatz = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1];
const belady = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];
show(
  aq.table({
    sequence: ['textbook, 3 slots', 'Belady, 3 slots', 'Belady, 4 slots'],
    fifo: [misses('fifo', 3, silberschatz), misses('fifo', 3, belady), misses('fifo', 4, belady)],
    lru: [misses('lru', 3, silberschatz), misses('lru', 3, belady), misses('lru', 4, belady)],
    lfu: [misses('lfu', 3, silberschatz), misses('lfu', 3, belady), misses('lfu', 4, belady)],
  }),
);

// %% [markdown]
// ## 2. Hit ratio vs cache size
//
// Each policy replays the same Zipf requests (common random numbers). Lines are the closed forms: Che for
// LRU, the p·T/(1 + p·T) approximation for FIFO and random (which coincide under independent requests),
// the top-C sum for LFU, and the exact TTL-cache formula for `ttl`, a cache with no size limit whose
// items expire T after their fetch, T chosen so that it holds C objects on average. W-TinyLFU has no
// closed form.

// %%
const hitParams = { alphas: alphas, cacheSizes: cacheSizes, objects: objects, requests: requests };
const hits = await hitRatioExp.run(hitParams, runOptions);
for (const f of hitRatioExp.figures(hits, hitRatioExp.resolve(hitParams))) show(f);

// %% [markdown]
// How to read them:
// - Che's line goes through (or within a hair of) the LRU points at every size, and the FIFO/random line
//   through both FIFO and random: the approximations sit inside the simulation's intervals;
// - at a given size the order is LFU ≥ W-TinyLFU > LRU > FIFO ≈ random ≈ TTL: knowing frequencies pays
//   under static popularity, recency is a proxy for it, and FIFO/random forget a popular object as soon as
//   its turn comes;
// - LFU's points sit below the top-C line, further below at large sizes: perfect LFU needs its counts to
//   converge, and objects ranked near C have been asked for only a few times in a run this short; the line
//   is its limit;
// - a larger α (more skew) makes a small cache worth more.
//
// Precision of these runs (12,000 requests, 3 replications; the 95% half-width relative to the mean):
// ±3 % at the median point; the smallest caches are the loosest, up to ±69 % for `ttl` with 10 objects at
// α = 0.6, whose hit ratio is 0.5 %. The default `scalelab run cache-hit-ratio` (40,000 requests) stays
// within ±25 % at every point.

// %%
show(
  hits
    .filter((d: any) => d.alpha === 0.8)
    .groupby('cacheSize')
    .pivot('policy', 'hitRatio'),
);
show(
  hits
    .filter((d: any) => d.alpha === 0.8 && d.policy === 'lru')
    .select('cacheSize', 'hitRatio', 'hitRatio_lo', 'hitRatio_hi', 'hitRatio_theory'),
);

// %% [markdown]
// Che's characteristic time T is the time an object survives in LRU without being asked for: the
// objects with p_i·T ≫ 1 are almost always in, those with p_i·T ≪ 1 almost never.

// %%
const p08 = cache.zipfPopularity(objects, 0.8);
show(
  aq.table({
    cacheSize: cacheSizes,
    T_requests: cacheSizes.map((c: number) => Math.round(cache.cheLru(p08, c).T)),
    h_che: cacheSizes.map((c: number) => cache.cheLru(p08, c).hitRatio),
    h_rank1: cacheSizes.map((c: number) => cache.cheLru(p08, c).perObject[0]),
    h_rank100: cacheSizes.map((c: number) => cache.cheLru(p08, c).perObject[99]),
    h_topC: cacheSizes.map((c: number) => cache.lfuTopC(p08, c)),
  }),
);

// %% [markdown]
// ### Your own log
//
// `data/cache/sample-trace.txt` is a request log (`timestamp key` per line, 3000 requests over 400 URLs);
// put yours in its place. The same stores replay it, in order:

// %%
const tracePath = fs.existsSync('data/cache/sample-trace.txt')
  ? 'data/cache/sample-trace.txt'
  : '../data/cache/sample-trace.txt';
const trace = cache.loadTrace(tracePath);
const traceRows: any[] = [];
for (const c of [10, 25, 50, 100, 200]) {
  const row: any = { cacheSize: c };
  for (const policy of ['lru', 'fifo', 'lfu', 'wtinylfu']) {
    const s = cache.createStore(policy as any, { capacity: c, keys: trace.names.length });
    for (let i = 0; i < trace.keys.length; i++)
      if (!s.get(trace.keys[i], trace.times![i])) s.set(trace.keys[i], trace.times![i]);
    row[policy] = s.hitRatio;
  }
  traceRows.push(row);
}
console.log(`${trace.keys.length} requests, ${trace.names.length} distinct keys`);
show(aq.from(traceRows));

// %% [markdown]
// ## 3. Response time: the cache rescues the database
//
// Reads at λ = 1000/s; one LRU memcached node (0.5 ms round trip); the database is 4 connections of 5 ms
// mean: 800 reads/s at most. Without a cache, or with a tiny one, the database is overloaded and the
// response time grows for as long as the run lasts (the simulated points far above the others, open crosses,
// are flagged overloaded by the run itself and have no theory line: there is no steady state). The line is Che's hit ratio fed into M/M/c at λ(1 − h).

// %%
const rtParams = {
  rate: rate,
  cacheSizes: [10, 20, 50, 100, 200, 300, 1000, 3000],
  servers: dbServers,
  serviceTime: dbServiceTime,
  objects: objects,
  duration: 10,
};
const rt = await responseExp.run(rtParams, runOptions);
for (const f of responseExp.figures(rt, responseExp.resolve(rtParams))) show(f);
show(
  rt.select(
    'cacheSize',
    'hitRatio',
    'hitRatio_theory',
    'dbUtilisation',
    'dbUtilisation_theory',
    'W',
    'W_theory',
    'p99',
    'p99_theory',
    'overloaded',
  ),
);

// %%
// the knee: the smallest cache that brings the miss rate under the database's capacity c/x
const capacityRate = dbServers / dbServiceTime;
const needH = 1 - capacityRate / rate;
let lo = 1,
  hi = objects;
while (hi - lo > 1) {
  const mid = Math.floor((lo + hi) / 2);
  if (cache.cheLru(p08, mid).hitRatio > needH) hi = mid;
  else lo = mid;
}
console.log(
  `the database holds ${capacityRate} reads/s: it needs h > ${needH.toFixed(3)}, i.e. an LRU cache of at least ${hi} objects (${((100 * hi) / objects).toFixed(1)} % of the catalogue) by Che's approximation`,
);

// %% [markdown]
// The knee is sharp because the database is an M/M/c close to saturation: just past the minimum size
// its utilisation is near 1 and its queue long; from 200 to 1000 objects the simulated p99 falls from about
// 0.15 s to under 0.03 s. Past that, more cache buys little: the response time is dominated by the round trip to the
// cache and by the (1 − h) reads that still go to the database.
//
// These 10 s runs show the shape, not precise values: past the knee the mean and the p99 are within ±57 %
// and ±44 % at the median point, ±119 % at worst (the mean at 200 objects, next to the knee). The default
// `scalelab run cache-response-time` (30 s per run) stays within ±50 % on the mean and ±80 % on the p99.
//
// ## 4. Stampedes: a hot key expires
//
// One key read 1000 times a second, cached for 5 s, recomputed by a query of δ seconds (the database has
// room for them all). When it expires every read that arrives before the first recompute lands also misses:
// **1 + λ(ℓ + δ)** queries per expiry (ℓ the cache round trip), the line for `none`. The cures: request
// coalescing (`single-flight`: later misses wait for the first query), memcached **leases** (Facebook,
// NSDI 2013: the first miss gets a lease, the others are told to retry shortly), and **XFetch**
// (probabilistic early expiration, Vattani et al., VLDB 2015: a read recomputes early when
// now − δ·β·ln(U) ≥ expiry).

// %%
const stParams = { recomputeTimes: [0.01, 0.03, 0.1, 0.3], duration: 8 };
const st = await stampedeExp.run(stParams, runOptions);
const stFigures = stampedeExp.figures(st, stampedeExp.resolve(stParams));
show(stFigures[0]);
show(stFigures[2]);
show(
  st.select(
    'protection',
    'delta',
    'dbReadsPerExpiry',
    'dbReadsPerExpiry_theory',
    'peakConcurrency',
    'W',
    'p99',
  ),
);

// %% [markdown]
// Single-flight and leases both bring it to one query per expiry; the price is latency: the waiting
// reads take about δ (the p99 figure), and a lease's retry interval adds to it. XFetch spreads the refresh
// before the expiry, so almost no read ever waits, at the cost of a few duplicate recomputations just
// before the expiry (its points are a few queries per refresh, not one).
// At these settings the query counts are within ±20 % (single-flight is exactly one in every replication).
//
// ## 5. One memcached node dies
//
// Four LRU nodes of 1000 objects, 1000 reads/s, clients sharding by ketama (consistent hashing) or by hash
// modulo the number of live servers; node 3 crashes at 12 s (its items are gone) and comes back empty at 24 s. The
// lines are Che's approximation per node for the current set of nodes, the level the pool refills to.

// %%
const nlParams = { duration: 36, crashAt: 12, downFor: 12, rate: 1000 };
const nl = await nodeLossExp.run(nlParams, runOptions);
show(nodeLossExp.figures(nl, nodeLossExp.resolve(nlParams))[0]);
const nlResolved = nodeLossExp.resolve(nlParams) as any;
const levels = ['ketama', 'modulo'].map((h: string) => {
  const lv = cache.nodeLossLevels(nlResolved, h as any);
  // refill: the first bin after the crash within 0.02 of the level the pool refills to
  const bins = (nl.objects() as any[]).filter(
    (d: any) =>
      d.hashing === h && d.t >= nlResolved.crashAt && d.t < nlResolved.crashAt + nlResolved.downFor,
  );
  const back = bins.find((b: any) => b.hitRatio >= lv.during - 0.02);
  return {
    hashing: h,
    trafficMoved: lv.trafficMoved,
    before: lv.before,
    justAfterCrash: lv.dropAtCrash,
    refilledLevel: lv.during,
    justAfterReturn: lv.dropAtReturn,
    refillSeconds: back ? back.t - nlResolved.crashAt : null,
  };
});
show(aq.from(levels));

// %% [markdown]
// With ketama the crash moves only the dead node's keys (about a quarter of the traffic, `trafficMoved`):
// the hit ratio dips and refills to the three-node level; the return moves the same keys back to the empty
// node, a second dip of about the same size. With modulo three quarters of the traffic moves at each change,
// so both dips are about three times deeper (`justAfterCrash`, `justAfterReturn`: the instant values,
// before any refill; the first 0.5 s bin already includes some). Refilling takes seconds, because the popular
// keys come back at once and the tail slowly. (The hit ratio per 0.5 s bin is within ±11 % at the median
// instant, ±27 % at worst, for modulo just after the return.)
//
// ## 6. The CDN: origin offload vs TTL
//
// Four regions (100, 75, 50 and 25 requests/s) each reach their own edge; an edge keeps a copy for
// `max-age` seconds (RFC 9111), collapses concurrent misses into one fetch and serves a stale copy for
// `stale-while-revalidate` = 10 s while it refreshes in the background (RFC 5861). Each (edge, object) is a
// renewal cycle of T plus the wait for the next request, so the origin sees **Σ λ_i/(1 + λ_i·T) per edge**;
// behind a shield, one such stream per object at the total rate. The lines are those formulas.

// %%
const cdnParams = { ttls: ttls };
const cdnT = await cdnExp.run(cdnParams, runOptions);
for (const f of cdnExp.figures(cdnT, cdnExp.resolve(cdnParams))) show(f);
show(
  cdnT.select(
    'shield',
    'ttl',
    'originRate',
    'originRate_theory',
    'hitRatio',
    'hitRatio_theory',
    'staleShare',
    'staleShare_theory',
    'W',
    'p99',
  ),
);

// %% [markdown]
// What the figures show:
// - the origin's load falls with the TTL, and the shield divides it further: without a shield every edge
//   fetches each object on its own (more PoPs, more misses);
// - the edges' fresh-hit ratio is *lower* behind a shield: a copy fetched from the shield carries the shield
//   copy's `Age`, so it expires when the shield's does, not T after the edge fetched it;
// - stale-while-revalidate serves a share of responses stale (the first request after each expiry, and
//   those during the refresh), which takes the origin's round trip out of the users' latency; the share is
//   larger behind the shield, whose copies reach the edges already aged;
// - the mean user latency falls with the TTL: more requests end at the edge, one short round trip away;
//   here the shield lowers it too, because it is half an edge's round trip to the origin away and answers
//   most of the edges' misses itself.
//
// At the worst point of these runs the origin rate is within ±3 %, the hit ratio ±11 %, the stale share
// ±9 % and the mean latency ±2 %.
//
// ## What to take away
//
// 1. Under skewed popularity a cache of a few percent of the objects takes a large share of the reads;
//    Che's approximation predicts LRU's hit ratio from the popularity alone, to within the simulation's
//    intervals, and the p·T/(1 + p·T) version does the same for FIFO and random.
// 2. Frequency beats recency when popularity is stable: LFU and W-TinyLFU > LRU > FIFO ≈ random.
// 3. The database sees λ(1 − h): a cache can turn an overloaded database into a comfortable one, and the
//    response time has a knee at the size where λ(1 − h) falls below c·μ.
// 4. A hot key's expiry sends 1 + λ(ℓ + δ) queries at once; single-flight, leases or XFetch make it one.
// 5. Shard memcached with consistent hashing: a node loss then costs ~1/k of the hits, not most of them.
// 6. A CDN's origin load per edge and object is λ/(1 + λT); a shield makes it one stream per object.
//
// ## Exercises
//
// 1. Set `alphas = [1.2]`: how small a cache reaches a hit ratio of 0.8? Check with `cache.cheLru`.
// 2. Set `dbServers = 3`: where does the knee move, and what does the knee cell print?
// 3. From a terminal, `npx scalelab run cache-stampede --set rate=5000`: how many queries does one expiry
//    cost without protection, and how does the lease's p99 compare with single-flight's?
// 4. Give the popularity churn: in a script, `cache.simulateCache({ ..., popularity: { model: 'zipf',
//    objects: 10000, alpha: 0.8, shift: { every: 10, by: 100 } } })`: which policy suffers most, LFU or LRU?
// 5. `npx scalelab run cdn-offload --set staleWhileRevalidate=0`: what happens to the p99 at small TTLs?
// 6. `npx scalelab run cache-hit-ratio --set policies=lru,segmented,wtinylfu --set alphas=0.8`: where does
//    memcached's own HOT/WARM/COLD segmented LRU sit between plain LRU and W-TinyLFU, and why does it beat
//    LRU most at small sizes?

// %% [markdown]
// ## Measured beside modelled: real memcached
//
// Everything above is a model. Here the same question goes to Debian's **memcached** (`apt-get install -y
// memcached`), started by the experiment on 127.0.0.1 with a port it checked free, `-m` MB of item memory
// and one worker thread, and stopped at the end whatever happens. A client reads it cache-aside over the
// text protocol (`get`; on a miss `set` a 1000-byte value), one request at a time, with the **same Zipf
// key stream** the simulator replays (`memcached-measured`; rows `source = measured` and `simulation`).
// The simulated stores get the capacity in items memcached itself reached: a 1000-byte value with its key
// and a 56-byte header goes to the 1184-byte slab class, 885 items per 1 MB page, so `-m 4` holds 3540 items,
// not 4 MB / 1000 B = 4194 (the `items` column is memcached's own `stats items`).
//
// The cell shows the latest `npx scalelab run memcached-measured` when one was run (data/results/); with no
// stored result it says how to make one (or, with the parameter `measureNow = true`, measures a few seconds
// now); without memcached installed it names the package.

// %%
const mcMeasured = await measured.measuredForNotebook(
  'memcached-measured',
  measureNow ? { memoryMB: [2, 8], requests: 5000, warmup: 5000 } : null,
  { seed: seed },
);
show({ markdown: mcMeasured.note });
if (mcMeasured.table) {
  const mcExp = findExperiment('memcached-measured');
  for (const f of mcExp.figures(mcMeasured.table, mcExp.resolve({}))) show(f);
  show(
    mcMeasured.table.select(
      'source',
      'policy',
      'memoryMB',
      'items',
      'hitRatio',
      'hitRatio_lo',
      'hitRatio_hi',
      'hitRatio_theory',
    ),
  );
}

// %% [markdown]
// How to read it (the numbers below are from `npx scalelab run memcached-measured` with its defaults when
// this section was written: `-m 2, 4, 8`, 10000 keys, α = 0.8, 30000 measured requests after 20000 of
// warm-up; hit ratios do not depend on timing, so the same run on your machine gives nearly the same):
// - memcached holds exactly the slab model's count (1770, 3540, 7080 items), so Che and the simulated stores
//   are asked about the same cache;
// - at 8 MB the real server, the simulated LRU and Che agree to a few tenths of a point (0.890, 0.892, 0.894);
// - at the small sizes memcached beats plain LRU (0.584 against 0.545 at 2 MB, 0.715 against 0.700 at 4 MB):
//   its **segmented LRU** puts new items in HOT, lets the ones nobody reads again flow through COLD and out,
//   and moves an item read twice to WARM, out of their way: under a Zipf stream that protects the popular
//   items from the one-hit wonders. The simulated `segmented` store (HOT/WARM/COLD at 32 %) recovers part of
//   it (0.563 at 2 MB); the rest is memcached's background LRU maintainer, which moves items in batches and
//   bumps an item at most once a minute, so recency is coarser than in the model;
// - the measurement itself is not noisy: hit ratios do not depend on timing, so the two-core VM's scheduler
//   changes how long the run takes, not what it measures. The interval drawn is the binomial one, a lower
//   bound on the spread of correlated requests.
// `scripts/ci/measured-check.ts` checks each measured point against the simulated LRU within −0.02 … +0.06
// and against Che within 0.07, and says why.
