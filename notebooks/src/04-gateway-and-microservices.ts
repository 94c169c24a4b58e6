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
// # 04 · The application gateway and microservices
//
// **The question.** A request enters an application gateway, which routes it by host and path to a
// service; the service calls others, which call others. Why is a request that fans out to 100 leaves slow
// far more often than any leaf? Why can a short surge of load leave a service down for good, and what gets
// it back? What does a circuit breaker save, and what does a hedged request cost? Which service limits the
// throughput, and how available is a chain of services?
//
// **The model** (`microservices` in scalelab, on the discrete-event kernel). Each service is a pool of
// replicas, each a queue with `servers` workers and a service-time distribution, behind its own balancer
// (lab 03's algorithms). After its own work a service runs its **call steps** in order: a serial call, a
// parallel **fan-out** that waits for all n answers, for the first k, or for the first one, a mean number of
// **visits** per request, or an **asynchronous** message it does not wait for. Every call goes through the
// caller's resilience settings, named as the real libraries name them:
// - a per-try `timeout` (Envoy's `per_try_timeout`); a timed-out call's work is still done unless the
//   service propagates cancellation (gRPC deadlines);
// - `retry_policy` with `num_retries` and Envoy's jittered back-off (the k-th retry waits
//   U(0, (2^k − 1)·`base_interval`), at most `max_interval`), and the callee's `retry_budget`
//   (`budget_percent` 20 %, `min_retry_concurrency` 3: retries in flight ≤ max(3, 20 % of the calls in flight));
// - Resilience4j's `circuitBreaker` (`failureRateThreshold` 50 %, `slidingWindowType` COUNT_BASED,
//   `slidingWindowSize` 100, `minimumNumberOfCalls` 100, `waitDurationInOpenState` 60 s,
//   `permittedNumberOfCallsInHalfOpenState` 10, `slowCallRateThreshold` 100 %, `slowCallDurationThreshold` 60 s)
//   and `bulkhead` (`maxConcurrentCalls`);
// - `hedge`: a second copy after a delay, the first answer wins and the loser is cancelled.
//
// Replicas crash and recover, or slow down, through the same failure process as every other scalelab
// system. Every request ends exactly once: ok, error, timeout, or rejected.
//
// The closed forms this lab draws beside the simulation:
// - fan-out to n leaves, each slower than its p99 with probability 0.01: the request is slow with
//   probability **1 − (1 − 0.01)^n** (Dean & Barroso, *The Tail at Scale*, 2013);
// - r retries at independent failure probability f: success **1 − f^(r+1)**, offered load **Σ_{i=0..r} f^i** times λ;
// - a serial chain is up **A = Π a_i**;
// - behind a breaker a dead dependency sees about **10 calls per `waitDurationInOpenState`**;
// - throughput **X ≤ 1 / max_k (V_k·S_k / c_k)** (the bottleneck), and exact MVA below it.
//
// Assumptions worth doubting: service times are independent of each other (real leaves share machines and
// garbage collectors, so their slow moments are correlated and fan-out is worse than the formula); the
// balancer knows at once which replicas are up (lab 03 shows the cost of finding out); the client retries
// on every error and timeout.

// %% [markdown]
// ## Parameters
//
// Rerun with other values from a terminal:
// `npx scalelab notebooks run 04 --param replications=5 --param fanoutRequests=4000`.

// %% tags=["parameters"]
const replications: number = 3;
const seed: number = 1;
const fanouts: number[] = [1, 2, 5, 10, 20, 50, 100]; // leaves a request waits for
const fanoutRequests: number = 1500; // requests measured per replication (fan-out)
const utilisations: number[] = [0.3, 0.5, 0.7, 0.85]; // offered load before and after the surge (retry storm)
const breakerWaits: number[] = [10, 30, 60]; // waitDurationInOpenState (s)
const hedgeQuantiles: number[] = [0.5, 0.75, 0.9, 0.95, 0.99, 1]; // hedge after the leaf's q-quantile (1: never)
const hedgeRequests: number = 6000;
const chainLengths: number[] = [1, 2, 4, 6, 8, 10];
const chainSeconds: number = 240;

// %%
import * as aq from 'arquero';
import {
  show,
  figure,
  line,
  findExperiment,
  microservices,
  loadbalancer,
  Exponential,
  Deterministic,
} from 'scalelab';
const runOptions = { seed: seed, replications: replications };
const rows = (t: any) => t.objects() as any[];
const fmt = (x: number, d: number = 3) =>
  x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d);

