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
import { projectRoot } from '../project';

/** The default results folder: data/results under the project root. */
export function defaultResultsDir(): string {
  return path.join(projectRoot(), 'data', 'results');
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
  const params = Object.entries(p.params).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`).join(' ');
  return `seed ${p.seed}, ${p.replications} replication${p.replications === 1 ? '' : 's'} per point (${Math.round(p.confidenceLevel * 100)}% CI), ` +
    `scalelab ${p.scalelabVersion}, ${p.node}, ${p.date}, ${p.elapsedSeconds.toFixed(1)} s; ${params}`;
}

/** The HTML section for one experiment's result: title, description, provenance, figures, table. */
export function resultSection(experiment: Experiment, table: ColumnTable, provenance: Provenance, rowLimit = 50): string {
  const figures = experiment.figures(table, provenance.params as never);
  return [
    `<section id="${escapeHtml(experiment.name)}">`,
    `<h2>${escapeHtml(experiment.title)} <code style="font-size:60%">${escapeHtml(experiment.name)}</code></h2>`,
    `<p>${escapeHtml(experiment.description)}</p>`,
    `<p style="font-size:85%;color:#555">${escapeHtml(provenanceLine(provenance))}</p>`,
    itemsHtml(figures),
    `<details><summary>Table (${table.numRows()} rows)</summary>${table.toHTML({ limit: rowLimit, maxdigits: 4 } as never)}</details>`,
    `</section>`,
  ].join('\n');
}

/** Writes the result's CSV, JSON and HTML into `dir`, all or nothing. */
export function writeResult(experiment: Experiment, result: ExperimentResult, dir: string = defaultResultsDir()): WrittenFiles {
  fs.mkdirSync(dir, { recursive: true });
  const files: WrittenFiles = {
    csv: path.join(dir, `${experiment.name}.csv`),
    json: path.join(dir, `${experiment.name}.json`),
    html: path.join(dir, `${experiment.name}.html`),
  };
  const stored: StoredResult = { provenance: result.provenance, columns: result.table.columnNames(), rows: result.rows };
  const contents: Record<keyof WrittenFiles, string> = {
    csv: result.table.toCSV(),
    json: JSON.stringify(stored, null, 1) + '\n',
    html: [
      '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
      `<title>${escapeHtml(experiment.title)}</title><script src="plotly.min.js"></script>`,
      '<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:1em auto;padding:0 1em}table{border-collapse:collapse;font-size:90%}th,td{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}</style>',
      '</head><body>',
      resultSection(experiment, result.table, result.provenance, 1000),
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

/** Reads a stored result, or null when the experiment has not been run into `dir`. */
export function readResult(name: string, dir: string = defaultResultsDir()): (StoredResult & { table: ColumnTable }) | null {
  const file = path.join(dir, `${name}.json`);
  if (!fs.existsSync(file)) return null;
  const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredResult;
  const columns: Record<string, unknown[]> = {};
  for (const c of stored.columns) columns[c] = stored.rows.map((r) => (c in r ? r[c] : null));
  return { ...stored, table: aq.table(columns) };
}
