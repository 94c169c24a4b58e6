/** The static HTML export and the index page (no kernel needed: hand-made executed notebooks). */
import * as fs from 'fs';
import * as path from 'path';
import { exportNotebookHtml, exportNotebookIndexHtml } from '../../lib/notebook/html';
import { normalizeNotebook, NotebookDocument } from '../../lib/notebook/nbformat';
import { findScalelabRoot } from '../../lib/notebook/project';

function executed(
  outputs: unknown[],
  extra: Partial<NotebookDocument['metadata']> = {},
): NotebookDocument {
  return normalizeNotebook({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { ...extra },
    cells: [
      {
        cell_type: 'markdown',
        id: 'm',
        metadata: {},
        source: '# Title\n\nSome **bold** text.\n\n| a | b |\n|---|---|\n| 1 | 2 |',
      },
      {
        cell_type: 'code',
        id: 'c',
        metadata: {},
        source: 'const x: number = 1 < 2 ? 3 : 4;',
        execution_count: 1,
        outputs,
      },
    ],
  });
}

const plotlyBundle = {
  output_type: 'display_data',
  metadata: {},
  data: {
    'application/vnd.plotly.v1+json': { data: [{ type: 'scatter', x: [1], y: [2] }], layout: {} },
    'text/html':
      "<div id='p1' class='lab-plotly'></div><script>if (window.Plotly) window.Plotly.newPlot('p1', [], {});</script>",
    'text/plain': '<Plotly figure>',
  },
};

test('markdown rendered, code highlighted, text/plain escaped, stderr styled', () => {
  const html = exportNotebookHtml(
    executed([
      { output_type: 'stream', name: 'stdout', text: '<not a tag> & more\n' },
      { output_type: 'stream', name: 'stderr', text: 'oops\n' },
      { output_type: 'display_data', metadata: {}, data: { 'text/plain': '<b>plain</b>' } },
    ]),
    { title: 'T <1>' },
  );
  expect(html).toMatch(/^<!DOCTYPE html>/);
  expect(html).toContain('<title>T &lt;1&gt;</title>');
  expect(html).toContain('<h1>Title</h1>');
  expect(html).toContain('<strong>bold</strong>');
  expect(html).toContain('<table>');
  expect(html).toContain('<span class="hljs-keyword">const</span>');
  expect(html).toContain('&lt;not a tag&gt; &amp; more');
  expect(html).toContain('<pre class="output-stream stderr">oops');
  expect(html).toContain('&lt;b&gt;plain&lt;/b&gt;');
  expect(html).toContain('In&nbsp;[1]:');
  expect(html).not.toContain('<script>'); // no plotly, no scripts
});

test('text/html inlined with scripts active; images inlined; markdown outputs rendered', () => {
  const html = exportNotebookHtml(
    executed([
      {
        output_type: 'display_data',
        metadata: {},
        data: {
          'text/html': '<table><tr><td>t</td></tr></table><script>window.ran = 1</script>',
          'text/plain': 'x',
        },
      },
      {
        output_type: 'display_data',
        metadata: {},
        data: { 'image/png': 'iVBORw0KGgo=\n', 'text/plain': 'img' },
      },
      {
        output_type: 'display_data',
        metadata: {},
        data: { 'text/markdown': '*md out*', 'text/plain': 'md' },
      },
    ]),
  );
  expect(html).toContain('<script>window.ran = 1</script>');
  expect(html).toContain(
    '<img class="output-image" alt="" src="data:image/png;base64,iVBORw0KGgo=">',
  );
  expect(html).toContain('<em>md out</em>');
});

test('plotly figures: the text/html part is used and plotly.js is inlined once in the head', () => {
  const html = exportNotebookHtml(executed([plotlyBundle, plotlyBundle]));
  const head = html.slice(0, html.indexOf('</head>'));
  const plotly = fs.readFileSync(
    path.join(findScalelabRoot(), 'node_modules', 'plotly.js-dist-min', 'plotly.min.js'),
    'utf8',
  );
  const marker = plotly.slice(0, 60);
  expect(head).toContain(marker);
  expect(html.split(marker).length - 1).toBe(1);
  expect(html.split("class='lab-plotly'").length - 1).toBe(2);
  // the inlined plotly.js cannot end its <script> element early
  expect(html.split(/<script\b/i).length).toBe(html.split(/<\/script>/i).length);
  expect(html).not.toContain('&lt;Plotly figure&gt;');
  expect(exportNotebookHtml(executed([plotlyBundle]), { plotly: 'never' })).not.toContain(marker);
});

test('a bundle with only the plotly JSON is still drawn with window.Plotly', () => {
  const only = {
    output_type: 'display_data',
    metadata: {},
    data: { 'application/vnd.plotly.v1+json': { data: [], layout: {} } },
  };
  const html = exportNotebookHtml(executed([only]));
  expect(html).toMatch(/window\.Plotly\.newPlot\("nb-plotly-1"/);
});

test('a failed run gets a banner naming the cell, and the parameters are shown', () => {
  const nb = executed(
    [{ output_type: 'stream', name: 'stderr', text: "1:7 - Type 'number' is not assignable\n" }],
    {
      scalelab: {
        parameters: { rho: 0.9 },
        execution: {
          status: 'failed',
          failed_cell: 2,
          error_kind: 'cell-error',
          error: "1:7 - Type 'number' is not assignable",
          duration_ms: 1234,
        },
      },
    },
  );
  const html = exportNotebookHtml(nb);
  expect(html).toContain('Execution failed at <a href="#cell-c">cell 2</a>');
  expect(html).toContain('class="cell code failed"');
  expect(html).toContain('<td>rho</td><td>0.9</td>');
  expect(html).toContain('duration: 1.2 s');
});

test('index page links each notebook with status and duration', () => {
  const html = exportNotebookIndexHtml([
    {
      name: 'notebooks/00-a.ipynb',
      href: '00-a.html',
      ipynbHref: '00-a.ipynb',
      status: 'ok',
      durationMs: 4200,
    },
    {
      name: 'notebooks/01-b.ipynb',
      href: '01-b.html',
      status: 'failed',
      durationMs: 900,
      error: 'cell 3 failed: <boom>',
    },
  ]);
  expect(html).toContain('<a href="00-a.html">notebooks/00-a.ipynb</a>');
  expect(html).toContain('<td class="status">failed</td>');
  expect(html).toContain('4.2 s');
  expect(html).toContain('cell 3 failed: &lt;boom&gt;');
  expect(html).toContain('1 of 2 notebooks ran without error');
});
