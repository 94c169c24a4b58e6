/** What lab 06's experiments share: the lab's id and a numeric column of a result table (null where not finite). */
import type { ColumnTable } from 'arquero';

export const LAB = '06-replication-lag';

export function col(table: ColumnTable, name: string): Array<number | null> {
  return (table.array(name) as unknown[]).map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
}
