/**
 * The package as a user installs it: `npm pack`, then `npm install ./scalelab-<v>.tgz` into an
 * empty project outside the checkout, where CommonJS, ESM and ts-node scripts import it and
 * `npx scalelab run`, `report` and `jupyter --print-path` write under the project's folder, never
 * inside node_modules. One pack and one install serve every case (about 20-40 s with npm's cache
 * warm; set TARBALL_CLEAN_CACHE=1 to install through an empty cache, as a fresh machine would).
 *
 * The tarball's listing: dist with source maps whose sources ship too (lib/), bin, the notebooks
 * without outputs or plotly.min.js, the READMEs the README points to, LICENSE; never
 * data/results, the report, out/ or the tests.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync, SpawnSyncReturns } from 'child_process';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

interface PackedFile {
  path: string;
  size: number;
}
interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: PackedFile[];
}

let work: string;
let project: string;
let packed: PackResult;
let installed: string;

function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): SpawnSyncReturns<string> {
  // npm_config_* from an enclosing `npm test` would leak into the user's npm (its cache, its scripts' settings)
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) clean[k] = v;
  return spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...clean, ...env },
    timeout: 180_000,
  });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0)
    throw new Error(
      `${what} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${r.stdout}\n${r.stderr}`,
    );
  return r.stdout;
}

/** Every file under `dir`, relative to it. */
function walk(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, base) : [path.relative(base, full)];
  });
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-tarball-'));
  // --ignore-scripts: pack the dist that npm test's pretest built (prepare would rebuild it)
  const out = ok(
    run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], root),
    'npm pack',
  );
  packed = (JSON.parse(out) as PackResult[])[0];
  project = path.join(work, 'my-project');
  fs.mkdirSync(project);
  ok(run('npm', ['init', '-y'], project), 'npm init');
  const cache = process.env.TARBALL_CLEAN_CACHE
    ? ['--cache', path.join(work, 'npm-cache')]
    : ['--prefer-offline'];
  const tools = ['typescript', 'ts-node', '@types/node'].map(
    (p) => `${p}@${pkg.devDependencies[p]}`,
  );
  ok(
    run(
      'npm',
      ['install', '--no-audit', '--no-fund', ...cache, path.join(work, packed.filename), ...tools],
      project,
    ),
    'npm install',
  );
  installed = path.join(project, 'node_modules', 'scalelab');
}, 240_000);

