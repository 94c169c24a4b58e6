/**
 * Replications to one table row per observation: each metric's mean and its 95% confidence
 * interval, mean ± t(0.975, R-1) · s / sqrt(R) (independent replications, Student t;
 * Law, Simulation Modeling and Analysis, 5th ed., §9.4.1), by the kernel's confidenceInterval.
 */
import { confidenceInterval } from '../sim/confidence';
import type { Observation, Point } from './experiment';

export type Row = Record<string, number | string | boolean | null>;

/** Confidence level of the interval columns. */
export const confidenceLevel = 0.95;

export interface MeanInterval {
  mean: number | null;
  lo: number | null;
  hi: number | null;
}

/** Mean and Student-t interval of the values; null where a value is missing or non-finite. */
export function meanInterval(values: ReadonlyArray<number | null>, level = confidenceLevel): MeanInterval {
  const n = values.length;
  if (n === 0 || values.some((v) => v === null || !Number.isFinite(v))) return { mean: null, lo: null, hi: null };
  if (n < 2) return { mean: values[0] as number, lo: null, hi: null };
  const ci = confidenceInterval(values as number[], level);
  return { mean: ci.mean, lo: ci.lower, hi: ci.upper };
}

function asNumber(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * One point's replications (each a list of observations) to rows: observation j of every
 * replication is averaged with observation j of the others; key fields come from the first.
 */
export function aggregatePoint(
  point: Point,
  replications: Observation[][],
  metrics: readonly string[],
  theory: Row | null,
): Row[] {
  const count = replications[0].length;
  replications.forEach((obs, r) => {
    if (obs.length !== count) {
      throw new Error(`replication ${r} of point ${JSON.stringify(point)} returned ${obs.length} observations, replication 0 returned ${count}`);
    }
  });
  const rows: Row[] = [];
  for (let j = 0; j < count; j++) {
    const first = replications[0][j];
    const row: Row = { ...point };
    for (const [k, v] of Object.entries(first)) if (!metrics.includes(k)) row[k] = v;
    row.replications = replications.length;
    for (const m of metrics) {
      const { mean, lo, hi } = meanInterval(replications.map((obs) => asNumber(obs[j][m])));
      row[m] = mean;
      if (replications.length > 1) {
        row[`${m}_lo`] = lo;
        row[`${m}_hi`] = hi;
      }
    }
    if (theory) Object.assign(row, theory);
    rows.push(row);
  }
  return rows;
}
