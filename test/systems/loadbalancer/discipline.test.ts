/**
 * The backends' `discipline`: 'fifo' (default) or 'ps' (processor sharing, a web server's threads
 * sharing its CPU). Oracle: one backend at λ = 6/s with every request's work fixed at 0.1 s
 * (ρ = 0.6): FIFO is M/D/1, W = S + ρS / (2(1 − ρ)) = 0.175 s (Pollaczek-Khinchine); PS is
 * M/D/1-PS, W = S / (1 − ρ) = 0.25 s (insensitive to the work's distribution, Kleinrock vol. 2
 * §4.4). Intervals are 95 % Student-t over five replications with fixed seeds.
 */
import { ParameterError } from '../../../lib/errors';
import { meanInterval } from '../../../lib/experiment/aggregate';
import { Exponential } from '../../../lib/random/exponential';
import { Simulation } from '../../../lib/sim/simulation';
import type { BackendDiscipline } from '../../../lib/systems/loadbalancer/config';
import { resolveLoadBalancerConfig } from '../../../lib/systems/loadbalancer/resolve';
import { LoadBalancerSystem } from '../../../lib/systems/loadbalancer/system';
import { caller } from '../called/caller';

function meanResponse(discipline: BackendDiscipline | undefined, seed: number): number {
  const sim = new Simulation({ seed });
  const lb = new LoadBalancerSystem(sim, {
    mode: 'L7',
    clients: { external: true },
    pools: [{ name: 'web', backends: [discipline ? { discipline } : {}], balance: 'random' }],
  });
  caller(sim, lb.entry!, { rate: 6, limit: 1e9, before: (child) => lb.setWork(child, 0.1) });
  sim.run({ until: 200 });
  sim.resetStatistics();
  sim.run({ until: 4200 });
  return lb.summary().meanResponse;
}

describe("the backends' discipline", () => {
  it.each([
    ['fifo (default)', undefined, 0.1 + (0.6 * 0.1) / (2 * 0.4)],
    ['ps', 'ps' as const, 0.1 / 0.4],
  ])('%s: one backend at ρ = 0.6 with fixed work, W inside the 95 %% CI of theory', (_, d, w) => {
    const ci = meanInterval([1, 2, 3, 4, 5].map((r) => meanResponse(d, 100 + r)));
    expect(ci.lo!).toBeLessThan(w);
    expect(ci.hi!).toBeGreaterThan(w);
    expect(ci.hi! - ci.lo!).toBeLessThan(0.1 * w);
  });

  it('an unknown discipline is a ParameterError naming the backend', () => {
    const bad = () =>
      resolveLoadBalancerConfig({
        mode: 'L7',
        pools: [
          {
            name: 'web',
            backends: [{ discipline: 'lifo' as unknown as BackendDiscipline }],
            service: new Exponential(10),
          },
        ],
      });
    expect(bad).toThrow(ParameterError);
    expect(bad).toThrow(/pools\.web\.backends\[0\]\.discipline/);
  });
});
