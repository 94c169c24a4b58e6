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
// # 02 · Think-time capacity: how many users does a tier hold?
//
// **The question.** Users do not send requests back to back: they read the page, type, think. If each
// user waits Z seconds between getting an answer and sending the next request, how many users can one
// server hold before response times blow up? How does the think time move that number, and what does
// moving the database off the web host buy?
//
// **The model.** A *closed* system: N users, each cycling through *think* (mean Z) and *request*
// (service demand D at the server, queueing behind other users' requests). Unlike lab 01 the arrival
// rate is not given: it falls as the server slows down, because users waiting for answers are not thinking.
// Three results carry the lab:
//
// - **The response-time law** (Little's law on the whole loop): N = X · (R + Z), so **R = N/X − Z**.
// - **Asymptotic bounds**: X ≤ min(N/(D + Z), 1/D_max) and R ≥ max(D, N·D_max − Z). They cross at the
//   knee **N\* = (D + Z)/D_max**: below it users barely interfere, past it throughput is flat at
//   1/D_max and every extra user adds D_max seconds to everyone's response time.
// - **Exact Mean Value Analysis** (Reiser and Lavenberg 1980) gives X(N) and R(N) in between, exactly for
//   exponential service and product-form networks.

// %% [markdown]
// ## Parameters

// %% tags=["parameters"]
const serviceDemand: number = 0.1; // D: seconds of server work per request
const thinkTimes: number[] = [2, 5, 10]; // Z values to compare (seconds)
const users: number[] = [1, 10, 20, 30, 40, 50, 60, 80, 100, 120, 150];
const responseTarget: number = 0.5; // seconds: the response-time target for the sizing question
const webDemand: number = 0.03; // seconds of web-server work per request
const dbDemand: number = 0.02; // seconds of database work per request
const tierThinkTime: number = 3; // Z for the tier comparison
const completions: number = 10000; // requests measured per replication
const replications: number = 5;
const seed: number = 1;

// %%
import * as aq from 'arquero';
import {
  show,
  mva,
  closedNetworkBounds,
  maxUsersFor,
  thinkTimeCapacity,
  tierSeparation,
} from 'scalelab';
const runOptions = { seed: seed, replications: replications };

// %% [markdown]
// ## 1. Throughput and response time vs users
//
// MVA (lines), simulation with 95% confidence intervals (points) and the asymptotic bounds (dotted),
// for each think time.

// %%
const capacity = await thinkTimeCapacity.run(
  { users: users, thinkTimes: thinkTimes, serviceDemand: serviceDemand, completions: completions },
  runOptions,
);
const [throughputFigure, responseFigure, lawFigure] = thinkTimeCapacity.figures(
  capacity,
  thinkTimeCapacity.resolve({}),
);
show(throughputFigure);
show(responseFigure);

// %% [markdown]
// Throughput first grows almost linearly (each user adds 1/(D + Z) requests per second), then bends
// and flattens at 1/D requests/s (10/s with the default D = 0.1 s). The response time mirrors it: flat near D, then a
// straight line of slope D past the knee. MVA tracks the simulation across the whole range; the bounds are
// tight far from the knee and loosest at it, where queueing is most uncertain.
//
// **Precision at the defaults** (the largest half-width of a 95% interval relative to its mean, over all
// points): throughput within ±5 %, response time within ±15 %. MVA is exact for this model, and 65 of
// the 66 intervals of X and R hold its value; the one that misses (R at N = 1, Z = 5 s: 0.0995 s,
// interval [0.0993, 0.0997] s, against D = 0.1 s) is off by half a per cent, a chance miss of the kind
// 95 % intervals make one time in twenty.

// %% [markdown]
// ## 2. The response-time law, checked on the simulation
//
// Each simulated point below is N/X − Z computed from the *simulated* throughput and think time; the line is
// MVA's response time. They agree because the law holds for any closed system in steady state, whatever
// the service distribution: it is how you turn a load test's throughput into a response time (or catch a
// load generator that is not doing what you think).

// %%
show(lawFigure);
show(capacity.filter((d: any) => d.N === 100).select('Z', 'N', 'X', 'R', 'R_law', 'R_theory'));

// %% [markdown]
// ## 3. How think time moves the knee
//
// N\* = (D + Z)/D: with the default D = 0.1 s, every second of think time lets about ten more users
// share the server before they start queueing for each other.

