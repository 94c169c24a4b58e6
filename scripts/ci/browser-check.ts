/// <reference lib="dom" />
/**
 * Headless Chromium check that every figure renders, offline, where users see them:
 *   1. the nbconvert HTML export of each executed notebook (plotly.min.js placed beside it),
 *   2. a standalone `writeHtml` page,
 *   3. notebook 00 opened live in the classic Notebook server on 127.0.0.1 and run there,
 *   4. scalelab's own HTML export of each notebook (`scalelab notebooks run --all` into
 *      out/notebooks/), expected figures counted from the executed .ipynb beside each page,
 *   5. any extra HTML pages given with --page (e.g. the experiments report).
 * For each figure: plotly drew it (class js-plotly-plot, an svg.main-svg), it has the expected
 * number of traces (el.data.length, and that many g.trace groups), no loader errors, no page
 * errors. Every network request other than file:// and the local server is aborted.
 * Screenshots go to out/screenshots/. Exit code 1 on any failure.
 *
 * Usage: ts-node scripts/ci/browser-check.ts [--executed DIR] [--html DIR] [--live NB] [--export DIR] [--page FILE]...
 */
import * as fs from 'fs';
import * as path from 'path';
import * as net from 'net';
import { spawn, spawnSync, ChildProcess } from 'child_process';
import { chromium, Browser, Page } from 'playwright-core';
import { figure, line, markers, band, panels, writeHtml } from '../../lib/plot';
import {
  copyPlotlyNextTo,
  jupyterEnv,
  installKernelSpec,
  findExecutable,
} from '../../lib/kernelspec';
import { outputDir, projectRoot } from '../../lib/project';

/** What a page's figure must show; traces unknown for pages without an executed notebook beside them. */
interface FigureExpectation {
  traces?: number;
}
interface Failure {
  where: string;
  what: string;
}

const failures: Failure[] = [];
const screenshots = path.join(outputDir(), 'screenshots');

function fail(where: string, what: string): void {
  failures.push({ where, what });
  console.error(`FAIL ${where}: ${what}`);
}

/** Expected figures of an executed notebook: one per output carrying the plotly MIME type. */
function expectedFigures(ipynb: string): FigureExpectation[] {
  const nb = JSON.parse(fs.readFileSync(ipynb, 'utf8')) as {
    cells: Array<{ outputs?: Array<{ data?: Record<string, { data?: unknown[] }> }> }>;
  };
  const out: FigureExpectation[] = [];
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      const fig = o.data?.['application/vnd.plotly.v1+json'];
      if (fig) out.push({ traces: (fig.data ?? []).length });
    }
  }
  return out;
}

async function newPage(
  browser: Browser,
  allowOrigin?: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://') || (allowOrigin && url.startsWith(allowOrigin)))
      return route.continue();
    return route.abort();
  });
  return { page, errors };
}

async function checkFigures(
  page: Page,
  where: string,
  expected: FigureExpectation[],
  errors: string[],
  shot: string,
): Promise<void> {
  const n = expected.length;
  try {
    await page.waitForFunction(
      (k) => {
        const w = window as unknown as { __labPlots?: string[]; __labPlotErrors?: string[] };
        return (w.__labPlots ?? []).length + (w.__labPlotErrors ?? []).length >= k;
      },
      n,
      { timeout: 90_000 },
    );
  } catch {
    fail(where, `timed out waiting for ${n} figures to draw`);
  }
  const seen = await page.evaluate(() => {
    const w = window as unknown as { __labPlots?: string[]; __labPlotErrors?: string[] };
    const divs = Array.from(document.querySelectorAll('.lab-plotly')) as Array<
      HTMLElement & { data?: unknown[] }
    >;
    return {
      drawn: w.__labPlots ?? [],
      loaderErrors: w.__labPlotErrors ?? [],
      divs: divs.map((el) => ({
        id: el.id,
        plotly: el.classList.contains('js-plotly-plot'),
        svgs: el.querySelectorAll('svg.main-svg').length,
        traceGroups: el.querySelectorAll('g.trace').length,
        dataLength: Array.isArray(el.data) ? el.data.length : -1,
      })),
    };
  });
  fs.mkdirSync(screenshots, { recursive: true });
  // Pages that scroll inside a container (the classic Notebook) show only their top in a
  // full-page shot: bring the last figure into view first.
  if (seen.divs.length)
    await page
      .locator('.lab-plotly')
      .last()
      .scrollIntoViewIfNeeded()
      .catch(() => undefined);
  await page.screenshot({ path: path.join(screenshots, shot), fullPage: true });
  if (seen.loaderErrors.length) fail(where, `loader errors: ${seen.loaderErrors.join('; ')}`);
  if (errors.length) fail(where, `page errors: ${errors.join('; ')}`);
  if (seen.divs.length !== n) fail(where, `expected ${n} figure divs, found ${seen.divs.length}`);
  seen.divs.forEach((d, i) => {
    const want = expected[i]?.traces;
    if (!d.plotly || d.svgs < 1) fail(where, `figure ${i + 1} (${d.id}) was not drawn by plotly`);
    else if (want !== undefined && (d.dataLength !== want || d.traceGroups < want)) {
      fail(
        where,
        `figure ${i + 1} (${d.id}): ${d.dataLength} traces in data and ${d.traceGroups} drawn, expected ${want}`,
      );
    }
  });
  console.log(
    `${where}: ${seen.divs.filter((d) => d.plotly && d.svgs > 0).length}/${n} figures drawn -> ${path.join('out/screenshots', shot)}`,
  );
}

