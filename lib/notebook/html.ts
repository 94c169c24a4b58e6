/**
 * Static HTML export of an executed notebook, and an index page for a batch of runs.
 *
 * Markdown is rendered with marked (GFM), code highlighted with highlight.js. Output priority is
 * nbconvert's: `text/html` (inlined, scripts active) before markdown, SVG, PNG, JPEG, JSON and
 * `text/plain` (escaped). Plotly figures (lib/plot's bundle: plotly JSON + a `lab-plotly` div with
 * a loader script + text) use their `text/html` part; plotly.js is inlined once in the page head
 * so `window.Plotly` exists before any output script runs, and the page renders offline.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { HLJSApi } from 'highlight.js';
import type * as Marked from 'marked';
import {
  joinNotebookText,
  mimeText,
  NotebookCell,
  NotebookDocument,
  NotebookOutput,
} from './nbformat';
import { findScalelabRoot } from './project';

const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

export interface NotebookHtmlOptions {
  /** Page title (default: the notebook file name from `metadata.scalelab.name`, else "notebook"). */
  title?: string;
  /**
   * 'auto' (default): inline plotly.js when an output holds a plotly figure; 'always'; or 'never'.
   */
  plotly?: 'auto' | 'always' | 'never';
  /** Path of plotly.min.js (default: resolved from the scalelab root, plotly.js-dist-min). */
  plotlyPath?: string;
  /** Show the code cells (default true). */
  showCode?: boolean;
}

export function escapeNotebookHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

// eslint-disable-next-line no-control-regex -- the ANSI escape sequences that tslab's error tracebacks carry start with ESC (\u001b)
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

// marked and highlight.js are loaded on first use: only an HTML export needs them.
let markedModule: typeof Marked | undefined;
let hljsModule: HLJSApi | undefined;
function markdownToHtml(md: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (above)
  markedModule = markedModule ?? (require('marked') as typeof Marked);
  return markedModule.marked.parse(md, { async: false, gfm: true }) as string;
}
function highlight(code: string, language: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (above)
  hljsModule = hljsModule ?? (require('highlight.js') as HLJSApi);
  const lang = hljsModule.getLanguage(language) ? language : 'typescript';
  return hljsModule.highlight(code, { language: lang, ignoreIllegals: true }).value;
}

function readAsset(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

let hljsCss: string | undefined;
function highlightCss(): string {
  if (hljsCss === undefined) {
    let css: string;
    try {
      css = readAsset(
        path.join(
          path.dirname(require.resolve('highlight.js/package.json')),
          'styles',
          'github.min.css',
        ),
      );
    } catch {
      css = '';
    }
    hljsCss = css;
  }
  return hljsCss;
}

/** Makes text safe inside an inline <script> element without changing what the JS means. */
function scriptSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '\\x3C!--');
}

let plotlyCache: { file: string; text: string } | undefined;
function plotlySource(file?: string): string {
  const f =
    file ??
    path.join(
      path.dirname(
        require.resolve('plotly.js-dist-min/package.json', { paths: [findScalelabRoot()] }),
      ),
      'plotly.min.js',
    );
  if (!plotlyCache || plotlyCache.file !== f) {
    const text = readAsset(f);
    if (!text) throw new Error(`cannot read plotly.js at ${f}`);
    plotlyCache = { file: f, text: scriptSafe(text) };
  }
  return plotlyCache.text;
}

function notebookHasPlotly(nb: NotebookDocument): boolean {
  for (const c of nb.cells) {
    if (c.cell_type !== 'code') continue;
    for (const o of c.outputs) {
      if (o.output_type !== 'display_data' && o.output_type !== 'execute_result') continue;
      if (PLOTLY_MIME in o.data) return true;
      const html = o.data['text/html'];
      if (html != null && /lab-plotly|Plotly\./.test(mimeText(html))) return true;
    }
  }
  return false;
}