// %% [markdown]
// ## 1. A call graph
//
// A storefront: the gateway sends `/api/*` to `web`; `web` calls `catalog` (which fans out to 4
// `search` shards and waits for all), then `pricing` 1.5 times per request on average with a 200 ms timeout
// and one retry, and drops an event on a queue without waiting. The simulation's visits per request follow
// the forced-flow law V_callee = V_caller × visits × fan-out, and each service's utilisation is λ·V·S/c.

// %%
const shop = {
  services: [
    {
      name: 'web',
      replicas: 2,
      servers: 4,
      service: Exponential.withMean(0.004),
      calls: [
        { service: 'catalog' },
        { service: 'pricing', visits: 1.5, timeout: 0.2, retry_policy: { num_retries: 1 } },
        { service: 'events', async: true },
      ],
    },
    {
      name: 'catalog',
      replicas: 2,
      servers: 2,
      service: Exponential.withMean(0.003),
      calls: [{ service: 'search', fanout: 4 }],
    },
    { name: 'search', replicas: 4, servers: 2, service: Exponential.withMean(0.01) },
    { name: 'pricing', replicas: 2, servers: 2, service: Exponential.withMean(0.006) },
    { name: 'events', servers: 1, service: Exponential.withMean(0.002) },
  ],
  clients: {
    rate: 100,
    mix: [
      { path: '/api/cart', weight: 0.9 },
      { path: '/health', weight: 0.1 },
    ],
  },
  gateway: { listeners: [{ rules: [{ path: '/api/*', pool: 'web' }] }] }, // no default pool: /health is not routed
};
const shopRun = microservices.simulateMicroservices(shop, {
  seed: seed,
  duration: 300,
  warmup: 10,
});
show(
  aq.from(
    shopRun.services.map((s: any, i: number) => ({
      service: s.name,
      'visits V (forced flow)': fmt(s.visits, 2),
      'calls per request (measured)': fmt(s.arrivals / shopRun.requests, 3),
      utilisation: fmt(s.utilisation),
      'λ·V·S/c': fmt(
        (100 * s.visits * shop.services[i].service.mean) /
          (shop.services[i].replicas ?? 1) /
          shop.services[i].servers,
      ),
      'p50 (s)': fmt(s.latency.p50, 4),
      'p99 (s)': fmt(s.latency.p99, 4),
    })),
  ),
);
show(
  aq.from([
    {
      requests: shopRun.requests,
      ok: shopRun.ok,
      errors: shopRun.errors,
      timeouts: shopRun.timeouts,
      rejected: shopRun.rejected,
      'in flight (start + end)': shopRun.inFlightAtStart + shopRun.inFlightAtEnd,
      'end-to-end p50 (s)': fmt(shopRun.latency.p50, 4),
      'end-to-end p99 (s)': fmt(shopRun.latency.p99, 4),
    },
  ]),
);

// %% [markdown]
// Every request is counted once: those in flight when the window opened plus the requests that arrived
// equal ok + errors + timeouts + rejected plus those still in flight at the end. The 10 % of `/health` requests are the rejected ones (no rule, no
// default pool); the `events` queue's work is not in anybody's latency.
//
// A call graph must be a DAG; a cycle, an unknown service or a fan-out that waits for more answers than it
// makes is a typed error that names it:

// %%
for (const bad of [
  {
    services: [
      { name: 'a', service: new Exponential(1), calls: [{ service: 'b' }] },
      { name: 'b', service: new Exponential(1), calls: [{ service: 'a' }] },
    ],
    clients: { rate: 1 },
  },
  {
    services: [
      { name: 'a', service: new Exponential(1), calls: [{ service: 'serch' }] },
      { name: 'search', service: new Exponential(1) },
    ],
    clients: { rate: 1 },
  },
  {
    services: [
      { name: 'a', service: new Exponential(1), calls: [{ service: 'b', fanout: 3, need: 5 }] },
      { name: 'b', service: new Exponential(1) },
    ],
    clients: { rate: 1 },
  },
]) {
  try {
    microservices.resolveMicroservicesConfig(bad as any);
  } catch (e) {
    console.log((e as Error).message);
  }
}

// %% [markdown]
// ## 2. The gateway: which rule wins
//
// Azure Application Gateway and AWS ALB take the **first matching rule in the listed order**; NGINX takes
// the **longest matching prefix**. Patterns match the path only, never the query string, and a path no rule
// matches goes to the listener's default pool.

