/**
 * Plain-text tables for the terminal: columns padded to their widest cell, number columns
 * right-aligned, numbers shown to `digits` significant digits. Used by `scalelab run`, `list`
 * and `model`.
 */

export type Cell = string | number | boolean | null | undefined | ReadonlyArray<string | number>;

/** Formats a number for a table: integers as is, others to `digits` significant digits. */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return x.toExponential(digits - 1);
  return String(Number(x.toPrecision(digits)));
}

export interface TextTableOptions {
  /** Significant digits of numbers. Default 4. */
  digits?: number;
  /** Text of a missing cell (null or undefined). Default empty. */
  missing?: string;
}

/** A cell's text: numbers formatted, lists joined with commas, missing cells as `missing`. */
export function cellText(c: Cell, { digits = 4, missing = '' }: TextTableOptions = {}): string {
  if (c === null || c === undefined) return missing;
  if (typeof c === 'number') return formatNumber(c, digits);
  if (Array.isArray(c))
    return c.map((v) => (typeof v === 'number' ? formatNumber(v, digits) : String(v))).join(', ');
  return String(c);
}

/** A text table with a header row and a rule under it; a column of numbers (and gaps) is right-aligned. */
export function textTable(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<Cell>>,
  options: TextTableOptions = {},
): string {
  const text = rows.map((r) => r.map((c) => cellText(c, options)));
  const numeric = header.map(
    (_, j) =>
      rows.some((r) => typeof r[j] === 'number') &&
      rows.every((r) => r[j] === null || r[j] === undefined || typeof r[j] === 'number'),
  );
  const widths = header.map((h, j) => Math.max(h.length, ...text.map((r) => (r[j] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, j) => (numeric[j] ? c.padStart(widths[j]) : c.padEnd(widths[j])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}
