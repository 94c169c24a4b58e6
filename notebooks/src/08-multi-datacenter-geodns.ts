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
// # 08 · Multiple datacenters and GeoDNS
//
// **The question.** Users are spread over the world and the service runs in one datacenter or in
// several. Which site should DNS send each user to, and how much round-trip time does each Route 53
// routing policy save? When a site dies, how many requests fail before DNS and the resolvers' caches
// stop sending users there, and what do the TTL and the health check's interval have to do with it?
// How much spare capacity must the surviving sites have? And what does replicating the database
// across sites cost in write latency, and lose when a site dies?
//
// **The model** (`lib/systems/geodns`, on the simulation kernel):
// - **Client regions**: Poisson requests at a rate per region (optionally with a daily swing by time
//   zone), the clients sitting next to an AWS region.
// - **Round-trip times** between regions: the published mean EC2-to-EC2 ping times between nine AWS
//   regions, from the table of the post *AWS Regions* (*A Computer Scientist Learns AWS*, April 2017;
//   `data/geodns/README.md` says exactly where they come from and what they leave out). Same-region RTT
//   is 0 (the table has no figure for it), so `accessRtt` (default 0) is the only access-network time.
// - **Datacenters**: kernel `Station`s (c servers, exponential service) that crash through the shared
//   `FailureProcess`; a request that reaches a dead site fails, as do those inside it at the crash.
// - **The DNS layer**: the authoritative server answers by **Route 53 routing policy** (`geolocation`
//   by continent with a default `*` record, `latency`-based, `weighted`, `failover` PRIMARY/SECONDARY),
//   skipping records whose **health check** is unhealthy (`request_interval` 30 s or 10 s,
//   `failure_threshold` 3). Each region has 16 recursive **resolvers** that cache an answer for the
//   record's TTL (negative answers for min(SOA TTL, SOA MINIMUM) = 900 s, RFC 2308); a share of them
//   **stretch** TTLs (Unbound's `cache-min-ttl`). Clients may **retry** once at the answer's other address.
//
// Assumptions worth doubting: RTTs are fixed means (no jitter, no congestion); a client sits in its
// region's network; each request picks a resolver at random; one health checker stands for Route 53's
// many (they agree here, since a dead site fails every check).

// %% [markdown]
// ## Parameters
//
// Rerun with other values: `npx scalelab notebooks run 08 --param ttl=30 --param stretchShare=0.25`.

// %% tags=["parameters"]
const ttl: number = 60; // record TTL (s) for the latency and timeline sections
const requestInterval: number = 30; // Route 53 health check request_interval: 30 or 10 s
const stretchShare: number = 0.125; // share of resolvers with cache-min-ttl in the timeline
const cacheMinTtl: number = 900; // their cache-min-ttl (s)
const failoverRate: number = 20; // requests/s of the clients whose site dies
const replications: number = 3;
const seed: number = 1;

// %%
import * as aq from 'arquero';
import { show, figure, line, findExperiment, geodns, Exponential } from 'scalelab';
const latencyExp = findExperiment('geodns-latency');
const failoverExp = findExperiment('dns-ttl-failover');
const capacityExp = findExperiment('active-active-capacity');
const replicationExp = findExperiment('cross-site-replication');

// %% [markdown]
// ## 1. The distances
//
// The round-trip times (ms) between the regions of this lab, as published (row: from, column: to).

// %%
const labRegions = [
  'us-east-1',
  'us-west-2',
  'eu-west-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
];
const matrix = geodns.awsRttMatrix();
const idx = (r: string) => geodns.AWS_REGIONS.indexOf(r as any);
show(
  aq.from(
    labRegions.map((from) =>
      Object.fromEntries([
        ['from', from],
        ...labRegions.map((to) => [to, Math.round(matrix[idx(from)][idx(to)] * 1000 * 10) / 10]),
      ]),
    ),
  ),
);