// %%
const rulesIn = (order: string) =>
  order === 'images first'
    ? [
        { path: '/images/*', pool: 'A' },
        { path: '/*', pool: 'B' },
      ]
    : [
        { path: '/*', pool: 'B' },
        { path: '/images/*', pool: 'A' },
      ];
const cases: any[] = [];
for (const match of ['first-match', 'longest-prefix'])
  for (const order of ['images first', '/* first'])
    for (const target of ['/images/x.png', '/video?x=/images'])
      cases.push({
        match: match,
        'rule order': order,
        request: target,
        pool: loadbalancer.routeRequest(
          { match: match as any, listeners: [{ rules: rulesIn(order), default_pool: 'D' }] },
          undefined,
          target,
        ),
      });
cases.push({
  match: 'first-match',
  'rule order': '/images/* only',
  request: '/about',
  pool: loadbalancer.routeRequest(
    { listeners: [{ rules: [{ path: '/images/*', pool: 'A' }], default_pool: 'D' }] },
    undefined,
    '/about',
  ),
});
show(aq.from(cases));

// %% [markdown]
// With `/*` listed first, a first-match gateway sends every image to B: put wildcards last. Longest
// prefix does not care about the order. `/video?x=/images` is routed by its path `/video`.
//
// ## 3. Fan-out: the tail at scale
//
// A frontend calls n leaves in parallel and waits for all of them. Each leaf answers in an exponential time
// (mean 10 ms, no queueing), so one leaf is slower than its own p99 (46 ms) one time in a hundred. The
// request is slower than that whenever any leaf is (line: 1 − 0.99^n; right: the p99 of the maximum of n
// exponentials, −s·ln(1 − 0.99^(1/n))).

// %%
const fanoutTail = findExperiment('fanout-tail');
const fan = await fanoutTail.run({ fanouts: fanouts, requests: fanoutRequests }, runOptions);
const fanFigures = fanoutTail.figures(fan, fanoutTail.resolve({}));
show(fanFigures[0]);
show(fanFigures[1]);
show(
  fan.select(
    'fanout',
    'slowFraction',
    'slowFraction_lo',
    'slowFraction_hi',
    'slowFraction_theory',
    'p50',
    'p50_theory',
    'p99',
    'p99_theory',
  ),
);

// %% [markdown]
// At n = 100, about 63 % of requests are slower than a single leaf's p99 (table: simulated and
// 1 − 0.99^100 = 0.634), and the request's median is about the leaf's p99. The tail of the parts becomes the
// body of the whole: at scale, a leaf's p99 is what a user sees, so that is what to engineer.
// (Three replications of 1,500 requests: the slow fraction at n = 100 is 0.635, ±5 %; at n = 2 to 10, where
// only 2-10 % of requests are slow, it is ±27-75 %; the request's p50 is within ±5 % from n = 2 on.)
//
// ## 4. Retry storms and the metastable failure
//
// A service of 4 workers (mean 100 ms: capacity 40 requests/s), a client with a 1 s per-try timeout and up
// to 3 retries. At t = 60 s the load surges ×2.5 for 20 s. We measure from t = 120 s, long after the surge.

// %%
const retryStorm = findExperiment('retry-storm');
const storm = await retryStorm.run({ utilisations: utilisations }, runOptions);
const stormFigures = retryStorm.figures(storm, retryStorm.resolve({}));
show(stormFigures[0]);
show(stormFigures[1]);
show(
  aq.from(
    rows(storm).map((r: any) => ({
      strategy: r.strategy,
      ρ: r.rho,
      'goodput / offered': fmt(r.goodputRatio),
      'p99 (s)': fmt(r.p99),
      'attempts per request': fmt(r.attemptsPerRequest, 2),
      'attempt failure f': fmt(r.attemptFailure),
      'Σ_{i≤r} f^i':
        r.strategy === 'retry budget'
          ? '— (the budget refuses retries)'
          : fmt(
              microservices.retryLoadMultiplier(
                Math.max(0, r.attemptFailure),
                r.strategy === 'no retries' ? 0 : 3,
              ),
              2,
            ),
    })),
  ),
);