let plotCounter = 0;
function renderBundle(data: Record<string, unknown>): string {
  const has = (m: string) => data[m] != null;
  if (has('text/html')) return `<div class="output-html">${mimeText(data['text/html'])}</div>`;
  if (has(PLOTLY_MIME)) {
    const fig = data[PLOTLY_MIME] as { data?: unknown; layout?: unknown; config?: unknown };
    const id = `nb-plotly-${++plotCounter}`;
    const json = scriptSafe(
      JSON.stringify(fig)
        .replace(/\u2028/g, '\\u2028')
        .replace(/\u2029/g, '\\u2029'),
    );
    return (
      `<div id="${id}" class="lab-plotly" style="width:100%;height:420px"></div>` +
      `<script>(function(){var f=${json};if(window.Plotly)window.Plotly.newPlot("${id}",f.data,f.layout,f.config);})();</script>`
    );
  }
  if (has('application/javascript'))
    return `<script>${scriptSafe(mimeText(data['application/javascript']))}</script>`;
  if (has('text/markdown'))
    return `<div class="output-markdown">${markdownToHtml(mimeText(data['text/markdown']))}</div>`;
  if (has('image/svg+xml'))
    return `<div class="output-svg">${mimeText(data['image/svg+xml'])}</div>`;
  for (const img of ['image/png', 'image/jpeg', 'image/gif']) {
    if (has(img))
      return `<img class="output-image" alt="" src="data:${img};base64,${mimeText(data[img]).replace(/\s/g, '')}">`;
  }
  if (has('text/latex'))
    return `<pre class="output-text">${escapeNotebookHtml(mimeText(data['text/latex']))}</pre>`;
  if (has('application/json'))
    return `<pre class="output-text">${escapeNotebookHtml(JSON.stringify(data['application/json'], null, 2))}</pre>`;
  if (has('text/plain'))
    return `<pre class="output-text">${escapeNotebookHtml(stripAnsi(mimeText(data['text/plain'])))}</pre>`;
  const other = Object.keys(data);
  return other.length
    ? `<pre class="output-text">[output of type ${escapeNotebookHtml(other.join(', '))}]</pre>`
    : '';
}

function renderOutput(o: NotebookOutput): string {
  switch (o.output_type) {
    case 'stream':
      return `<pre class="output-stream ${o.name}">${escapeNotebookHtml(stripAnsi(joinNotebookText(o.text)))}</pre>`;
    case 'display_data':
    case 'execute_result':
      return renderBundle(o.data);
    case 'error':
      return (
        `<pre class="output-error">${escapeNotebookHtml(stripAnsi(`${o.ename}: ${o.evalue}`))}` +
        (o.traceback.length ? '\n' + escapeNotebookHtml(stripAnsi(o.traceback.join('\n'))) : '') +
        `</pre>`
      );
    default:
      return '';
  }
}

function tags(cell: NotebookCell): string[] {
  return Array.isArray(cell.metadata?.tags) ? cell.metadata.tags : [];
}

function renderCell(
  cell: NotebookCell,
  index: number,
  failedCell: number | null,
  showCode: boolean,
): string {
  const src = joinNotebookText(cell.source);
  const id = escapeNotebookHtml(cell.id);
  if (cell.cell_type === 'markdown') {
    return `<section class="cell markdown" id="cell-${id}">${markdownToHtml(src)}</section>`;
  }
  if (cell.cell_type === 'raw') {
    const fmt = cell.metadata?.format ?? cell.metadata?.raw_mimetype;
    return fmt === 'text/html'
      ? `<section class="cell raw" id="cell-${id}">${src}</section>`
      : `<section class="cell raw" id="cell-${id}"><pre>${escapeNotebookHtml(src)}</pre></section>`;
  }
  const failed = failedCell === index + 1;
  const t = tags(cell);
  const cls = [
    'cell',
    'code',
    failed ? 'failed' : '',
    ...t.map((x) => 'tag-' + x.replace(/[^\w-]/g, '')),
  ]
    .filter(Boolean)
    .join(' ');
  const prompt = `In&nbsp;[${cell.execution_count ?? '&nbsp;'}]:`;
  const tagNote = t.includes('injected-parameters')
    ? '<div class="cell-note">injected parameters</div>'
    : t.includes('parameters')
      ? '<div class="cell-note">parameters (defaults)</div>'
      : '';
  const input = showCode
    ? `<div class="input"><div class="prompt">${prompt}</div><div class="source">${tagNote}<pre><code class="hljs language-typescript">${highlight(src, 'typescript')}</code></pre></div></div>`
    : '';
  const outputs = cell.outputs.map(renderOutput).filter(Boolean);
  const outHtml = outputs.length
    ? `<div class="outputs">${outputs.map((o) => `<div class="output">${o}</div>`).join('\n')}</div>`
    : '';
  const failNote = failed
    ? `<div class="failed-note">execution stopped here: this cell failed</div>`
    : '';
  return `<section class="${cls}" id="cell-${id}">${input}${outHtml}${failNote}</section>`;
}