// %% [markdown]
// ## 2. Where each policy sends users, and what it costs in RTT
//
// Clients in six regions (30, 12, 25, 15, 10 and 8 req/s from us-east-1, us-west-2, eu-west-1,
// ap-northeast-1, ap-southeast-1, ap-southeast-2: an illustrative mix, a parameter of the experiment)
// and 1 to 4 sites, added in the order N. Virginia, Ireland, Tokyo, Sydney. Geolocation has one record
// per continent (N. Virginia is the default `*` record, so it serves North America and any continent
// without a site); failover makes N. Virginia PRIMARY and the others SECONDARY (active-passive).
// The lines are exact: each region's share of the requests times the policy's answer shares is a
// discrete mixture of RTTs; its mean and 95th percentile are the theory.

// %%
const latency = await latencyExp.run({ ttl: ttl }, { seed: seed, replications: replications });
const latencyFigures = latencyExp.figures(latency, latencyExp.resolve({}));
show(latencyFigures[0]);
show(latencyFigures[1]);
show(
  latency.select(
    'policy',
    'sites',
    'meanRtt',
    'meanRtt_lo',
    'meanRtt_hi',
    'meanRtt_theory',
    'p95Rtt',
    'p95Rtt_theory',
    'meanLatency',
  ),
);

// %% [markdown]
// Read the figures with the table (RTTs in ms; the lines are the exact mixtures):
// - **One site** (N. Virginia): every policy gives the same 92.6 ms mean, and a p95 of 229.7 ms: the
//   Sydney clients (8 % of the requests) are 229.7 ms away.
// - **Geolocation and latency-based** routing fall to 18.0 ms with four sites, the p95 to 88.7 ms (the
//   Oregon clients, 12 % of the requests, are served from N. Virginia, 88.7 ms away: Tokyo is 89.1 ms).
// - With **three sites** latency-based routing beats geolocation, 26.3 ms against 36.4 ms: Sydney has
//   no continent record yet, so geolocation sends its clients to the default record (N. Virginia,
//   229.7 ms), while latency-based routing sends them to Tokyo (103.9 ms). Geolocation is only as good
//   as its record set; latency-based routing needs none.
// - **Weighted** routing with equal weights gets *worse* with every site (lines at 106.8, 112.2, 133.9 ms): it
//   spreads users over the world wherever they are. Its intervals are wide because each resolver sends
//   all of its clients to the one site it drew, for a whole TTL, so the shares vary from run to run.
// - **Failover** (active-passive) stays at one site's 92.6 ms: the SECONDARY serves nobody while the
//   PRIMARY is healthy.
// `meanLatency` adds about 100 ms spent in the datacenter (queue and service) to the RTT.
//
// (Three replications: the mean RTTs are within ±4 % under geolocation, latency and failover routing and
// ±16 % under weighted routing, where a resolver's site is a draw; a p95 is one client region's RTT, the
// same in every replication.)

// %% [markdown]
// ## 3. A site dies: the timeline
//
// Clients in us-east-1 at `failoverRate` req/s, Route 53 failover routing: N. Virginia PRIMARY, Oregon
// SECONDARY. The PRIMARY dies at 60 s. Its health check fails `failure_threshold` = 3 checks in a row
// before Route 53 answers with Oregon; until then every request fails. After that each resolver keeps
// sending its clients to the dead site until its cached answer expires, and the stretching resolvers
// (`stretchShare` of them) keep it for `cacheMinTtl`. Counts per 10 s bin, one run:

