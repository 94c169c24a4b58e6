/**
 * HTML for plotly figures and arquero tables: the notebook MIME bundles and standalone pages.
 *
 * A figure's `text/html` is a fixed-height div plus a small loader script. The loader draws with
 * `window.Plotly` when the page has it (standalone pages, the report, exported notebooks with
 * plotly.js inlined); otherwise it loads plotly.js once per page from `./plotly.min.js` next to
 * the notebook (placed there by `scalelab jupyter`), then from any extra sources configured with
 * {@link setPlotlySources}. Rendered ids are pushed to `window.__labPlots`, failures to
 * `window.__labPlotErrors`, so browser checks can wait for them. plotly.js itself (about 5 MB)
 * is never embedded in a notebook output. See ../shared/reference/notebooks.md section 2.4.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Figure } from './types';
import { escapeHtml, hashString, jsonForScript, toPlainJson } from './serialize';

export const plotlyMime = 'application/vnd.plotly.v1+json';

/** A Jupyter MIME bundle: MIME type to data. */
export type MimeBundle = Record<string, unknown>;

let plotlySources: string[] = ['./plotly.min.js'];

/** Where the notebook loader looks for plotly.js when the page has no `window.Plotly`, in order. */
export function setPlotlySources(urls: readonly string[]): void {
  plotlySources = [...urls];
}

export function getPlotlySources(): readonly string[] {
  return plotlySources;
}

let figureCounter = 0;

/** A deterministic element id: a hash of the figure's JSON plus a per-process counter. */
export function figureId(figureJson: string): string {
  figureCounter += 1;
  return `lab-plotly-${hashString(figureJson)}-${figureCounter}`;
}

/** The figure as plain JSON, with a responsive, logo-free default config. */
export function plainFigure(fig: Figure): {
  data: unknown[];
  layout: Record<string, unknown>;
  config: Record<string, unknown>;
} {
  const plain = toPlainJson(fig) as {
    data: unknown[];
    layout: Record<string, unknown>;
    config?: Record<string, unknown>;
  };
  return {
    data: plain.data,
    layout: plain.layout,
    config: { responsive: true, displaylogo: false, ...plain.config },
  };
}

function figureHeight(fig: Figure): number {
  const h = fig.layout.height;
  return typeof h === 'number' && h > 0 ? h : 420;
}

/**
 * The div and loader script for one figure. The loader is self-contained (no globals needed
 * besides the optional `window.Plotly`) and safe in the classic Notebook next to require.js.
 */
export function figureHtml(
  fig: Figure,
  options: { id?: string; sources?: readonly string[] } = {},
): string {
  const json = jsonForScript(plainFigure(fig));
  const id = options.id ?? figureId(json);
  const sources = jsonForScript(options.sources ?? plotlySources);
  const height = figureHeight(fig);
  return (
    `<div id="${id}" class="lab-plotly" style="width:100%;height:${height}px;">` +
    `Interactive plotly figure (needs JavaScript and plotly.js).</div>\n` +
    `<script type="text/javascript">(function () {\n` +
    `  var id = ${JSON.stringify(id)}, fig = ${json}, sources = ${sources};\n` +
    `  var w = window; w.__labPlots = w.__labPlots || []; w.__labPlotErrors = w.__labPlotErrors || [];\n` +
    `  function draw() { var el = document.getElementById(id); if (!el) return;\n` +
    `    el.textContent = ''; return w.Plotly.newPlot(el, fig.data, fig.layout, fig.config)\n` +
    `      .then(function () { w.__labPlots.push(id); }, function (e) { w.__labPlotErrors.push(id + ': ' + e); }); }\n` +
    `  function load(i) { return new Promise(function (ok, fail) {\n` +
    `    if (i >= sources.length) return fail(new Error('plotly.js not found (tried ' + sources.join(', ') + ')'));\n` +
    `    var s = document.createElement('script'); s.src = sources[i]; s.async = true;\n` +
    `    s.onload = function () { w.Plotly ? ok() : load(i + 1).then(ok, fail); };\n` +
    `    s.onerror = function () { s.remove(); load(i + 1).then(ok, fail); };\n` +
    `    document.head.appendChild(s); }); }\n` +
    `  if (w.Plotly) { draw(); return; }\n` +
    `  w.__labPlotlyLoading = w.__labPlotlyLoading || load(0);\n` +
    `  w.__labPlotlyLoading.then(draw, function (e) { w.__labPlotErrors.push(id + ': ' + e.message);\n` +
    `    var el = document.getElementById(id); if (el) el.textContent = 'Figure not drawn: ' + e.message; });\n` +
    `})();</script>`
  );
}

/** A one-line text stand-in for a figure: consoles, diffs and text-only readers. */
export function figureText(fig: Figure): string {
  const title = fig.layout.title?.text;
  const names = fig.data
    .map((t) => t.name)
    .filter((n): n is string => typeof n === 'string' && n.length > 0);
  return `<Plotly figure${title ? `: ${title}` : ''}, ${fig.data.length} trace${fig.data.length === 1 ? '' : 's'}${
    names.length ? ` (${Array.from(new Set(names)).slice(0, 6).join(', ')})` : ''
  }>`;
}

