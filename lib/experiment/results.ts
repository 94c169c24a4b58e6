/**
 * Results on disk: `<dir>/<experiment>.csv` (the table), `<dir>/<experiment>.json` (provenance
 * and rows) and `<dir>/<experiment>.html` (figures and table, plotly.js beside it in the folder).
 * Every file is written to a temporary name first and renamed into place only when all are
 * written, so an interrupted or failed run never leaves a half-written result.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { Experiment } from './experiment';
import type { ExperimentResult, Provenance } from './run';
import type { Row } from './aggregate';
import { itemsHtml } from '../plot/html';
import { escapeHtml } from '../plot/serialize';
import { copyPlotlyNextTo } from '../kernelspec';
import { resultsDir } from '../project';

/** The default results folder: data/results in the workspace (the current folder, or the checkout when run inside it: lib/project.ts). */
export function defaultResultsDir(): string {
  return resultsDir();
}

export interface StoredResult {
  provenance: Provenance;
  columns: string[];
  rows: Row[];
}

export interface WrittenFiles {
  csv: string;
  json: string;
  html: string;
}

/** One line saying how a result was made. */
export function provenanceLine(p: Provenance): string {
  const params = Object.entries(p.params)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`)
    .join(' ');
  const pr = p.precision;
  const reps = pr
    ? `${Math.min(...pr.points.map((x) => x.replications))}-${Math.max(...pr.points.map((x) => x.replications))} replications per point, added until a relative half-width of ${pr.precision} ` +
      `(${pr.reached ? 'reached at every point' : `not reached at ${pr.points.filter((x) => !x.reached).length} of ${pr.points.length} points, budget ${pr.maxReplications}`})`
    : `${p.replications} replication${p.replications === 1 ? '' : 's'} per point`;
  return (
    `seed ${p.seed}, ${reps} (${Math.round(p.confidenceLevel * 100)}% intervals by metric kind), ` +
    `scalelab ${p.scalelabVersion}, ${p.node}, ${p.date}, ${p.elapsedSeconds.toFixed(1)} s; ${params}`
  );
}

/**
 * The unit of each column that has one: the experiment's `units` for a metric or point column (a
 * metric's `_lo`, `_hi` and `_theory` columns take its unit), else the unit of the parameter of
 * that name. Columns without a unit (counts of replications, labels, ratios) are left out.
 */
export function columnUnits(
  experiment: Experiment,
  columns: readonly string[],
): Record<string, string> {
  const declared = experiment.units ?? {};
  const params = experiment.params as Record<string, { unit?: string } | undefined>;
  const own = (c: string): string | undefined =>
    Object.prototype.hasOwnProperty.call(declared, c)
      ? declared[c]
      : Object.prototype.hasOwnProperty.call(params, c)
        ? params[c]?.unit
        : undefined;
  const out: Record<string, string> = {};
  for (const c of columns) {
    const u = own(c) ?? own(c.replace(/_(lo|hi|theory)$/, ''));
    if (u) out[c] = u;
  }
  return out;
}

/** Where a section links its data files (relative to the page): default `<name>.csv` and `<name>.json` beside it. */
export interface DataLinks {
  csv: string;
  json: string;
}

/**
 * The HTML section for one experiment's result: title, description, provenance, links to its CSV
 * and JSON, figures, and the table with each column's unit.
 */
export function resultSection(
  experiment: Experiment,
  table: ColumnTable,
  provenance: Provenance,
  rowLimit = 50,
  links: DataLinks = { csv: `${experiment.name}.csv`, json: `${experiment.name}.json` },
): string {
  const figures = experiment.figures(table, provenance.params as never);
  const units = columnUnits(experiment, table.columnNames());
  const unitList = Object.entries(units)
    .filter(([c]) => !/_(lo|hi|theory)$/.test(c))
    .map(([c, u]) => `${escapeHtml(c)} in ${escapeHtml(u)}`);
  return [
    `<section id="${escapeHtml(experiment.name)}">`,
    `<h2>${escapeHtml(experiment.title)} <code style="font-size:60%">${escapeHtml(experiment.name)}</code></h2>`,
    `<p>${escapeHtml(experiment.description)}</p>`,
    `<p style="font-size:85%;color:#555">${escapeHtml(provenanceLine(provenance))}</p>`,
    `<p style="font-size:85%">Data: <a href="${escapeHtml(links.csv)}">${escapeHtml(path.basename(links.csv))}</a> (the table) · <a href="${escapeHtml(links.json)}">${escapeHtml(path.basename(links.json))}</a> (rows with provenance)${unitList.length ? `. Units: ${unitList.join(', ')}; a metric's _lo, _hi (95% CI) and _theory columns share its unit.` : ''}</p>`,
    itemsHtml(figures),
    `<details><summary>Table (${table.numRows()} rows)</summary>${escapedTableHtml(table, rowLimit, units)}</details>`,
    `</section>`,
  ].join('\n');
}

/**
 * The table as HTML with every column name and cell escaped: stored results are files, and a
 * tampered one must not put markup (a script) into the report (issue 23, point 8). Numbers to 4
 * significant digits.
 */
export function escapedTableHtml(
  table: ColumnTable,
  rowLimit = 50,
  units: Readonly<Record<string, string>> = {},
): string {
  const names = table.columnNames();
  const cell = (v: unknown): string => {
    if (typeof v === 'number')
      return Number.isInteger(v)
        ? String(v)
        : Number.isFinite(v)
          ? String(Number(v.toPrecision(4)))
          : String(v);
    if (v === null || v === undefined) return '';
    return escapeHtml(typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));
  };
  const n = Math.min(rowLimit, table.numRows());
  const cols = names.map((c) => table.array(c) as ArrayLike<unknown>);
  const body: string[] = [];
  for (let i = 0; i < n; i++)
    body.push(`<tr>${cols.map((col) => `<td>${cell(col[i])}</td>`).join('')}</tr>`);
  const more =
    table.numRows() > n ? `<p><em>${table.numRows() - n} more rows in the CSV</em></p>` : '';
  const head = (c: string) =>
    units[c]
      ? `<th>${escapeHtml(c)}<br><span style="font-weight:normal;color:#555">(${escapeHtml(units[c])})</span></th>`
      : `<th>${escapeHtml(c)}</th>`;
  return `<table><thead><tr>${names.map(head).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>${more}`;
}

/**
 * Removes temporary files `<name>.tmp-<pid>` left in `dir` by runs that were killed between writing
 * and renaming (or hit a full disk): those of processes no longer alive.
 */
export function cleanStaleTemps(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = /\.tmp-(\d+)$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes the result's CSV, JSON and HTML into `dir`, all or nothing, as `<stem>.csv/.json/.html`
 * (default stem: the experiment's name; a shard's is `<name>.shard-<i>-of-<n>`).
 */
export function writeResult(
  experiment: Experiment,
  result: ExperimentResult,
  dir: string = defaultResultsDir(),
  stem: string = experiment.name,
): WrittenFiles {
  fs.mkdirSync(dir, { recursive: true });
  cleanStaleTemps(dir);
  const files: WrittenFiles = {
    csv: path.join(dir, `${stem}.csv`),
    json: path.join(dir, `${stem}.json`),
    html: path.join(dir, `${stem}.html`),
  };
  const stored: StoredResult = {
    provenance: result.provenance,
    columns: result.table.columnNames(),
    rows: result.rows,
  };
  const contents: Record<keyof WrittenFiles, string> = {
    csv: result.table.toCSV(),
    json: JSON.stringify(stored, nonFiniteReplacer, 1) + '\n',
    html: [
      '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
      `<title>${escapeHtml(experiment.title)}</title><script src="plotly.min.js"></script>`,
      '<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:1em auto;padding:0 1em}table{border-collapse:collapse;font-size:90%}th,td{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}</style>',
      '</head><body>',
      resultSection(experiment, result.table, result.provenance, 1000, {
        csv: path.basename(files.csv),
        json: path.basename(files.json),
      }),
      '</body></html>',
    ].join('\n'),
  };
  const temps: Array<[string, string]> = [];
  try {
    for (const key of Object.keys(files) as Array<keyof WrittenFiles>) {
      const tmp = `${files[key]}.tmp-${process.pid}`;
      fs.writeFileSync(tmp, contents[key]);
      temps.push([tmp, files[key]]);
    }
    copyPlotlyNextTo(dir);
    for (const [tmp, final] of temps) fs.renameSync(tmp, final);
  } finally {
    for (const [tmp] of temps) fs.rmSync(tmp, { force: true });
  }
  return files;
}

/**
 * JSON has no NaN or Infinity and JSON.stringify writes both as null, which reads back as "no
 * value". Results keep them distinct: written as the strings "NaN", "Infinity", "-Infinity" and
 * read back as numbers by {@link readResult}.
 */
export function nonFiniteReplacer(_key: string, v: unknown): unknown {
  if (typeof v !== 'number' || Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

export function nonFiniteReviver(_key: string, v: unknown): unknown {
  return v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v;
}

/** A stored result that cannot be read (truncated, not JSON, wrong shape): names the file. */
export class UnreadableResultError extends Error {
  override readonly name = 'UnreadableResultError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/**
 * Reads a stored result, or null when the experiment has not been run into `dir`. A file that is
 * truncated or not a result throws an {@link UnreadableResultError} naming it.
 */
export function readResult(
  name: string,
  dir: string = defaultResultsDir(),
): (StoredResult & { table: ColumnTable }) | null {
  const file = path.join(dir, `${name}.json`);
  if (!fs.existsSync(file)) return null;
  return readResultFile(file);
}

/** Reads the stored result in `file` (a result's JSON); an unreadable one throws an {@link UnreadableResultError}. */
export function readResultFile(file: string): StoredResult & { table: ColumnTable } {
  let stored: StoredResult;
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8'), nonFiniteReviver) as StoredResult;
  } catch (e) {
    throw new UnreadableResultError(
      file,
      `not valid JSON (truncated?): ${(e as Error).message.slice(0, 120)}`,
    );
  }
  if (
    stored === null ||
    typeof stored !== 'object' ||
    !Array.isArray(stored.columns) ||
    !Array.isArray(stored.rows) ||
    stored.provenance === null ||
    typeof stored.provenance !== 'object' ||
    !stored.columns.every((c) => typeof c === 'string') ||
    !stored.rows.every((r) => r !== null && typeof r === 'object')
  ) {
    throw new UnreadableResultError(
      file,
      'not a scalelab result (needs provenance, columns and rows)',
    );
  }
  const columns: Record<string, unknown[]> = {};
  for (const c of stored.columns) columns[c] = stored.rows.map((r) => (c in r ? r[c] : null));
  return { ...stored, table: aq.table(columns) };
}
