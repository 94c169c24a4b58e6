// Shared by lab 09's experiments: the lab's name, the per-consumer rate and row access.
import type { ColumnTable } from 'arquero';
import type { Acks } from '../../systems/kafka/config';

export const lab = '09-kafka-consumer-groups';

export type Row = Record<string, number | string | boolean | null>;

export function rowsOf(t: ColumnTable): Row[] {
  return t.objects() as Row[];
}

/** Per-consumer processing rate μ (records/s) for a mean processing time in ms. */
export function perConsumerRate(processingMs: number): number {
  return 1000 / processingMs;
}

/** An acks setting from its lab label ('0', '1', 'all'). */
export function acksOf(label: string): Acks {
  return label === 'all' ? 'all' : label === '1' ? 1 : 0;
}
