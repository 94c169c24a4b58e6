/**
 * The web tier's balancer (system.ts): the load balancer's policies (lib/systems/loadbalancer
 * createPolicy, reused, not copied) over the tier's servers, every weight 1, the eligible set the
 * server pool's (serving and up), rebuilt when it changes; the load a policy reads is each
 * server's requests inside now. Logins (sticky sessions) or every request are placed by it; the
 * key a hash policy reads is the job id's Fibonacci hash; its draws come from
 * `<name>.webtier.balancer`.
 */
import type { Rng } from '../../random/xoshiro128';
import { createPolicy } from '../loadbalancer/policies';
import type { BalanceAlgorithm, Policy, PolicyState } from '../loadbalancer/policies';
import type { ServerPool } from './servers';

export class TierBalancer {
  private readonly policy: Policy;
  private readonly state: PolicyState;
  private readonly load: Float64Array;

  constructor(
    balance: BalanceAlgorithm,
    private readonly pool: ServerPool,
    private readonly rng: Rng,
  ) {
    const n = pool.stations.length;
    this.load = new Float64Array(n);
    const names = Array.from({ length: n }, (_, i) => `web${i}`);
    const ones = new Float64Array(n).fill(1);
    this.policy = createPolicy(balance, names, ones);
    this.state = {
      n,
      eligible: pool.eligible,
      weight: ones,
      nominal: ones,
      load: this.load,
      latency: new Float64Array(n),
    };
    if (this.policy.rebuild) this.policy.rebuild(this.state);
    pool.onChange = () => {
      if (this.policy.rebuild) this.policy.rebuild(this.state);
    };
  }

  /** The server for request `job`, or -1 when none is eligible. */
  pick(job: number): number {
    const st = this.pool.stations;
    for (let i = 0; i < this.load.length; i++) this.load[i] = st[i].inSystem;
    return this.policy.pick(this.state, Math.imul(job + 1, 0x9e3779b1) >>> 0, this.rng);
  }
}