/** 1. nbconvert's HTML export of each executed notebook in `executedDir`. */
async function checkNbconvertExports(
  browser: Browser,
  executedDir: string,
  htmlDir: string,
): Promise<void> {
  const notebooks = fs
    .readdirSync(executedDir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort();
  if (!notebooks.length) fail('nbconvert export', `no executed notebooks in ${executedDir}`);
  const jupyter = findExecutable('jupyter') ?? '/usr/bin/jupyter';
  fs.mkdirSync(htmlDir, { recursive: true });
  copyPlotlyNextTo(htmlDir);
  // one nbconvert for every notebook: a Python start-up each was most of this step's nbconvert time
  const r = spawnSync(
    jupyter,
    [
      'nbconvert',
      '--to',
      'html',
      '--output-dir',
      htmlDir,
      ...notebooks.map((nb) => path.join(executedDir, nb)),
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) fail('nbconvert --to html', r.stderr.slice(-2000));
  await inParallel(
    notebooks.map((nb) => async () => {
      const html = path.join(htmlDir, nb.replace(/\.ipynb$/, '.html'));
      if (!fs.existsSync(html)) {
        fail(`nbconvert --to html ${nb}`, `no ${html}`);
        return;
      }
      const { page, errors } = await newPage(browser);
      await page.goto('file://' + html);
      await checkFigures(
        page,
        `nbconvert HTML ${nb}`,
        expectedFigures(path.join(executedDir, nb)),
        errors,
        `nbconvert-${nb.replace(/\.ipynb$/, '')}.png`,
      );
      await page.close();
    }),
  );
}

/**
 * Runs the page checks two at a time: each page's plotly drawing and full-page screenshot keep one
 * of Chromium's renderers busy, and the CI machines have two cores. Lines print as pages finish.
 */
async function inParallel(tasks: Array<() => Promise<void>>, width = 2): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, lane));
}