const PAGE_CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0;background:#fff}
main{max-width:1100px;margin:0 auto;padding:16px 24px 64px}
header.run{border-bottom:1px solid #d0d7de;margin-bottom:16px;padding-bottom:8px;font-size:13px;color:#57606a}
header.run h1{font-size:18px;color:#1f2328;margin:0 0 4px}
.banner{padding:8px 12px;border-radius:6px;margin:8px 0}
.banner.failed{background:#ffebe9;border:1px solid #ff8182;color:#82071e}
.banner.failed pre{white-space:pre-wrap;margin:6px 0 0}
table.params{border-collapse:collapse;margin:4px 0}
table.params td,table.params th{border:1px solid #d0d7de;padding:2px 8px;text-align:left;font-family:ui-monospace,monospace;font-size:12px}
.cell{margin:10px 0}
.cell.markdown{padding:0 4px 0 88px}
.input{display:flex}
.prompt{flex:0 0 80px;font-family:ui-monospace,monospace;font-size:12px;color:#0550ae;padding-top:8px;text-align:right;margin-right:8px}
.source{flex:1;min-width:0}
.source pre{margin:0;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;overflow-x:auto}
.source pre code.hljs{padding:8px 10px;background:transparent;font-size:13px}
.cell-note{font-size:11px;color:#57606a}
.outputs{margin-left:88px;margin-top:4px;overflow-x:auto}
.output pre{margin:2px 0;font-size:13px;white-space:pre-wrap;word-break:break-word}
.output-stream.stderr{background:#fff5f5;border-left:3px solid #cf222e;padding:2px 8px;color:#82071e}
.output-error{background:#ffebe9;border-left:3px solid #cf222e;padding:4px 8px;color:#82071e}
.cell.failed .source pre{border-color:#cf222e}
.failed-note{margin-left:88px;color:#cf222e;font-size:12px}
.output-html table{border-collapse:collapse;font-size:13px}
.output-html th,.output-html td{border:1px solid #d0d7de;padding:2px 6px}
.output-image{max-width:100%}
.markdown table{border-collapse:collapse}.markdown th,.markdown td{border:1px solid #d0d7de;padding:3px 8px}
.markdown code{background:#f6f8fa;padding:1px 4px;border-radius:4px}
`;

function runHeader(nb: NotebookDocument, title: string): string {
  const s = nb.metadata?.scalelab ?? {};
  const exec = s.execution ?? {};
  const params: Record<string, unknown> = s.parameters ?? {};
  const v = s.versions ?? {};
  const parts: string[] = [`<h1>${escapeNotebookHtml(title)}</h1>`];
  const facts: string[] = [];
  if (exec.status) facts.push(`status: <b>${escapeNotebookHtml(String(exec.status))}</b>`);
  if (typeof exec.duration_ms === 'number')
    facts.push(`duration: ${(exec.duration_ms / 1000).toFixed(1)} s`);
  if (exec.start_time) facts.push(`run: ${escapeNotebookHtml(String(exec.start_time))}`);
  const ver = ['scalelab', 'tslab', 'node']
    .filter((k) => v[k])
    .map((k) => `${k} ${escapeNotebookHtml(String(v[k]))}`);
  if (ver.length) facts.push(ver.join(', '));
  if (facts.length) parts.push(`<div>${facts.join(' &middot; ')}</div>`);
  const names = Object.keys(params);
  if (names.length) {
    parts.push(
      `<table class="params"><tr><th>parameter</th><th>value</th></tr>` +
        names
          .map(
            (n) =>
              `<tr><td>${escapeNotebookHtml(n)}</td><td>${escapeNotebookHtml(JSON.stringify(params[n]))}</td></tr>`,
          )
          .join('') +
        `</table>`,
    );
  }
  if (exec.status === 'failed') {
    const where = exec.failed_cell ? `cell ${exec.failed_cell}` : 'the kernel';
    parts.push(
      `<div class="banner failed"><b>Execution failed at <a href="#cell-${escapeNotebookHtml(
        String(nb.cells[(exec.failed_cell ?? 1) - 1]?.id ?? ''),
      )}">${where}</a></b> (${escapeNotebookHtml(String(exec.error_kind ?? 'error'))})<pre>${escapeNotebookHtml(stripAnsi(String(exec.error ?? '')))}</pre></div>`,
    );
  }
  return `<header class="run">${parts.join('\n')}</header>`;
}

/** Renders an (executed) notebook as one self-contained HTML page. */
export function exportNotebookHtml(
  nb: NotebookDocument,
  options: NotebookHtmlOptions = {},
): string {
  plotCounter = 0;
  const title = options.title ?? String(nb.metadata?.scalelab?.name ?? 'notebook');
  const wantPlotly =
    options.plotly === 'always' || (options.plotly !== 'never' && notebookHasPlotly(nb));
  const failedCell: number | null = nb.metadata?.scalelab?.execution?.failed_cell ?? null;
  const showCode = options.showCode !== false;
  const body = nb.cells.map((c, i) => renderCell(c, i, failedCell, showCode)).join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="scalelab notebooks">',
    `<title>${escapeNotebookHtml(title)}</title>`,
    `<style>${highlightCss()}\n${PAGE_CSS}</style>`,
    wantPlotly ? `<script>${plotlySource(options.plotlyPath)}</script>` : '',
    '</head>',
    '<body><main>',
    runHeader(nb, title),
    body,
    '</main></body>',
    '</html>',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

/** One row of the index page. */
export interface NotebookIndexEntry {
  name: string;
  /** Link to the HTML export (relative to the index page). */
  href: string;
  /** Link to the executed .ipynb (optional). */
  ipynbHref?: string;
  status: 'ok' | 'failed';
  durationMs: number;
  /** First line of the error, for failed runs. */
  error?: string;
}

/** The index page linking each exported notebook with its status and duration. */
export function exportNotebookIndexHtml(
  entries: NotebookIndexEntry[],
  options: { title?: string; parameters?: Record<string, unknown> } = {},
): string {
  const title = options.title ?? 'scalelab notebooks';
  const ok = entries.filter((e) => e.status === 'ok').length;
  const rows = entries
    .map(
      (e) =>
        `<tr class="${e.status}"><td><a href="${escapeNotebookHtml(e.href)}">${escapeNotebookHtml(e.name)}</a>` +
        (e.ipynbHref
          ? ` <a class="ipynb" href="${escapeNotebookHtml(e.ipynbHref)}">.ipynb</a>`
          : '') +
        `</td><td class="status">${e.status}</td><td class="num">${(e.durationMs / 1000).toFixed(1)} s</td>` +
        `<td>${e.error ? escapeNotebookHtml(e.error) : ''}</td></tr>`,
    )
    .join('\n');
  const params =
    options.parameters && Object.keys(options.parameters).length
      ? `<p>parameters: <code>${escapeNotebookHtml(JSON.stringify(options.parameters))}</code></p>`
      : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeNotebookHtml(title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:1000px;margin:24px auto;padding:0 16px;color:#1f2328}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.failed td.status{color:#cf222e;font-weight:bold}tr.ok td.status{color:#1a7f37}
a.ipynb{font-size:12px;color:#57606a}
</style>
</head>
<body>
<h1>${escapeNotebookHtml(title)}</h1>
<p>${ok} of ${entries.length} notebooks ran without error.</p>
${params}
<table>
<tr><th>notebook</th><th>status</th><th>duration</th><th>error</th></tr>
${rows}
</table>
</body>
</html>
`;
}