// %%
const timelineConfig = (retry: boolean) => ({
  regions: [{ name: 'us-east-1', rate: failoverRate }],
  datacenters: [
    {
      name: 'virginia',
      region: 'us-east-1',
      servers: 4,
      service: new Exponential(10),
      failover: 'PRIMARY' as const,
      failures: { outages: [{ at: 60, duration: Infinity }] },
    },
    {
      name: 'oregon',
      region: 'us-west-2',
      servers: 4,
      service: new Exponential(10),
      failover: 'SECONDARY' as const,
    },
  ],
  routing: { policy: 'failover' as const, ttl: ttl },
  health_check: { request_interval: requestInterval as 10 | 30, failure_threshold: 3 },
  resolvers: { perRegion: 16, stretchShare: stretchShare, 'cache-min-ttl': cacheMinTtl },
  client: { retry: retry },
});
const run = geodns.simulateGeoDns(timelineConfig(false), {
  seed: seed,
  duration: 60 + 90 + cacheMinTtl + 60,
});
const tl = run.timeline;
const perSecond = (xs: number[]) => xs.map((x) => x / 10);
const mid = tl.t.map((t) => t + 5); // each 10 s bin at its middle
show(
  figure(
    [
      line(mid, perSecond(tl.sent[0]), { name: 'sent to N. Virginia (PRIMARY)' }),
      line(mid, perSecond(tl.sent[1]), { name: 'sent to Oregon (SECONDARY)' }),
      line(mid, perSecond(tl.failed), { name: 'failed', dash: 'dot' }),
    ],
    {
      title: 'Requests per second after the PRIMARY dies at 60 s',
      x: { title: 'time (s)' },
      y: { title: 'requests per second' },
    },
  ),
);
const withRetry = geodns.simulateGeoDns(timelineConfig(true), {
  seed: seed,
  duration: 60 + 90 + cacheMinTtl + 60,
});
show(
  aq.from([
    {
      clients: 'no retry',
      requests: run.requests,
      failed: run.failed,
      retried: run.retried,
      detection: run.datacenters[0].detection.mean,
      lastFailure: run.recoveryTime,
      meanLatencyMs: run.latency.mean * 1000,
      p99LatencyMs: run.latency.p99 * 1000,
    },
    {
      clients: 'retry at the second address',
      requests: withRetry.requests,
      failed: withRetry.failed,
      retried: withRetry.retried,
      detection: withRetry.datacenters[0].detection.mean,
      lastFailure: withRetry.recoveryTime,
      meanLatencyMs: withRetry.latency.mean * 1000,
      p99LatencyMs: withRetry.latency.p99 * 1000,
    },
  ]),
);

// %% [markdown]
// The PRIMARY dies at 60 s. For the next 65 s (this run's detection time: three failed checks 30 s
// apart, the first at a random point of the interval) DNS still answers with it and every request
// fails: the dotted line covers the PRIMARY's. Then Oregon takes over as the resolvers' cached answers
// expire, over one TTL (60 s). What is left afterwards, about 2.5 requests a second, is the 1/8 of
// clients behind the two resolvers with `cache-min-ttl` 900 s: they keep failing until their answers
// run out, the last one 940 s after the crash. In all, 3,719 of 22,295 requests failed.
//
// With **client retry** (the second row), no request fails: the 3,719 requests that reached the dead site
// were retried at the answer's other address, each after the client's 1 s connect timeout. That moves
// the mean latency from 188 ms to 358 ms and the p99 from 566 ms to 1,383 ms. (The model's answer
// carries a second address, the one the same policy gives with the first unhealthy, as a multivalue
// answer or a client with a fallback hostname would; a Route 53 failover record alone returns one.)

// %% [markdown]
// ## 4. Failed requests and recovery time vs TTL and detection
//
// The sweep (`dns-ttl-failover`): TTL 10, 60, 300 s; `request_interval` 10 and 30 s (mean detection
// D = (3 − ½)·interval = 25 and 75 s); no stretching resolvers, or 1/8 of them with `cache-min-ttl`
// 900 s. **Theory**: with cached answers aged uniformly on [0, TTL), a client keeps the dead address
// for TTL/2 on average after detection, so about **λ·(D + TTL/2)** requests fail. Exactly, a resolver
// with requests at λ_res holds an answer a share λ_res·T/(1 + λ_res·T) of the time, which shaves a
// little off at short TTLs; the lines use that form (and the stretching resolvers' cache-min-ttl), the
// table also lists the plain λ·(D + TTL/2). Recovery (the last failed request) comes about D + TTL
// after the crash, D + cache-min-ttl with stretching resolvers.

// %%
const failover = await failoverExp.run(
  { rate: failoverRate, cacheMinTtl: cacheMinTtl },
  { seed: seed, replications: 12 },
);
const failoverFigures = failoverExp.figures(failover, failoverExp.resolve({}));
show(failoverFigures[0]);
show(failoverFigures[1]);
show(
  failover.select(
    'stretchShare',
    'request_interval',
    'detection',
    'ttl',
    'failedRequests',
    'failedRequests_lo',
    'failedRequests_hi',
    'failedRequests_theory',
    'failedRequests_ttl2',
    'recoveryTime',
    'recoveryTime_theory',
  ),
);

