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
// # 12 · Scaling a web application, end to end
//
// **The question.** A web application starts on one server. As users come, what do you add first, and
// what does each addition buy? System-design courses tell the story in steps: move the database off
// the web host, put a balancer in front of several web servers, add read replicas, a memcached layer,
// a CDN for static content, make the web tier stateless and autoscale it, and finally run two
// datacenters behind GeoDNS. This lab measures every step twice, with theory and with simulation,
// on one architecture that grows: how many users each step supports at a p95 of 0.5 s, with how many
// servers, at what cost and availability, and where the bottleneck goes next.
//
// **The model** (`lib/systems/architecture`; each step is one JSON file under
// `data/architectures/`, validated against the JSON Schema `lib/systems/architecture/schema.json`):
// - **Users**: a closed population, each thinking 7 s (exponential) between requests; a request
//   costs an 80 ms round trip (30 ms to the nearest datacenter under GeoDNS).
// - **Requests**: 60 % static (5 ms of web CPU, or a CDN edge hit of 20 ms); of the dynamic ones, 90 %
//   reads (50 ms of web CPU, a memcached get of 1 ms, a 20 ms query on a miss) and 10 % writes (50 ms of
//   web CPU, a 25 ms write on the primary).
// - **Servers**: every server is one CPU shared by processor sharing (a kernel `Station`, `ps`); the
//   balancer sends each request to a web server at random, reads go to a random replica (the primary
//   when there are none), writes to the primary. The cache is a real LRU store read with Zipf(1.0)
//   keys over 50,000 objects, 10,000 held.
// - **The analytic model**: the same network solved by exact MVA with think time (Reiser and
//   Lavenberg 1980): processor-sharing stations with class-dependent demands are product form (BCMP
//   1975), so means and utilisations are **exact**. Approximations, named: the cache hit ratio by
//   **Che's approximation**; the autoscaler's server count (the fewest in [min, max] at ≤ 70 % web CPU);
//   and the **p95**, from a gamma fitted to each request class's mean and variance (per-visit sojourns
//   independent, each with the M/M/1-PS squared coefficient of variation (2 + ρ)/(2 − ρ)).
// - **Availability**: a block diagram of independent servers, each up MTTF/(MTTF + MTTR) with MTTF
//   30 days and MTTR 1 h; with a read replica the primary is down only for the 60 s failover; the
//   cache and replicas are not needed to answer (reads fall back).
//
// Assumptions worth doubting: exponential CPU times; no connection limits, timeouts or retries; one
// CPU per server; sessions cost nothing; the second datacenter has its own primary (data partitioned
// by region), so no cross-site writes.

// %% [markdown]
// ## Parameters
//
// Rerun with other values: `npx scalelab notebooks run 12 --param duration=100`.

// %% tags=["parameters"]
const duration: number = 40;       // measured seconds per replication, at least 8000 requests' worth (after a 15 s warm-up)
const replications: number = 3;
const seed: number = 1;
const curvePoints: number = 16;     // users per step on the throughput and p95 curves

// %%
import * as aq from 'arquero';
import { show, figure, line, markers, findExperiment, architecture } from 'scalelab';
const scalingExp = findExperiment('web-app-scaling');
const steps = architecture.exampleArchitectures();

// %% [markdown]
// ## 1. The eight steps, at the users each supports
//
// For each step the analytic model finds the largest population whose p95 meets 0.5 s
// (`usersAtTarget`); the simulation then runs the step at that population (3 replications). The
// simulated p95 should sit near the target line, and the simulated mean response time should match
// MVA's exactly up to noise.

// %%
const t = await scalingExp.run({ duration: duration }, { seed: seed, replications: replications });
const rows = t.objects() as any[];
show(aq.from(rows.map((r) => ({ step: r.step, name: r.name, usersAtTarget: r.usersAtTarget,
  p95: r.p95.toFixed(3), p95_95CI: '[' + r.p95_lo.toFixed(3) + ', ' + r.p95_hi.toFixed(3) + ']', p95_theory: r.p95_theory.toFixed(3),
  meanResponse: r.meanResponse.toFixed(3), meanResponse_theory: r.meanResponse_theory.toFixed(3),
  servers: r.servers, costPerHour: r.cost.toFixed(2), availability: r.availability.toFixed(5), bottleneck: r.bottleneck }))));

// %%
const x = rows.map((r) => r.step);
show(figure([
  line(x, rows.map((r) => r.usersAtTarget), { name: 'users at p95 ≤ 0.5 s (MVA)' }),
], { title: 'Users supported at the target p95, per step', x: { title: 'step' }, y: { title: 'users', log: true } }));
show(figure([
  line(x, rows.map((r) => r.p95_theory), { name: 'p95, theory (gamma-mixture approximation)' }),
  markers(x, rows.map((r) => r.p95), { name: 'p95, simulated (95 % CI)', lower: rows.map((r) => r.p95_lo), upper: rows.map((r) => r.p95_hi) }),
  line(x, rows.map((r) => r.meanResponse_theory), { name: 'mean, MVA (exact)', dash: 'dot' }),
  markers(x, rows.map((r) => r.meanResponse), { name: 'mean, simulated (95 % CI)', lower: rows.map((r) => r.meanResponse_lo), upper: rows.map((r) => r.meanResponse_hi) }),
  line([1, 8], [0.5, 0.5], { name: 'target p95', dash: 'dash', color: 'gray' }),
], { title: 'Response time at the users supported: theory and simulation', x: { title: 'step' }, y: { title: 'seconds', fromZero: true } }));

