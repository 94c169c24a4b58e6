/** Plain-text rendering of model results for `scalelab model`: aligned key/value and column tables. */
import { cellText, textTable } from '../text-table';
import type { Cell } from '../text-table';

const digits = 6;

/** A table with a header row and aligned columns; missing values shown as '-'. */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  return textTable(header, rows as ReadonlyArray<ReadonlyArray<Cell>>, {
    digits: digits,
    missing: '-',
  });
}

/** Flattens nested plain objects into dotted keys; arrays stay values. */
export function flatten(obj: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      out.push(...flatten(v as Record<string, unknown>, key));
    else out.push([key, v]);
  }
  return out;
}

/** Key / value / unit rows for the scalar part of a result. `units` maps top-level keys to units. */
export function renderKeyValues(
  obj: Record<string, unknown>,
  units: Readonly<Record<string, string>> = {},
): string {
  const rows = flatten(obj).map(([k, v]) => [
    k,
    cellText(v as Cell, { digits: digits, missing: '-' }),
    units[k.split('.')[0]] ?? '',
  ]);
  const widths = [0, 1, 2].map((j) => Math.max(...rows.map((r) => r[j].length)));
  return rows
    .map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2]}`.trimEnd())
    .join('\n');
}