// %% [markdown]
// - Without stretching resolvers every point lies on its line (the table's intervals contain the theory):
//   at `request_interval` 30 s and TTL 60 s, 2,075 requests fail (95 % interval 1,962 to 2,187), against
//   2,094 from the renewal form and λ·(D + TTL/2) = 20·(75 + 30) = 2,100.
// - **Detection dominates short TTLs**: at TTL 10 s, 586 requests fail with 10 s checks and 1,584 with
//   30 s checks; λ·D alone is 500 and 1,500. At TTL 300 s the cache dominates: λ·TTL/2 = 3,000.
//   Route 53's default check (30 s × 3) costs as much as a 150 s TTL.
// - **Recovery** takes about D + TTL (84 s at TTL 10 s with 30 s checks, 358 s at TTL 300 s).
// - **Resolvers that stretch TTLs** (1/8 of them, 900 s) add about 1,100 failures at TTL 10 s in theory
//   (1,355 measured: 1,941 against 586 with 10 s checks) and push recovery to 715-793 s whatever the TTL: publishing a short TTL does
//   not help the clients behind them. These points scatter more (two resolvers decide them), and the
//   recovery line (D + 900·m/(m + 1) with m = 2 resolvers) is an approximation.

// %% [markdown]
// ## 5. Active-active: the capacity to absorb a failed site (N+1)
//
// k equal active sites (4 servers each, 0.1 s a request) behind weighted routing with equal weights and
// TTL 0 (so each request is split at random), each at utilisation ρ. When one dies and its health check
// removes it, each survivor carries **ρ·k/(k − 1)**: with two sites the survivor doubles its load, with
// four it takes a third more. Each survivor is then an M/M/c queue at that load (lines); where
// ρ·k/(k − 1) ≥ 1 there is no steady state and no line: the queue grows for as long as the failure lasts, and
// the run flags itself overloaded (open crosses; the `overloaded` column is the share of replications flagged).

// %%
const capacity = await capacityExp.run({}, { seed: seed, replications: replications });
const capacityFigures = capacityExp.figures(capacity, capacityExp.resolve({}));
show(capacityFigures[0]);
show(capacityFigures[1]);
show(
  capacity
    .filter((d: any) => d.scenario === 'one site down')
    .select(
      'sites',
      'rho',
      'utilisation',
      'utilisation_theory',
      'meanLatency',
      'meanLatency_lo',
      'meanLatency_hi',
      'meanLatency_theory',
      'p95Latency',
      'p95Latency_theory',
      'overloaded',
    ),
);

// %% [markdown]
// - Normal operation (the three lines that overlap at the bottom): latency does not depend on k, each site
//   is the same M/M/4 queue at ρ.
// - **Two sites**: at ρ = 0.4 the survivor runs at 0.80 and its mean latency goes from 0.10 s to 0.16 s
//   (M/M/4 at 0.8: 0.175 s, inside the interval 0.150 to 0.177 s); at ρ = 0.5 it is saturated, 1.00, and the queue grows for as long
//   as the failure lasts (a mean of 2.2 s after 150 s; 20 s at ρ = 0.6).
// - **Three sites** can run at ρ = 0.6 (survivors at 0.90, mean 0.33 s against 0.30 s in theory), **four**
//   at 0.7 (survivors at 0.94, theory 0.93).
// - N+1 sizing: keep the normal utilisation below target·(k − 1)/k. For a survivor target of 0.8 that is
//   0.4 with two sites, 0.53 with three, 0.6 with four: more, smaller sites waste less headroom.
//
// (Three replications: the utilisations are within ±8 %; the mean latencies within ±23 % wherever the
// survivors run below 0.9, and ±10-73 % at 0.9 and above, near or past the knee: 2.2 s [1.3, 3.7] for the
// saturated two-site survivor at ρ = 0.5, 0.49 s [0.28, 0.85] for four sites at ρ = 0.7.)