// %% [markdown]
// Without retries the surge passes: the queue drains and goodput returns to the offered load. With naive
// retries (and with back-off and jitter, which spreads the same retries over time but does not remove any)
// every load at which the surge overloads the service (2.5ρ > 1, so ρ ≥ 0.5 here) stays down after the surge:
// each call waits more than 1 s in a queue full of work for callers that already gave up, so it times out,
// f → 1, and each request makes 1 + f + f² + f³ = 4 attempts; 4λ is more than the capacity at every such ρ,
// which keeps the queue full. The trigger is gone; the retries sustain the failure (a *metastable* failure,
// Bronson et al., HotOS 2021). The retry budget caps retries at 20 % of the calls in flight: the load stays
// near λ, and the service recovers, except at ρ = 0.85 where even 1.2·λ is more than the capacity.
//
// The timeline at ρ = 0.7 (requests answered in time per 2 s):

// %%
const stormTimeline = (strategy: string) => {
  const retrying = strategy !== 'no retries';
  const cfg = {
    services: [
      {
        name: 'api',
        servers: 4,
        service: Exponential.withMean(0.1),
        capacity: 120,
        retry_budget:
          strategy === 'retry budget'
            ? { budget_percent: 20, min_retry_concurrency: 3 }
            : undefined,
      },
    ],
    clients: {
      rate: 28,
      surges: [{ at: 60, duration: 20, multiplier: 2.5 }],
      call: {
        timeout: 1,
        retry_policy: retrying
          ? {
              num_retries: 3,
              retry_back_off: { base_interval: strategy === 'backoff + jitter' ? 0.1 : 0 },
            }
          : undefined,
      },
    },
    timelineBin: 2,
  };
  return microservices.simulateMicroservices(cfg, { seed: seed, duration: 240 }).timeline;
};
const strategies = ['no retries', 'naive retries', 'backoff + jitter', 'retry budget'];
const timelines = strategies.map(stormTimeline);
show(
  figure(
    strategies.map((s: string, i: number) =>
      line(
        timelines[i].t,
        timelines[i].ok.map((x: number) => x / 2),
        { name: s },
      ),
    ),
    {
      title: 'Goodput over time at ρ = 0.7: a surge ×2.5 over [60, 80) s',
      x: { title: 'time (s)' },
      y: { title: 'requests answered in time per second' },
    },
  ),
);

// %% [markdown]
// All four strategies answer the 28 requests/s before the surge. During the surge the naive and back-off
// strategies fall to nothing and never come back; without retries and with the budget, goodput returns to
// 28/s within seconds of the surge's end.
//
// ## 5. The circuit breaker
//
// The `api` calls a `dependency` (1 s timeout) for every request, 20 requests/s; the dependency hangs for
// 600 s (it still accepts connections, so every call waits for the timeout). Without a breaker all 20 calls/s
// reach it and every caller waits 1 s. Resilience4j's breaker opens at the 50th failure of its window of 100
// (50 + λT calls reach the dependency first), then lets 10 trial calls through per cycle of
// `waitDurationInOpenState` W plus the trials (10/λ to arrive, T to fail):
// calls/s ≈ [50 + λT + 10·(⌊(D − 50/λ − T − W)/(W + 10/λ + T)⌋ + 1)] / D; callers wait s_api + T·(calls reaching/λ).

// %%
const breakerExp = findExperiment('circuit-breaker');
const brk = await breakerExp.run({ waits: breakerWaits }, runOptions);
const brkFigures = breakerExp.figures(brk, breakerExp.resolve({}));
show(brkFigures[0]);
show(brkFigures[1]);
show(
  brk.select(
    'breaker',
    'wait',
    'callsPerSecond',
    'callsPerSecond_lo',
    'callsPerSecond_hi',
    'callsPerSecond_theory',
    'meanLatency',
    'meanLatency_theory',
    'p99',
  ),
);

// %% [markdown]
// At the default 60 s wait the dependency sees about 0.26 calls/s (theory 0.27; ±3.4 % over three
// replications) instead of 20, and callers
// fail fast in about 18 ms on average (±2.2 %) instead of waiting a second. The p99 is still the timeout: the trial calls wait for it. The
// price is the other side of the outage: after the dependency recovers, the breaker keeps rejecting until
// its next trial. Over a 200 s outage from t = 30 s (answered and rejected requests per 5 s, W = 60 s):

