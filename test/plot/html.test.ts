import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as aq from 'arquero';
import { figure, line, markers } from '../../lib/plot/builders';
import { escapeHtml, hashString, jsonForScript, toPlainJson } from '../../lib/plot/serialize';
import {
  figureBundle,
  figureHtml,
  pageHtml,
  plotlyMime,
  tableBundle,
  writeHtml,
} from '../../lib/plot/html';

const fig = figure(
  [line(new Float64Array([0.1, 0.5, 0.9]), new Float64Array([1.11, 2, 10]), { name: 'theory' })],
  { title: 'W vs rho' },
);

describe('figure data for JSON and HTML', () => {
  it('turns TypedArrays into arrays and non-finite numbers into null', () => {
    expect(JSON.stringify(new Float64Array([1]))).toBe('{"0":1}'); // the trap this avoids
    expect(
      toPlainJson({
        a: new Float64Array([1, NaN, Infinity]),
        b: [new Int32Array([2]), -Infinity],
        c: undefined,
      }),
    ).toEqual({ a: [1, null, null], b: [[2], null] });
  });

  it('escapes embedded JSON so that a title cannot close the script', () => {
    const s = jsonForScript({ title: '</script><script>alert(1)</script> & \u2028' });
    expect(s).not.toMatch(/<|>|&|\u2028/);
    expect(JSON.parse(s)).toEqual({ title: '</script><script>alert(1)</script> & \u2028' });
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });

  it('makes deterministic ids from the figure content', () => {
    expect(hashString('abc')).toBe(hashString('abc'));
    expect(hashString('abc')).not.toBe(hashString('abd'));
    const a = /id="lab-plotly-([0-9a-f]{8})-\d+"/.exec(figureHtml(fig))![1];
    const b = /id="lab-plotly-([0-9a-f]{8})-\d+"/.exec(figureHtml(fig))![1];
    expect(a).toBe(b);
  });
});

describe('notebook bundles', () => {
  it('holds the plotly JSON, an HTML loader and a text stand-in for each figure', () => {
    const b = figureBundle(fig);
    expect(Object.keys(b).sort()).toEqual([plotlyMime, 'text/html', 'text/plain'].sort());
    const json = b[plotlyMime] as { data: Array<{ x: unknown }>; layout: unknown; config: unknown };
    expect(json.data[0].x).toEqual([0.1, 0.5, 0.9]);
    expect(json.config).toMatchObject({ responsive: true, displaylogo: false });
    expect(b['text/plain']).toBe('<Plotly figure: W vs rho, 1 trace (theory)>');
    const html = b['text/html'] as string;
    expect(html).toMatch(
      /^<div id="lab-plotly-[0-9a-f]{8}-\d+" class="lab-plotly" style="width:100%;height:420px;">/,
    );
    expect(html).toContain('"./plotly.min.js"');
    expect(html).not.toContain('window.Plotly = Plotly'); // plotly.js is never embedded in an output
    expect(html.length).toBeLessThan(5000);
  });

  it('shows an arquero table as an HTML table with its size, and markdown text', () => {
    const t = aq.table({ rho: [0.5, 0.9], W: [2, 10.123456] });
    const b = tableBundle(t, { digits: 3 });
    expect(b['text/html']).toContain('2 rows × 2 cols');
    expect(b['text/html']).toContain('<table');
    expect(b['text/plain']).toContain('|rho|W|');
    const many = aq.table({ i: Array.from({ length: 50 }, (_, i) => i) });
    expect(tableBundle(many)['text/html']).toContain('50 rows × 1 col (showing 20)');
  });
});

describe('standalone pages', () => {
  it('embeds plotly.js once, whatever the number of figures', () => {
    const other = figure([markers([1, 2], [3, 4], { name: 'sim' })]);
    const page = pageHtml([fig, other, fig], { title: 'Three <figures>' });
    expect(page.match(/window\.Plotly = Plotly/g)).toHaveLength(1);
    expect(page.match(/class="lab-plotly"/g)).toHaveLength(3);
    expect(page).toContain('<title>Three &lt;figures&gt;</title>');
    // the embedded bundle must not contain a literal closing script tag
    const head = page.slice(0, page.indexOf('</head>'));
    expect(head.match(/<\/script>/g)).toHaveLength(1);
  });

  it('writes the page to a file, creating folders', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-'));
    const file = writeHtml(fig, path.join(dir, 'a', 'b', 'fig.html'), {
      plotlySrc: 'plotly.min.js',
    });
    const page = fs.readFileSync(file, 'utf8');
    expect(page).toContain('<script src="plotly.min.js"></script>');
    expect(page.length).toBeLessThan(20000);
  });
});
