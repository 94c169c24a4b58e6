/** The shape of a `scalelab model` entry: its keys (flags, with units), its output, and the units of result keys. */
import type { ModelArgs } from './model-args';

export interface KeyDoc {
  readonly key: string;
  readonly unit: string;
  readonly description: string;
  readonly optional?: boolean;
}

export interface Table {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

export interface CommandOutput {
  /** The result as one JSON object (camelCase keys). */
  readonly json: Record<string, unknown>;
  /** Keys of `json` shown in `tables` rather than in the key/value list. */
  readonly tabled?: readonly string[];
  readonly tables?: readonly Table[];
}

export interface ModelCommand {
  readonly name: string;
  readonly summary: string;
  readonly keys: readonly KeyDoc[];
  readonly example: string;
  run(args: ModelArgs): CommandOutput;
}

/** Units of result keys, shown beside values in the table view. */
export const RESULT_UNITS: Readonly<Record<string, string>> = {
  rho: 'per-server utilisation',
  A: 'erlangs',
  L: 'jobs',
  Lq: 'jobs',
  W: 'time',
  Wq: 'time',
  X: '1/time',
  P0: 'probability',
  Pwait: 'probability',
  C: 'probability',
  B: 'probability',
  PK: 'probability',
  lambdaEff: '1/time',
  lambda: '1/time',
  mu: '1/time',
  mean: 'time',
  percentiles: 'time',
  carriedLoad: 'erlangs',
  lostLoad: 'erlangs',
  WqOverS: 'mean service times',
  PWqAbove: 'probability P(Wq > t)',
  PWAbove: 'probability P(W > t)',
  t: 'time',
  throughput: '1/time',
  responseTime: 'time',
  cycleTime: 'time',
  Z: 'time',
  N: 'jobs',
  peakN: 'concurrency',
  peakX: '1/time (unit of X)',
  Nstar: 'jobs',
};
