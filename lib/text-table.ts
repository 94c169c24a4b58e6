/**
 * Plain-text tables for the terminal: columns padded to their widest cell, numbers right-aligned
 * and shown to `digits` significant digits.
 */

export type Cell = string | number | boolean | null | undefined;

/** Formats a number for a table: integers as is, others to `digits` significant digits. */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return x.toExponential(digits - 1);
  return String(Number(x.toPrecision(digits)));
}

function cellText(c: Cell, digits: number): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'number') return formatNumber(c, digits);
  return String(c);
}

/** A text table with a header row and a rule under it. */
export function textTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<Cell>>, { digits = 4 } = {}): string {
  const text = rows.map((r) => r.map((c) => cellText(c, digits)));
  const numeric = header.map((_, j) => rows.length > 0 && rows.every((r) => r[j] === null || r[j] === undefined || typeof r[j] === 'number'));
  const widths = header.map((h, j) => Math.max(h.length, ...text.map((r) => (r[j] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, j) => (numeric[j] ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}