// %%
const brkTimeline = (breaker: boolean) => {
  const cfg: any = {
    services: [
      {
        name: 'api',
        servers: 8,
        service: Exponential.withMean(0.005),
        calls: [{ service: 'dependency', timeout: 1, circuitBreaker: breaker ? {} : undefined }],
      },
      {
        name: 'dependency',
        servers: 8,
        service: Exponential.withMean(0.01),
        onCrash: 'keep',
        propagateCancellation: true,
        failures: { outages: [{ at: 30, duration: 200 }] },
      },
    ],
    clients: { rate: 20 },
    timelineBin: 5,
  };
  return microservices.simulateMicroservices(cfg, { seed: seed, duration: 400 });
};
const withBreaker = brkTimeline(true);
const without = brkTimeline(false);
show(
  figure(
    [
      line(
        without.timeline.t,
        without.timeline.ok.map((x: number) => x / 5),
        { name: 'ok, no breaker' },
      ),
      line(
        withBreaker.timeline.t,
        withBreaker.timeline.ok.map((x: number) => x / 5),
        { name: 'ok, breaker' },
      ),
      line(
        withBreaker.timeline.t,
        withBreaker.timeline.errors.map((x: number) => x / 5),
        { name: 'failed fast, breaker', dash: 'dot' },
      ),
    ],
    {
      title: 'Requests per second through a 200 s outage (from 30 s)',
      x: { title: 'time (s)' },
      y: { title: 'requests per second' },
    },
  ),
);
show(aq.from(withBreaker.breakerTransitions.map((x: any) => ({ t: fmt(x.t, 1), state: x.state }))));

// %% [markdown]
// Without the breaker, service resumes the moment the dependency does (t = 230 s). With it, the breaker
// opened about 3 s into the outage, tried again every minute or so, and after the recovery stayed OPEN
// until its next HALF_OPEN trial, near t = 278 s, where it closed (the transitions table): nearly 50 s of
// extra outage, up to one `waitDurationInOpenState` in general, the cost of not hammering a sick dependency.
//
// ## 6. Hedged requests
//
// A frontend calls one of 10 leaf replicas (mean 10 ms). After the leaf's q-quantile latency a second copy
// goes to another replica; the first answer wins, the loser is cancelled. Without queueing the answer is
// min(X₁, d + X₂) (lines) and a fraction 1 − q of calls send a hedge.

// %%
const hedged = findExperiment('hedged-requests');
const hed = await hedged.run({ quantiles: hedgeQuantiles, requests: hedgeRequests }, runOptions);
const hedFigures = hedged.figures(hed, hedged.resolve({}));
show(hedFigures[0]);
show(
  hed.select(
    'setting',
    'q',
    'extraLoad',
    'extraLoad_theory',
    'p50',
    'p99',
    'p99_lo',
    'p99_hi',
    'p99_theory',
  ),
);

// %% [markdown]
// Without queueing a hedge at the leaf's p95 cuts the p99 from 46 ms to 38 ms for 5 % more calls; one at
// the median gets it to about 27 ms for 50 % more. With queueing leaves (M/M/1 at ρ = 0.5) the p95 hedge cuts
// the p99 from about 95 ms to 75 ms, also for about 5 % more calls: hedging late is cheap, hedging early
// buys less per extra call and adds load. (Three replications: without queueing the p99s are within
// ±12 %; with queueing leaves the unhedged p99 is 94 ms [75, 119], ±26 %, so that cut is at the edge of
// what this run resolves. The extra load is within ±7 % for hedges at or below the p75, ±15-41 % at the
// p90 and p95, and up to ±172 % at the p99, where 1 % of calls hedge.)
//
// ## 7. The bottleneck service
//
// 30 users (think time 0.1 s) call frontend (5 ms) → orders (20 ms) → database (10 ms, 3 calls per
// request); every replica has one worker. Demands per request: 5, 20 and 30 ms, so X ≤ 1/0.030 = 33 req/s.
// Lines: exact MVA; the table adds the bound 1/max(V_k·S_k/c_k).

// %%
const bottleneck = findExperiment('bottleneck-service');
const bot = await bottleneck.run({}, runOptions);
show(bottleneck.figures(bot, bottleneck.resolve({}))[0]);
show(bot.select('scaled', 'replicas', 'X', 'X_lo', 'X_hi', 'X_theory', 'X_bound'));

