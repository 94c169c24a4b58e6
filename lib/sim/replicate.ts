import { ParameterError, UnstableSystemError, requireInteger } from '../errors';
import { RandomStreams, requireSeed } from '../random/streams';
import { confidenceInterval, type ConfidenceInterval } from './confidence';

/** What one replication returns: named numeric results, optionally flagged unstable. */
export type ReplicationOutput = Record<string, number | boolean | undefined> & {
  unstable?: boolean;
};

export interface ReplicationSummary<K extends string> {
  /** One confidence interval per numeric metric. */
  metrics: Record<K, ConfidenceInterval>;
  /** The raw per-replication outputs. */
  runs: ReplicationOutput[];
  /** The seed of each replication. */
  seeds: number[];
}

/**
 * Independent replications: runs `model(seed, index)` `replications` times with seeds derived
 * from the master seed (`RandomStreams.replicationSeed`), and returns a Student-t confidence
 * interval for each numeric output across replications (Law 2015, 9.4). With the same master
 * seed the same replications run, and comparing two models with the same master seed uses common
 * random numbers.
 *
 * If any replication reports `unstable: true`, this throws {@link UnstableSystemError} instead of
 * averaging numbers that have no steady-state meaning.
 */
export function replicate<K extends string = string>(
  replications: number,
  model: (seed: number, index: number) => ReplicationOutput,
  options: { seed?: number; level?: number } = {},
): ReplicationSummary<K> {
  requireInteger('replications', replications, 2, 1e7);
  if (typeof model !== 'function')
    throw new ParameterError(
      'model',
      model,
      'must be a function (seed, index) => record of numbers',
    );
  const master = requireSeed('seed', options.seed ?? 1);
  const runs: ReplicationOutput[] = [];
  const seeds: number[] = [];
  for (let i = 0; i < replications; i++) {
    const seed = RandomStreams.replicationSeed(master, i);
    seeds.push(seed);
    const out = model(seed, i);
    if (out == null || typeof out !== 'object')
      throw new ParameterError('model result', out, 'must be an object of numbers');
    if (out.unstable === true) {
      const rho =
        typeof out.offeredLoad === 'number'
          ? out.offeredLoad
          : typeof out.utilisation === 'number'
            ? out.utilisation
            : 1;
      throw new UnstableSystemError(rho, `replication ${i} reported unstable: true`);
    }
    runs.push(out);
  }
  const metrics = {} as Record<K, ConfidenceInterval>;
  for (const key of Object.keys(runs[0])) {
    if (typeof runs[0][key] !== 'number') continue;
    const values = runs.map((r) => r[key] as number);
    (metrics as Record<string, ConfidenceInterval>)[key] = confidenceInterval(
      values,
      options.level ?? 0.95,
    );
  }
  return { metrics, runs, seeds };
}
