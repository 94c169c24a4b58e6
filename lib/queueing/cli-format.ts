// Math through a module constant: jest's sandbox makes every lookup of a global such as Math
// about 50 times slower, and these functions sit in simulation hot paths (no cost in plain Node).
const math = Math;

/** Plain-text rendering of model results for `scalelab model`: aligned key/value and column tables. */


/** Compact number formatting: integers as is, otherwise 6 significant digits. */
export function formatNumber(v: number): string {
  if (Number.isInteger(v) && math.abs(v) < 1e15) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const a = math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return v.toExponential(5);
  return String(Number(v.toPrecision(6)));
}

function cell(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (v === null || v === undefined) return '-';
  if (Array.isArray(v)) return v.map(cell).join(', ');
  return String(v);
}

/** A table with a header row and aligned columns. */
export function renderTable(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const text = [header.slice(), ...rows.map((r) => r.map(cell))];
  const widths = header.map((_, j) => math.max(...text.map((r) => (r[j] ?? '').length)));
  const textual = header.map((_, j) => rows.every((r) => typeof r[j] !== 'number'));
  const line = (r: readonly string[]) =>
    r.map((c, j) => (textual[j] ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ').trimEnd();
  return [line(text[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...text.slice(1).map(line)].join('\n');
}

/** Flattens nested plain objects into dotted keys; arrays stay values. */
export function flatten(obj: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(...flatten(v as Record<string, unknown>, key));
    else out.push([key, v]);
  }
  return out;
}

/** Key / value / unit rows for the scalar part of a result. `units` maps top-level keys to units. */
export function renderKeyValues(obj: Record<string, unknown>, units: Readonly<Record<string, string>> = {}): string {
  const rows = flatten(obj).map(([k, v]) => [k, cell(v), units[k.split('.')[0]] ?? '']);
  const widths = [0, 1, 2].map((j) => math.max(...rows.map((r) => r[j].length)));
  return rows
    .map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2]}`.trimEnd())
    .join('\n');
}