// %% [markdown]
// A second database replica lifts X from 33 to 50 req/s (each within ±5 % over three replications), where orders (20 ms) becomes the bottleneck;
// a third database replica adds nothing. Scaling orders first adds nothing at all: the database was the
// bottleneck all along.
//
// ## 8. Availability of a chain
//
// Each replica fails on its own (MTTF 4.95 s, MTTR 0.05 s: up 99 % of the time) and the balancer skips a
// crashed one. A request must pass through all L services.

// %%
const chain = findExperiment('chain-availability');
const chn = await chain.run({ lengths: chainLengths, duration: chainSeconds }, runOptions);
show(chain.figures(chn, chain.resolve({}))[0]);
show(
  chn.select(
    'replicas',
    'length',
    'availability',
    'availability_lo',
    'availability_hi',
    'availability_theory',
  ),
);

// %% [markdown]
// One replica each: 99 % per part gives about 90 % for ten (0.99^10 = 0.904). Two replicas each: every
// part is up 99.99 % of the time, and what remains is the calls a crash kills while in service; the chain
// of ten answers about 99.7 %. (Three replications of 240 s: 0.904 [0.885, 0.920] for ten single
// replicas, 0.997 [0.994, 0.999] for ten pairs.)
//
// ## 9. Path routing to pools
//
// The gateway sends `/images/*` to an image pool, `/api/*` to an API pool and everything else (uploads)
// to a default pool, each sized for its own load (70 % image requests of 20 ms, 25 % API calls of 100 ms,
// 5 % uploads of 1 s). Against one shared pool of the same servers (lines: M/M/1 per backend of the separate
// pools, M/G/1 for the shared pool with the mixed service times):

// %%
const routingExp = findExperiment('gateway-path-routing');
const routing = await routingExp.run({}, runOptions);
const routingFigures = routingExp.figures(routing, routingExp.resolve({}));
show(routingFigures[0]);
show(
  routing
    .filter((d: any) => d.rate === 100)
    .select(
      'layout',
      'W_images',
      'W_images_theory',
      'W_api',
      'W_api_theory',
      'W_upload',
      'W_upload_theory',
    ),
);

// %% [markdown]
// Separate pools isolate: at 100 requests/s an image request takes about 37 ms in its own pool (the table's
// M/M/1 theory: 37.5 ms; ±11 % over three replications), while in the shared pool it waits about a second
// (1.03 s, [0.45, 2.36]: ±129 %, since the shared pool's service mixture has a squared coefficient of
// variation near 12; the gap, a factor of 10 to 30 at every rate, is far outside both intervals)
// behind seconds-long uploads. The shared pool is better for the uploads
// (pooling); a slow pool slows only its own path.
//
// ## What to take away
//
// 1. Fan-out turns a leaf's rare slowness into the common case: 1 − 0.99^n is 63 % at n = 100. Engineer the
//    leaves' p99 (or hedge, or wait for k of n).
// 2. Retries multiply load by Σ f^i exactly when the service is sick (f → 1): a surge can leave it stuck
//    after the surge ends. Back-off spreads retries but does not remove them; a retry budget (or no retries)
//    does.
// 3. A circuit breaker cuts the load on a dead dependency to about
//    `permittedNumberOfCallsInHalfOpenState` per `waitDurationInOpenState` and lets callers fail fast, at
//    the price of up to one wait of extra outage after recovery.
// 4. Hedging after the p95 buys a shorter tail for about 5 % more calls; earlier hedges cost more per gain.
// 5. Only the bottleneck service's replicas raise throughput: X ≤ 1/max(V_k·S_k/c_k).
// 6. A serial chain's availability is the product of its parts; redundancy inside each part is what keeps a
//    long chain available.
// 7. A gateway's rule order matters under first-match semantics (wildcards last), not under longest prefix.
//
// ## Exercises
//
// 1. Set `fanouts = [100, 200, 500]`: where does the median request pass the leaf's p99?
// 2. `npx scalelab run retry-storm --set utilisations=0.4,0.45`: at which load does the surge stop
//    triggering the storm? (Hint: 2.5ρ against 1.)
// 3. Set `breakerWaits = [1, 5]`: how many calls reach the dependency now, and what does that do to the
//    caller's mean latency?
// 4. `npx scalelab run hedged-requests --set rho=0.8`: do early hedges still pay when the leaves are busy?
// 5. `npx scalelab run bottleneck-service --set scaled=frontend`: why is the line flat?
// 6. In section 1, make `pricing` slow (`service: Exponential.withMean(0.1)`): which requests time out,
//    and how many retries does that cost?
