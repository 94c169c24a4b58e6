import { ParameterError } from '../errors';
import { Categorical } from '../random/categorical';
import type { Rng } from '../random/xoshiro128';
import type { Simulation } from './simulation';
import type { JobTarget } from './target';

/** Chooses a target index for a job: a policy may read any state (queue lengths, health flags...). */
export type RoutingPolicy = (job: number, rng: Rng) => number;

/**
 * Sends each job to one of several targets: at random with fixed `probabilities` (Walker alias
 * draw, O(1)), or by a `policy` function of the job and the state (join-shortest-queue, round
 * robin, power of two choices, consistent hashing...). Counts how many jobs went to each target.
 *
 * ```ts
 * const jsq = new Router(sim, { name: 'lb', targets: servers, policy: () => argmin(servers.map(s => s.inSystem)) });
 * ```
 */
export class Router implements JobTarget {
  readonly name: string;
  readonly targets: JobTarget[];
  readonly counts: Float64Array;
  private readonly rng: Rng;
  private readonly alias: Categorical | null;
  private readonly policy: RoutingPolicy | null;

  constructor(
    sim: Simulation,
    options: {
      name: string;
      targets: JobTarget[];
      probabilities?: number[];
      policy?: RoutingPolicy;
      stream?: Rng;
    },
  ) {
    if (options == null || typeof options.name !== 'string' || !options.name)
      throw new ParameterError('name', options?.name, 'must be a non-empty string');
    this.name = options.name;
    if (
      !Array.isArray(options.targets) ||
      options.targets.length === 0 ||
      options.targets.some((t) => t == null || typeof t.accept !== 'function')
    ) {
      throw new ParameterError(
        'targets',
        options.targets,
        'must be a non-empty array of JobTargets',
      );
    }
    this.targets = options.targets.slice();
    this.counts = new Float64Array(this.targets.length);
    this.rng = options.stream ?? sim.streams.get(`${options.name}.route`);
    if (options.policy !== undefined) {
      if (typeof options.policy !== 'function')
        throw new ParameterError(
          'policy',
          options.policy,
          'must be a function (job, rng) => index',
        );
      if (options.probabilities !== undefined)
        throw new ParameterError(
          'probabilities',
          options.probabilities,
          'give either probabilities or policy, not both',
        );
      this.policy = options.policy;
      this.alias = null;
    } else {
      const p = options.probabilities ?? this.targets.map(() => 1);
      if (!Array.isArray(p) || p.length !== this.targets.length) {
        throw new ParameterError(
          'probabilities',
          p,
          `must have one weight per target (${this.targets.length})`,
        );
      }
      this.alias = new Categorical(p);
      this.policy = null;
    }
    sim.onReset(() => this.counts.fill(0));
  }

  accept(job: number): void {
    const i =
      this.policy !== null
        ? this.policy(job, this.rng)
        : (this.alias as Categorical).sampleIndex(this.rng);
    if (!(i >= 0 && i < this.targets.length && Number.isInteger(i))) {
      throw new ParameterError(
        `${this.name}.policy result`,
        i,
        `must be an integer in [0, ${this.targets.length - 1}]`,
      );
    }
    this.counts[i]++;
    this.targets[i].accept(job);
  }
}