afterAll(() => {
  if (work && !process.env.KEEP_TARBALL_TEST) fs.rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('holds dist, the lib sources its maps name, bin, the notebooks, the READMEs and LICENSE', () => {
    const files = new Set(packed.files.map((f) => f.path));
    for (const f of [
      'package.json',
      'README.md',
      'LICENSE',
      'bin/scalelab.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/index.js.map',
      'lib/index.ts',
    ]) {
      expect(files).toContain(f);
    }
    const readmes = [
      ...fs.readdirSync(path.join(root, 'lib', 'systems')).map((d) => `lib/systems/${d}/README.md`),
      'lib/systems/README.md',
      'lib/measure/README.md',
      'lib/queueing/README.md',
      'lib/notebook/README.md',
    ].filter((f) => fs.existsSync(path.join(root, f)));
    expect(readmes.length).toBeGreaterThan(10);
    for (const f of readmes) expect(files).toContain(f);
    const notebooks = fs
      .readdirSync(path.join(root, 'notebooks'))
      .filter((f) => f.endsWith('.ipynb'));
    expect(notebooks.length).toBeGreaterThanOrEqual(13);
    for (const f of notebooks) expect(files).toContain(`notebooks/${f}`);
    // the inputs the labs read at run time
    for (const f of [
      'data/geodns/aws-inter-region-rtt.csv',
      'data/storm/corpus.txt',
      'data/architectures/01-single-server.json',
      'data/cache/sample-trace.txt',
    ])
      expect(files).toContain(f);
  });

  it('holds no generated files, tests or development tooling, and stays small', () => {
    const bad = packed.files
      .map((f) => f.path)
      .filter(
        (f) =>
          /^(data\/results|out|test|scripts|bench|node_modules|coverage|\.ci|\.jupyter-local)\//.test(
            f,
          ) ||
          /plotly\.min\.js$|\.tsbuildinfo$|^report\.html$|\.tgz$/.test(f) ||
          f === 'DEVELOPING.md',
      );
    expect(bad).toEqual([]);
    // every compiled file has its source: no module left in dist/ after it moved (tsc never deletes an output)
    const srcs = new Set(packed.files.map((f) => f.path));
    const orphans = packed.files
      .map((f) => f.path)
      .filter((f) => f.startsWith('dist/') && /\.(js|d\.ts|js\.map)$/.test(f))
      .filter(
        (f) => !srcs.has(f.replace(/^dist\//, 'lib/').replace(/(\.d\.ts|\.js\.map|\.js)$/, '.ts')),
      );
    expect(orphans).toEqual([]);
    // measured: 1.8 MB packed, 7.4 MB unpacked (it was 5.2 MB and 18.7 MB with data/results and plotly.min.js)
    expect(packed.size).toBeLessThan(2.5e6);
    expect(packed.unpackedSize).toBeLessThan(9e6);
  });

  it('installs with one @uwdata/flechette, the pinned 2.3.0, and never asks for @uwdata/wk-geojson', () => {
    const flechette = JSON.parse(
      fs.readFileSync(
        path.join(project, 'node_modules', '@uwdata', 'flechette', 'package.json'),
        'utf8',
      ),
    );
    expect(flechette.version).toBe(pkg.dependencies['@uwdata/flechette']);
    expect(
      fs.existsSync(path.join(project, 'node_modules', 'arquero', 'node_modules', '@uwdata')),
    ).toBe(false);
    expect(fs.existsSync(path.join(project, 'node_modules', '@uwdata', 'wk-geojson'))).toBe(false);
  });

  it('has source maps whose every source is in the package', () => {
    const maps = walk(path.join(installed, 'dist')).filter((f) => f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(100);
    const missing: string[] = [];
    for (const m of maps) {
      const file = path.join(installed, 'dist', m);
      const map = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        sources: string[];
        sourceRoot?: string;
      };
      for (const s of map.sources) {
        const src = path.resolve(path.dirname(file), map.sourceRoot ?? '', s);
        if (!fs.existsSync(src)) missing.push(`${m}: ${s}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('ships the notebooks without outputs', () => {
    const dir = path.join(installed, 'notebooks');
    const withOutputs = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ipynb'))
      .filter((f) => {
        const nb = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as {
          cells: Array<{ cell_type: string; outputs?: unknown[]; execution_count?: number | null }>;
        };
        return nb.cells.some(
          (c) =>
            c.cell_type === 'code' && ((c.outputs ?? []).length > 0 || c.execution_count != null),
        );
      });
    expect(withOutputs).toEqual([]);
  });
});

describe('scalelab installed in an empty project', () => {
  it('is required by a CommonJS script', () => {
    fs.writeFileSync(
      path.join(project, 'app.cjs'),
      "const { mm1, version, Simulation, kafka, ParameterError } = require('scalelab');\n" +
        'let bad = null;\ntry { mm1({ lambda: 3, mu: -1 }); } catch (e) { bad = e instanceof ParameterError ? e.parameter : String(e); }\n' +
        'console.log(JSON.stringify({ W: mm1({ lambda: 1, mu: 2 }).W, version, sim: typeof Simulation, kafka: typeof kafka.simulateKafka, bad }));\n',
    );
    const r = run(process.execPath, ['app.cjs'], project);
    expect(r.stderr).toBe('');
    expect(JSON.parse(ok(r, 'app.cjs'))).toEqual({
      W: 1,
      version: pkg.version,
      sim: 'function',
      kafka: 'function',
      bad: 'mu',
    });
  });

  it('is imported by name from an ES module', () => {
    fs.writeFileSync(
      path.join(project, 'app.mjs'),
      "import { mm1, mmc, figure } from 'scalelab';\nconsole.log(JSON.stringify({ W: mm1({ lambda: 1, mu: 2 }).W, c: mmc({ lambda: 1, mu: 1, c: 2 }).c, f: typeof figure }));\n",
    );
    const r = run(process.execPath, ['app.mjs'], project);
    expect(r.stderr).toBe('');
    expect(JSON.parse(ok(r, 'app.mjs'))).toEqual({ W: 1, c: 2, f: 'function' });
  });

  it("runs a strict TypeScript script under the project's own ts-node, writing a figure under the project", () => {
    fs.writeFileSync(
      path.join(project, 'app.ts'),
      [
        "import { figure, line, writeHtml, mm1, type Mm1Result } from 'scalelab';",
        'const rho: number[] = [0.1, 0.5, 0.9];',
        'const results: Mm1Result[] = rho.map((r) => mm1({ lambda: r, mu: 1 }));',
        "const file: string = writeHtml([figure([line(rho, results.map((m) => m.W), { name: 'M/M/1' })])], 'out/app.html');",
        'console.log(file);',
      ].join('\n'),
    );
    // the tsconfig.json the README gives (ts-node 10.9's defaults for Node 20, module node16, fail with ERR_UNKNOWN_FILE_EXTENSION)
    fs.writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'commonjs',
          target: 'es2022',
          strict: true,
          esModuleInterop: true,
        },
      }),
    );
    const r = run(
      process.execPath,
      [path.join(project, 'node_modules', 'ts-node', 'dist', 'bin.js'), 'app.ts'],
      project,
    );
    expect(r.stderr).toBe('');
    ok(r, 'ts-node app.ts');
    expect(fs.readFileSync(path.join(project, 'out', 'app.html'), 'utf8')).toContain(
      'window.Plotly = Plotly',
    );
  });

  it('npx scalelab run and report write data/results under the project, not under node_modules', () => {
    const r = run(
      'npx',
      [
        '--no-install',
        'scalelab',
        'run',
        'latency-vs-utilization',
        '--set',
        'utilisations=0.5',
        '--reps',
        '2',
      ],
      project,
    );
    ok(r, 'scalelab run');
    for (const ext of ['csv', 'json', 'html'])
      expect(
        fs.existsSync(path.join(project, 'data', 'results', `latency-vs-utilization.${ext}`)),
      ).toBe(true);
    ok(run('npx', ['--no-install', 'scalelab', 'report'], project), 'scalelab report');
    expect(fs.existsSync(path.join(project, 'data', 'results', 'report.html'))).toBe(true);
    expect(fs.existsSync(path.join(installed, 'data', 'results'))).toBe(false);
  });

  it('npx scalelab jupyter --print-path puts the kernel spec and the notebooks under the project', () => {
    const r = run('npx', ['--no-install', 'scalelab', 'jupyter', '--print-path'], project);
    const printed = ok(r, 'scalelab jupyter --print-path').trim();
    expect(printed).toBe(path.join(fs.realpathSync(project), '.jupyter-local'));
    const spec = JSON.parse(
      fs.readFileSync(path.join(printed, 'kernels', 'tslab', 'kernel.json'), 'utf8'),
    );
    expect(spec.argv[1]).toBe(
      path.join(fs.realpathSync(project), 'node_modules', 'tslab', 'bin', 'tslab'),
    );
    expect(fs.existsSync(path.join(project, 'notebooks', '00-getting-started.ipynb'))).toBe(true);
    expect(fs.existsSync(path.join(project, 'notebooks', 'plotly.min.js'))).toBe(true);
    // nothing written inside the installed package
    for (const f of ['.jupyter-local', 'out', path.join('notebooks', 'plotly.min.js')])
      expect(fs.existsSync(path.join(installed, f))).toBe(false);
  });
});
