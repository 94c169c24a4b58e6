/** What lab 06's experiments share: the lab's id and a numeric column of a result table (null where not finite). */
import type { ColumnTable } from 'arquero';
import { workOf } from '../../experiment/work';
import type { WorkEstimate } from '../../experiment/work';

export const LAB = '06-replication-lag';

export function col(table: ColumnTable, name: string): Array<number | null> {
  return (table.array(name) as unknown[]).map((v) =>
    typeof v === 'number' && Number.isFinite(v) ? v : null,
  );
}

/**
 * Work of one replication over `seconds` of simulated time: per write about 3 events on the
 * primary (arrival, commit, the acknowledgement) and 4 per replica (ship, flush, apply start and
 * end); per read 3; plus a lag sample per replica every `sampleInterval`. The writes name
 * `writeRate × duration`, the reads `readRate × duration`.
 */
export function replicationWork(
  writeRate: number,
  readRate: number,
  replicas: number,
  seconds: number,
  sampleInterval = Infinity,
): WorkEstimate {
  return workOf({
    'writeRate × duration': (3 + 4 * replicas) * writeRate * seconds,
    'readRate × duration': 3 * readRate * seconds,
    sampleInterval: (replicas * seconds) / sampleInterval,
  });
}

/** The replica's apply rate μ (transactions replayed per second), as the lab's experiments share it. */
export const applyRateParam = {
  type: 'number',
  default: 200,
  min: 0,
  minOpen: true,
  max: 1e6,
  unit: 'tx/s',
  doc: 'apply rate μ',
} as const;

/** The one-way link latency d between primary and replica, as the lab's experiments share it. */
export const linkLatencyParam = {
  type: 'number',
  default: 0.001,
  min: 0,
  max: 60,
  unit: 's',
  doc: 'one-way link latency d',
} as const;
