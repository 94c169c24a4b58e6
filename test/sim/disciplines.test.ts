import { Exponential, Lognormal } from '../../lib/random';
import { Router, Simulation, Sink, Source, Station } from '../../lib/sim';
import { REPS, expectCovers, expectLittle, replications } from './replications';
import { mm1 } from './theory';

describe('queue disciplines against closed forms', () => {
  it('processor sharing is insensitive: M/G/1-PS with lognormal work has W = E[S]/(1 - rho)', () => {
    const runs = replications(
      {
        arrivals: new Exponential(0.7),
        service: Lognormal.fit(1, 3),
        discipline: 'ps',
        warmup: 500,
        horizon: 10_000,
      },
      600,
    );
    expectCovers(
      runs.map((r) => r.meanResponse),
      1 / 0.3,
      0.08,
    );
    expectCovers(
      runs.map((r) => r.utilisation),
      0.7,
      0.03,
    ); // lognormal work with scv 3: noisier
    expectLittle(runs);
  });

  it('LIFO (non-preemptive) keeps the M/M/1 mean response', () => {
    const runs = replications(
      {
        arrivals: new Exponential(0.7),
        service: new Exponential(1),
        discipline: 'lifo',
        warmup: 500,
        horizon: 10_000,
      },
      700,
    );
    expectCovers(
      runs.map((r) => r.meanResponse),
      mm1(0.7, 1).W,
      0.08,
    );
    expectLittle(runs);
  });

  it('non-preemptive priorities match Cobham: W_k = W0/((1 - s_{k-1})(1 - s_k)) + E[S]', () => {
    // class 0 (lambda 0.3) before class 1 (lambda 0.4), Exp(1) service: W0 = sum lambda_i E[S^2]/2 = 0.7
    const w = [[], []] as number[][];
    for (let i = 0; i < REPS; i++) {
      const sim = new Simulation({ seed: 800 + i });
      const sinks = [new Sink(sim, { name: 'hi' }), new Sink(sim, { name: 'lo' })];
      const byClass = new Router(sim, {
        name: 'split',
        targets: sinks,
        policy: (job) => sim.jobs.priority[job],
      });
      const st = new Station(sim, {
        name: 'st',
        service: new Exponential(1),
        discipline: 'priority',
        to: byClass,
      });
      new Source(sim, { name: 'a0', interarrival: new Exponential(0.3), priority: 0, to: st });
      new Source(sim, { name: 'a1', interarrival: new Exponential(0.4), priority: 1, to: st });
      sim.run({ until: 500 });
      sim.resetStatistics();
      sim.run({ until: 20_500 });
      w[0].push(sinks[0].responseTime.mean);
      w[1].push(sinks[1].responseTime.mean);
    }
    expectCovers(w[0], 0.7 / 0.7 + 1, 0.08);
    expectCovers(w[1], 0.7 / (0.7 * 0.3) + 1, 0.08);
  });
});