// %% [markdown]
// ## 2. Throughput and p95 against users: the knee moves right
//
// Each step's curve from the analytic model (MVA at `curvePoints` populations up to 2.5 × its
// usersAtTarget), the simulated point at usersAtTarget on top. Throughput grows as N/(Z + R) until the
// bottleneck saturates at 1/D_max per datacenter; then the response time climbs and the p95 crosses
// the target: that knee is what each step pushes to the right.

// %%
const curves = steps.map((a, i) => {
  const k = a.geodns ? a.geodns.datacenters : 1;
  const top = rows[i].usersAtTarget * 2.5;
  const ns = Array.from({ length: curvePoints }, (_, j) => Math.max(k, Math.round((top * (j + 1)) / curvePoints / k) * k));
  return { step: i + 1, ns: ns, evals: ns.map((n) => architecture.evaluate(a, n)) };
});
show(figure([
  ...curves.map((c) => line(c.ns, c.evals.map((e) => e.throughput), { name: 'step ' + c.step, group: 's' + c.step })),
  markers(rows.map((r) => r.usersAtTarget), rows.map((r) => r.throughput), { name: 'simulated at usersAtTarget (95 % CI)', lower: rows.map((r) => r.throughput_lo), upper: rows.map((r) => r.throughput_hi), color: 'black' }),
], { title: 'Throughput against users, per step (MVA lines, simulated points)', x: { title: 'users', log: true }, y: { title: 'requests/s', log: true } }));
show(figure([
  ...curves.map((c) => line(c.ns, c.evals.map((e) => e.p95), { name: 'step ' + c.step, group: 's' + c.step })),
  markers(rows.map((r) => r.usersAtTarget), rows.map((r) => r.p95), { name: 'simulated p95 (95 % CI)', lower: rows.map((r) => r.p95_lo), upper: rows.map((r) => r.p95_hi), color: 'black' }),
  line([100, 20000], [0.5, 0.5], { name: 'target', dash: 'dash', color: 'gray' }),
], { title: 'p95 response time against users, per step', x: { title: 'users', log: true }, y: { title: 'p95 (s)', range: [0, 1.5] } }));

// %% [markdown]
// ## 3. Where the bottleneck goes
//
// Utilisation of one server of each tier at usersAtTarget (lines: MVA; points: simulated, 95 % CI).
// A tier absent from a step shows 0.

// %%
const tiers = ['balancer', 'web', 'cache', 'primary', 'replicas'];
show(figure(tiers.flatMap((tier) => [
  line(x, rows.map((r) => r[tier + 'Utilisation_theory']), { name: tier + ' (MVA)', group: tier }),
  markers(x, rows.map((r) => r[tier + 'Utilisation']), { name: tier + ' (simulated)', group: tier, lower: rows.map((r) => r[tier + 'Utilisation_lo']), upper: rows.map((r) => r[tier + 'Utilisation_hi']), showlegend: false }),
]), { title: 'Utilisation per tier at the users supported', x: { title: 'step' }, y: { title: 'utilisation of one server', range: [0, 1] } }));

// %% [markdown]
// ## 4. What each step costs
//
// Servers and cost per hour at usersAtTarget (0.20 per server-hour, 0.50 per hour for the CDN), and
// the cost per thousand users supported.

// %%
show(figure([
  line(x, rows.map((r) => r.cost), { name: 'cost per hour' }),
  line(x, rows.map((r) => (1000 * r.cost) / r.usersAtTarget), { name: 'cost per hour per 1000 users', dash: 'dot' }),
], { title: 'Cost per step', x: { title: 'step' }, y: { title: 'cost per hour', log: true } }));
show(aq.from(rows.map((r) => ({ step: r.step, servers: r.servers, webServers: r.webServers, costPerHour: r.cost.toFixed(2),
  costPer1000Users: ((1000 * r.cost) / r.usersAtTarget).toFixed(3), availability: r.availability.toFixed(5) }))));

// %% [markdown]
// ## What to take away
//
// - **Each step moves the bottleneck, and only the bottleneck's step pays.** Moving the database off
//   the host (step 2) buys little, because the web CPU was the bottleneck; more web servers (step 3)
//   then make the primary the bottleneck, replicas (step 4) move it to the replicas, memcached
//   (step 5) takes the reads off them and the web tier is the bottleneck again.
// - **Writes are what replicas and caches cannot scale**: once the web tier autoscales (step 7), the
//   primary, which takes every write, is the bottleneck, and only partitioning the data (here by
//   region, step 8) goes past it.
// - **Theory and simulation agree where the model is exact**: the simulated mean response times sit on
//   MVA's (exact for processor-sharing stations); the p95 approximation and Che's hit ratio are close
//   but approximations. With these defaults the p95 approximation errs high: every simulated p95
//   is 3–12 % below it (0.482 s against 0.499 s at step 4, 0.438 s against 0.498 s at step 2), so the
//   users supported are, if anything, understated.
// - **Availability is a separate axis**: every single box that every request needs (the host, the
//   balancer, the primary) caps it at MTTF/(MTTF + MTTR) = 0.99861 each; read replicas let a replica be
//   promoted in `failoverTime` (60 s) instead of an hour's repair, and the balancer pair (step 7) is
//   what lifts the whole past the 0.999 target.
//
// ## Exercises
//
// 1. Run `npx scalelab plan data/architectures/05-memcache.json`: what is the cheapest configuration
//    for the same target, and what does losing one replica do?
// 2. Double `database.writeServiceTime` in step 7's file: which step's capacity drops most, and why
//    only from step 7 on?
// 3. Set `duration` to 100 in the parameters cell: do the simulated p95 intervals close in on the
//    theory line, or does the gap stay (the approximation's bias)?