/**
 * The notebook bundle for one figure: the plotly MIME type (JupyterLab with jupyterlab-plotly,
 * Notebook 7, VS Code, nteract), `text/html` (classic Notebook, nbconvert HTML) and `text/plain`.
 */
export function figureBundle(fig: Figure): MimeBundle {
  return {
    [plotlyMime]: plainFigure(fig),
    'text/html': figureHtml(fig),
    'text/plain': figureText(fig),
  };
}

/** The subset of an arquero table's API that display needs (duck-typed, so any version works). */
export interface TableLike {
  numRows(): number;
  numCols(): number;
  toHTML(options?: Record<string, unknown>): string;
  toMarkdown(options?: Record<string, unknown>): string;
}

export function isTableLike(value: unknown): value is TableLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as TableLike).toHTML === 'function' &&
    typeof (value as TableLike).toMarkdown === 'function' &&
    typeof (value as TableLike).numRows === 'function'
  );
}

export interface TableDisplayOptions {
  /** Rows shown. Default 20. */
  limit?: number;
  /** Significant digits for numbers: arquero's `maxdigits`. Default 4. */
  digits?: number;
  caption?: string;
}

function tableFormatOptions(
  table: TableLike,
  options: TableDisplayOptions,
): Record<string, unknown> {
  return { limit: options.limit ?? 20, maxdigits: options.digits ?? 4 };
}

function tableCaption(table: TableLike, options: TableDisplayOptions): string {
  const rows = table.numRows();
  const limit = options.limit ?? 20;
  const shown = rows > limit ? ` (showing ${limit})` : '';
  return `${options.caption ? options.caption + ': ' : ''}${rows} row${rows === 1 ? '' : 's'} × ${table.numCols()} col${table.numCols() === 1 ? '' : 's'}${shown}`;
}

/** HTML for an arquero table with a caption giving its size. */
export function tableHtml(table: TableLike, options: TableDisplayOptions = {}): string {
  return (
    `<div class="lab-table"><div style="font-size:90%;color:#555;margin:2px 0">${escapeHtml(tableCaption(table, options))}</div>` +
    table.toHTML(tableFormatOptions(table, options)) +
    `</div>`
  );
}

/** The notebook bundle for a table: an HTML table and its markdown text. */
export function tableBundle(table: TableLike, options: TableDisplayOptions = {}): MimeBundle {
  return {
    'text/html': tableHtml(table, options),
    'text/plain': `${tableCaption(table, options)}\n${table.toMarkdown(tableFormatOptions(table, options))}`,
  };
}

/** The path of the minified plotly.js bundle shipped in the `plotly.js-dist-min` package. */
export function plotlyScriptPath(): string {
  return require.resolve('plotly.js-dist-min/plotly.min.js');
}

export interface PageOptions {
  title?: string;
  /** Inline plotly.js into the page (default), or reference it by this relative URL instead. */
  plotlySrc?: string;
  /** HTML placed before the figures. */
  intro?: string;
}

/** Anything a page can hold: a figure, a table, or raw HTML given as `{ html }`. */
export type PageItem = Figure | TableLike | { html: string };

function itemHtml(item: PageItem): string {
  if (isTableLike(item)) return tableHtml(item);
  if ('html' in item && typeof item.html === 'string') return item.html;
  return figureHtml(item as Figure, { sources: [] });
}

/** The HTML of figures, tables and raw HTML for a page that already loads plotly.js in its head. */
export function itemsHtml(items: readonly PageItem[]): string {
  return items.map(itemHtml).join('\n');
}

/**
 * A standalone HTML page holding figures (and tables), with plotly.js embedded once in `<head>`,
 * readable offline.
 */
export function pageHtml(items: readonly PageItem[], options: PageOptions = {}): string {
  const title = escapeHtml(options.title ?? 'scalelab figures');
  const plotly = options.plotlySrc
    ? `<script src="${escapeHtml(options.plotlySrc)}"></script>`
    : `<script>${fs.readFileSync(plotlyScriptPath(), 'utf8').replace(/<\/script/gi, '<\\/script')}</script>`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222}',
    'table{border-collapse:collapse;font-size:90%}th,td{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}',
    '.lab-plotly{margin:1em 0}</style>',
    plotly,
    '</head><body>',
    `<h1>${title}</h1>`,
    options.intro ?? '',
    itemsHtml(items),
    '</body></html>',
  ].join('\n');
}

/** Writes {@link pageHtml} to `file` (folders created as needed) and returns its absolute path. */
export function writeHtml(
  items: PageItem | readonly PageItem[],
  file: string,
  options: PageOptions = {},
): string {
  const list = (Array.isArray(items) ? items : [items]) as PageItem[];
  const abs = path.resolve(file);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, pageHtml(list, options));
  return abs;
}