/** 2. A standalone page written by writeHtml: lines, error bars, a band, log axes and panels. */
async function checkWriteHtml(browser: Browser): Promise<void> {
  const x = [0.1, 0.3, 0.5, 0.7, 0.9];
  const w = x.map((r) => 1 / (1 - r));
  const lines = figure(
    [
      line(x, w, { name: 'theory', group: 'mm1' }),
      markers(
        x,
        w.map((v) => v * 1.02),
        { name: 'simulation', group: 'sim', error: w.map((v) => v * 0.05) },
      ),
    ],
    { title: 'W vs rho', x: { title: 'rho' }, y: { title: 'W', log: true } },
  );
  const shaded = figure(
    [
      band(
        x,
        w.map((v) => v * 0.9),
        w.map((v) => v * 1.1),
        { name: '95% CI', group: 'mm1' },
      ),
      line(x, w, { name: 'mean', group: 'mm1' }),
    ],
    { title: 'band' },
  );
  const grid = panels([lines, shaded], { title: 'two panels' });
  const file = writeHtml(
    [lines, shaded, grid],
    path.join(outputDir(), 'pages', 'plot-check.html'),
    { title: 'scalelab plot check' },
  );
  const { page, errors } = await newPage(browser);
  await page.goto('file://' + file);
  await checkFigures(
    page,
    'writeHtml page',
    [lines, shaded, grid].map((f) => ({ traces: f.data.length })),
    errors,
    'writeHtml-plot-check.png',
  );
  await page.close();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForServer(url: string, child: ChildProcess, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`notebook server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`notebook server did not answer at ${url} within ${ms} ms`);
}

/**
 * 3. A notebook run live in the classic Notebook server: a copy under out/live (so autosave
 * never writes outputs into notebooks/), all cells executed from the page.
 */
async function checkLiveClassic(
  browser: Browser,
  notebook: string,
  expectedFrom: string | undefined,
): Promise<void> {
  const where = `classic Notebook live ${path.basename(notebook)}`;
  const serverBin = findExecutable('jupyter-notebook');
  if (!serverBin) {
    fail(where, 'jupyter-notebook is not installed');
    return;
  }
  installKernelSpec();
  const liveDir = path.join(outputDir(), 'live');
  fs.rmSync(liveDir, { recursive: true, force: true });
  fs.mkdirSync(liveDir, { recursive: true });
  fs.copyFileSync(notebook, path.join(liveDir, path.basename(notebook)));
  copyPlotlyNextTo(liveDir);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  const server = spawn(
    serverBin,
    [
      '--no-browser',
      '--allow-root',
      '--ip=127.0.0.1',
      `--port=${port}`,
      '--NotebookApp.token=',
      '--NotebookApp.password=',
      `--notebook-dir=${liveDir}`,
      '--NotebookApp.disable_check_xsrf=True',
    ],
    { cwd: liveDir, env: jupyterEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout!.on('data', (d) => log.push(String(d)));
  server.stderr!.on('data', (d) => log.push(String(d)));
  try {
    await waitForServer(`${base}/api`, server, 60_000);
    const { page, errors } = await newPage(browser, base);
    await page.goto(`${base}/notebooks/${path.basename(notebook)}`);
    await page.waitForFunction(
      () => {
        const J = (
          window as unknown as { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } } } }
        ).Jupyter;
        return !!(J && J.notebook && J.notebook.kernel && J.notebook.kernel.is_connected());
      },
      undefined,
      { timeout: 90_000 },
    );
    await page.evaluate(() =>
      (
        window as unknown as { Jupyter: { notebook: { execute_all_cells(): void } } }
      ).Jupyter.notebook.execute_all_cells(),
    );
    const expected =
      expectedFrom && fs.existsSync(expectedFrom) ? expectedFigures(expectedFrom) : [];
    if (!expected.length)
      fail(where, `no executed copy to count the expected figures (${expectedFrom})`);
    await checkFigures(
      page,
      where,
      expected,
      errors,
      `classic-live-${path.basename(notebook, '.ipynb')}.png`,
    );
    const stderrCells = await page.evaluate(
      () => document.querySelectorAll('.output_stderr').length,
    );
    if (stderrCells) fail(where, `${stderrCells} cells wrote to stderr (an error in the live run)`);
    await page.close();
  } catch (e) {
    fail(where, `${(e as Error).message}\n${log.join('').slice(-3000)}`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    if (server.exitCode === null) server.kill('SIGKILL');
  }
}

async function checkPage(
  browser: Browser,
  file: string,
  expectedFrom?: string,
  label = 'page',
): Promise<void> {
  const { page, errors } = await newPage(browser);
  await page.goto('file://' + path.resolve(file));
  const count = await page.evaluate(() => document.querySelectorAll('.lab-plotly').length);
  const expected: FigureExpectation[] = expectedFrom
    ? expectedFigures(expectedFrom)
    : Array.from({ length: count }, () => ({}));
  await checkFigures(
    page,
    `${label} ${path.basename(file)}`,
    expected,
    errors,
    `${label.replace(/\W+/g, '-')}-${path.basename(file, '.html')}.png`,
  );
  await page.close();
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const executed = value('--executed') ?? path.join(outputDir(), 'notebooks-jupyter');
  const htmlDir = value('--html') ?? path.join(outputDir(), 'html-jupyter');
  const live = value('--live') ?? path.join(projectRoot(), 'notebooks', '00-getting-started.ipynb');
  const exportDir = value('--export') ?? path.join(outputDir(), 'notebooks');
  const pages = args.flatMap((a, i) => (a === '--page' ? [args[i + 1]] : []));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  try {
    await checkWriteHtml(browser);
    await checkNbconvertExports(browser, executed, htmlDir);
    await checkLiveClassic(browser, live, path.join(executed, path.basename(live)));
    const exported = fs.existsSync(exportDir)
      ? fs
          .readdirSync(exportDir)
          .filter((f) => f.endsWith('.ipynb'))
          .sort()
      : [];
    if (!exported.length)
      fail(
        'scalelab HTML export',
        `no executed notebooks in ${exportDir} (run scalelab notebooks run --all first)`,
      );
    await inParallel(
      exported.map(
        (nb) => () =>
          checkPage(
            browser,
            path.join(exportDir, nb.replace(/\.ipynb$/, '.html')),
            path.join(exportDir, nb),
            'scalelab HTML export',
          ),
      ),
    );
    for (const p of pages) await checkPage(browser, p);
  } finally {
    await browser.close();
  }
  if (failures.length) {
    console.error(`\nbrowser check: ${failures.length} failure(s)`);
    return 1;
  }
  console.log('\nbrowser check: every figure rendered');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