// %%
const knees = aq.from(
  thinkTimes.map((Z) => {
    const b = closedNetworkBounds({ demands: [serviceDemand], thinkTime: Z, users: 1 });
    return { Z: Z, Nstar: b.Nstar, maxThroughput: 1 / serviceDemand };
  }),
);
show(knees);

// %% [markdown]
// ## 4. How many users at a response-time target?
//
// The sizing question in closed form: the largest N whose MVA response time stays under the target. The
// simulation at that N and a little beyond confirms it.

// %%
const sizing = aq.from(
  thinkTimes.map((Z) => {
    const a = maxUsersFor({
      stations: [{ demand: serviceDemand }],
      thinkTime: Z,
      maxResponseTime: responseTarget,
    });
    return {
      Z: Z,
      maxUsers: a.N,
      R_at_max: a.responseTime,
      R_one_more: a.nextResponseTime,
      X_at_max: a.throughput,
    };
  }),
);
show(sizing);
const middleZ = thinkTimes[Math.floor(thinkTimes.length / 2)];
const nMax = maxUsersFor({
  stations: [{ demand: serviceDemand }],
  thinkTime: middleZ,
  maxResponseTime: responseTarget,
}).N;
const confirm = await thinkTimeCapacity.run(
  {
    users: [nMax, nMax + 10],
    thinkTimes: [middleZ],
    serviceDemand: serviceDemand,
    completions: completions * 2,
  },
  runOptions,
);
show(confirm.select('Z', 'N', 'R', 'R_lo', 'R_hi', 'R_theory'));

// %% [markdown]
// Past the knee each extra user adds about D to everyone's response time, so the answer is close to
// N\* + (target − D)/D: the target buys a few users beyond the knee, not many.
//
// ## 5. The database on its own tier
//
// Each request needs `webDemand` seconds of web-server work and `dbDemand` of database work (0.03 s and 0.02 s by default). On one host both
// queue for the same CPU: the demand is the sum, and throughput is capped at 1/(D_web + D_db). On two tiers,
// each host serves its part, so the cap is 1/max(D_web, D_db): the **bottleneck** is now the web tier. Adding
// a second web host moves it to the database. MVA (with a two-server web station) beside the simulation.

// %%
const tiers = await tierSeparation.run(
  { thinkTime: tierThinkTime, webDemand: webDemand, dbDemand: dbDemand, completions: completions },
  runOptions,
);
const [tierThroughput, tierResponse, dbUtilisation] = tierSeparation.figures(
  tiers,
  tierSeparation.resolve({}),
);
show(tierThroughput);
show(dbUtilisation);
show(
  tiers
    .filter((d: any) => d.N === 200)
    .select('config', 'X', 'X_theory', 'X_max', 'R', 'U_web', 'U_db'),
);

// %% [markdown]
// Separating the tiers buys the ratio of the caps, (D_web + D_db)/max(D_web, D_db): here 1.67× the
// throughput, and a much later knee (at the defaults throughput is within ±5 %, response time within
// ±20 % and the database's utilisation within ±5 %, and all 48 intervals of X and R hold MVA's value). The second web host buys the rest, up to 1/D_db, and then the database
// is saturated (its utilisation reaches 1) and nothing upstream helps: the next step is to cut D_db
// (indexes, caching: lab 07) or to spread reads over replicas (lab 06).
//
// ## What to take away
//
// 1. In a closed system the load adapts to the server: throughput flattens at 1/D_max and response time
//    grows linearly, by D_max per extra user, instead of exploding as in an open queue.
// 2. N\* = (D + Z)/D_max is the back-of-the-envelope capacity of a tier; think time is capacity.
// 3. R = N/X − Z holds for any closed system: use it to check load tests.
// 4. Separate tiers to stop demands adding up on one resource; then find the new bottleneck, the station
//    with the largest demand.
//
// ## Exercises
//
// 1. Set `thinkTimes = [0]`: a load generator with no think time. Where is the knee now, and what does
//    "users" mean for such a test?
// 2. Make the database the heavier tier (`dbDemand = 0.04`): does the second web host still help?
// 3. From a terminal: `npx scalelab model max-users-for --r 0.5 --think 5 --demands 0.1`, then the same with
//    `--demands 0.03,0.02` (two tiers).