// %% [markdown]
// ## 6. Cross-site replication: lag, write latency and lost writes vs distance
//
// The database's primary in N. Virginia, one replica in another region, replicated by lab 06's
// simulator (`replication.simulateReplication`) over a link of one-way latency d = RTT/2 from the
// table above; 50 writes/s, apply rate 250/s. The primary site dies at 20 s and the replica is
// promoted 2 s later. Theory: replay lag d + 1/(μ − λ) (the apply queue, M/M/1); write latency the
// 1 ms commit, plus one RTT and the replica's 0.2 ms flush for MySQL semisync and PostgreSQL sync;
// about λ·d committed writes are on the wire at the crash and are lost: acknowledged ones in async mode,
// never-acknowledged ones in semisync and sync.

// %%
const repl = await replicationExp.run({}, { seed: seed }); // its own 40 replications (about 2 s)
const replFigures = replicationExp.figures(repl, replicationExp.resolve({}));
show(replFigures[0]);
show(replFigures[1]);
show(
  repl.select(
    'mode',
    'region',
    'rtt',
    'lag',
    'lag_theory',
    'writeLatency',
    'writeLatency_theory',
    'lostAcknowledged',
    'lostAcknowledged_theory',
    'lostUnacknowledged',
  ),
);

// %% [markdown]
// - **Write latency**: async writes take the 1 ms local commit wherever the replica is; MySQL semisync and
//   PostgreSQL sync add one round trip and the flush: 73.9 ms with the replica in N. California, 231.2 ms
//   in Sydney (the two modes coincide, so semisync's markers hide under sync's).
// - **Lag**: d plus the apply queue's 1/(μ − λ) = 5 ms: 41.4 ms (N. California) to 120.0 ms (Sydney), as the
//   table shows beside the theory (40 replications: the lags within ±0.2 %, the write latencies ±1 %).
// - **Writes lost** when the primary site dies: about λ·d, from 1.8 (N. California) to 5.8 (Sydney) in theory,
//   2.0 to 5.5 measured (means of 40 crashes, ±14-28 %; the intervals contain the line). Async had acknowledged
//   them: the clients were told the writes were safe. Semisync and sync lose as many, but never
//   acknowledged: their clients saw errors, not silent loss.

// %% [markdown]
// ## What to take away
//
// - **Route by place or by measured latency.** With four sites geolocation and latency-based routing cut the
//   mean RTT from 92.6 ms to 18.0 ms; weighted routing spreads users everywhere and makes it worse;
//   failover (active-passive) keeps one site's latency. Geolocation is only as good as its record set.
// - **A site failure costs about λ·(D + TTL/2) failed requests.** D = (failure_threshold − ½)·request_interval
//   is 75 s with Route 53's defaults, as much as a 150 s TTL: fast checks (10 s) are worth as much as a
//   short TTL. The theory holds inside the intervals.
// - **Clients and resolvers that ignore the TTL set the tail**: recovery takes D + their cache time,
//   whatever TTL you publish. A client that retries at a second address hides the failure, for a
//   connect timeout of extra latency.
// - **N+1**: k active sites at utilisation ρ each carry ρ·k/(k − 1) when one fails; size them for it.
// - **Cross-site replication**: synchronous modes add one WAN round trip per write (74 to 231 ms here);
//   asynchronous mode loses about λ·d acknowledged writes when the primary site dies.
//
// ## Exercises
//
// 1. Set `requestInterval = 10` (fast health checks, a Route 53 option): how many of the timeline's failed
//    requests does it save, and is it worth more than a TTL of 10 s?
// 2. Set `stretchShare = 0`, then `0.5`: how does the tail of failures change, and which line of the
//    failover figure describes it?
// 3. `npx scalelab run geodns-latency --set accessRtt=0.02`: a 20 ms access network added to every
//    request. Which policy differences survive?
// 4. `npx scalelab run active-active-capacity --set servers=16`: more servers per site at the same ρ.
//    Does the latency during the failure stay closer to normal? Why (Erlang C)?
// 5. `npx scalelab run cross-site-replication --set writeRate=200`: the apply queue fills. Which of
//    lag, write latency and lost writes grows, and by how much?
