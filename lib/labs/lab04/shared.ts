/** What the lab 04 experiments share: the lab id and the rows of a result table. */
import type { ColumnTable } from 'arquero';

export const lab = '04-gateway-and-microservices';

/** Row objects of a table. */
export function rowsOf(t: ColumnTable): Array<Record<string, number | string | null>> {
  return t.objects() as Array<Record<string, number | string | null>>;
}
