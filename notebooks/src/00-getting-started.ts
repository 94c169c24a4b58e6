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
// # 00 · Getting started
//
// **scalelab** is a lab workbook for system-design capacity work: closed-form queueing models beside
// discrete-event simulations of the same system, on the same axes, with confidence intervals.
//
// This notebook runs in the **tslab** TypeScript kernel. Each cell is type-checked against the
// library before it runs, so a misspelt parameter is caught before any simulation starts. Run the
// cells in order (*Run All* works). Figures are interactive plotly charts; tables are arquero tables.
//
// What you will see here: the kernel and the library, a first table (the M/M/1 queue in closed form),
// a first figure (theory beside a small simulation), and where to go next.

// %% [markdown]
// ## Parameters
//
// The cell below is tagged `parameters`: `scalelab notebooks run notebooks/00-getting-started.ipynb --param serviceRate=2`
// reruns the whole notebook with another value, and so does editing it here.

// %% tags=["parameters"]
// Service rate mu (requests per second one server completes) and the utilisations to study.
const serviceRate: number = 1.0;
const utilisations: number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9];
const customersPerRun: number = 20000;
const replications: number = 10;
const seed: number = 42;

// %% [markdown]
// ## The kernel and the library
//
// `import { ... } from 'scalelab'` works the same way here, in a script run with ts-node, and in your
// own project. `tslab.versions` tells which kernel you are on.

// %%
import * as tslab from 'tslab';
import * as aq from 'arquero';
import * as ss from 'simple-statistics';
import { version, figure, line, markers, show, ParameterError } from 'scalelab';

// The parameters are checked before anything runs: a bad value stops here with one line naming it
// (a negative service rate or a utilisation >= 1 would otherwise draw negative response times).
if (!(typeof serviceRate === 'number' && Number.isFinite(serviceRate) && serviceRate > 0))
  throw new ParameterError('serviceRate', serviceRate, 'must be a finite number > 0');
if (!Array.isArray(utilisations) || utilisations.length === 0)
  throw new ParameterError(
    'utilisations',
    utilisations,
    'must be a non-empty list of numbers in (0, 1)',
  );
utilisations.forEach((rho, i) => {
  if (!(typeof rho === 'number' && rho > 0 && rho < 1))
    throw new ParameterError(
      `utilisations[${i}]`,
      rho,
      'must be a number in (0, 1): an open queue has no steady state at ρ >= 1',
    );
});
if (!(Number.isInteger(customersPerRun) && customersPerRun >= 100 && customersPerRun <= 1e6))
  throw new ParameterError(
    'customersPerRun',
    customersPerRun,
    'must be an integer in [100, 1000000]',
  );
if (!(Number.isInteger(replications) && replications >= 2 && replications <= 100))
  throw new ParameterError('replications', replications, 'must be an integer in [2, 100]');
if (!(Number.isInteger(seed) && seed >= 0))
  throw new ParameterError('seed', seed, 'must be an integer >= 0');

console.log(
  `scalelab ${version} · tslab ${tslab.versions.tslab} (TypeScript ${tslab.versions.typescript}) · Node ${tslab.versions.node}`,
);

// %% [markdown]
// ## A first table: the M/M/1 queue
//
// Requests arrive at random (a Poisson process of rate λ) at one server that takes an exponential
// time of mean 1/μ per request. With utilisation ρ = λ/μ < 1, the mean response time and the mean
// number in the system are
//
// > **W = 1 / (μ − λ)**  and  **L = ρ / (1 − ρ) = λ W**  (the second equality is Little's law).
//
// (Kleinrock, *Queueing Systems* vol. 1, §3.2.)

// %%
const mm1 = aq.table({
  rho: utilisations,
  lambda: utilisations.map((rho) => rho * serviceRate),
  W: utilisations.map((rho) => 1 / (serviceRate - rho * serviceRate)),
  L: utilisations.map((rho) => rho / (1 - rho)),
});
show(mm1);

// %% [markdown]
// Read down the `W` column: going from ρ = 0.5 to 0.9 multiplies the response time by five,
// although the load grew by only 80%. That knee is what every later lab is about.
//
// ## A first figure: theory beside a simulation
//
// A single FIFO queue can be simulated in a few lines with Lindley's recursion: the wait of request
// *n+1* is `max(0, wait(n) + service(n) - gap(n+1))`. Ten independent replications per point give a
// mean and a 95% Student-t confidence interval. The simulation kernel (`scalelab`'s `sim` module) does
// the same for any network of stations; this is the idea in miniature.

// %%
// A small seeded generator (mulberry32), so every rerun gives the same numbers.
function generator(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const exponential = (u: () => number, rate: number) => -Math.log(1 - u()) / rate;

// Mean response time of one replication of M/M/1 (Lindley's recursion).
function simulateMM1(lambda: number, mu: number, n: number, rngSeed: number): number {
  const u = generator(rngSeed);
  let wait = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const service = exponential(u, mu);
    total += wait + service;
    wait = Math.max(0, wait + service - exponential(u, lambda));
  }
  return total / n;
}

const t975 = 2.262; // Student-t 0.975 quantile with 9 degrees of freedom (10 replications)
const simulated = utilisations.map((rho, i) => {
  const means = Array.from({ length: replications }, (_, r) =>
    simulateMM1(rho * serviceRate, serviceRate, customersPerRun, seed * 1000 + i * 100 + r),
  );
  const mean = ss.mean(means);
  return {
    rho: rho,
    W: mean,
    halfWidth: (t975 * ss.sampleStandardDeviation(means)) / Math.sqrt(means.length),
  };
});
show(aq.from(simulated));

// %%
const rhoGrid = Array.from({ length: 91 }, (_, i) => 0.05 + i * 0.01);
const fig = figure(
  [
    line(
      rhoGrid,
      rhoGrid.map((rho) => 1 / (serviceRate * (1 - rho))),
      { name: 'M/M/1 theory: W = 1/(μ − λ)' },
    ),
    markers(
      simulated.map((s) => s.rho),
      simulated.map((s) => s.W),
      {
        name: `simulation, mean and 95% CI (${replications} runs)`,
        error: simulated.map((s) => s.halfWidth),
      },
    ),
  ],
  {
    title: 'M/M/1: mean response time vs utilisation',
    x: { title: 'utilisation ρ' },
    y: { title: 'mean response time W (s)', log: true },
  },
);
show(fig);

// %% [markdown]
// Every simulated interval should cover the theory curve in about 95 of 100 points; near ρ = 0.9 the
// intervals widen, because a nearly saturated queue forgets its past slowly and each run is noisier.
//
// ## Where to go next
//
// - The labs, in order: `01-latency-vs-utilization`, `02-think-time-capacity`, then load balancing,
//   replication, caching, Kafka, Storm and Airflow.
// - From a terminal: `npx scalelab --help` lists the commands (`scalelab model mm1 --lambda 0.9 --mu 1`
//   answers a capacity question in closed form; `scalelab notebooks run --all` reruns every lab).
// - In your own script: `import { figure, line, show, writeHtml } from 'scalelab'`, and
//   `writeHtml([fig], 'out/my-figure.html')` writes a page that opens offline.
//
// **Exercise.** Set `serviceRate = 2` in the parameters cell and rerun all: the curve halves, the knee stays
// at the same utilisation. Then try `customersPerRun = 2000` and watch the intervals near ρ = 0.9.
