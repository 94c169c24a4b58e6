/**
 * The package as its users get it: `require('scalelab')` through node_modules, the public
 * declarations under tslab's own TypeScript 5.0 (Node10 resolution, lib es2022, strict off),
 * and a user's strict TypeScript script run with ts-node.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as tslabTypescript from '@tslab/typescript-for-tslab';
import { version } from '../package.json';

const root = path.resolve(__dirname, '..');
const scratch = path.join(root, 'out', 'test-package');

beforeAll(() => {
  fs.mkdirSync(scratch, { recursive: true });
});

describe('the scalelab package', () => {
  it('is built to dist with declarations beside the JavaScript', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist/index.js');
    expect(pkg.types).toBe('dist/index.d.ts');
    expect(fs.existsSync(path.join(root, pkg.main))).toBe(true);
    expect(fs.existsSync(path.join(root, pkg.types))).toBe(true);
    expect(pkg.bin.scalelab).toBe('bin/scalelab.js');
  });

  it('resolves by name through node_modules from a script in the checkout', () => {
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        "const s = require('scalelab'); console.log(JSON.stringify({ v: s.version, f: typeof s.figure, show: typeof s.show, e: typeof s.ParameterError }))",
      ],
      { cwd: scratch, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      v: expect.stringMatching(/^\d+\.\d+\.\d+/),
      f: 'function',
      show: 'function',
      e: 'function',
    });
  });

  it("type-checks a notebook-style import under tslab's TypeScript 5.0, lib es2022, Node10 resolution", () => {
    // The compiler tslab 1.0.22 bundles, with its hard-coded options (../shared/reference/notebooks.md §1.1),
    // except skipLibCheck, which is turned off so that scalelab's own .d.ts files are checked.
    const ts = tslabTypescript;
    expect(ts.version).toBe('5.0.4');
    const cell = path.join(scratch, 'cell.ts');
    fs.writeFileSync(
      cell,
      [
        "import * as scalelab from 'scalelab';",
        "import { figure, line, markers, band, panels, show, ParameterError } from 'scalelab';",
        "const fig = figure([line([1, 2], [3, 4], { name: 'theory' }), markers([1, 2], [3.1, 3.9], { error: [0.1, 0.2] }), ...band([1, 2], [2, 3], [4, 5])], { y: { log: true } });",
        'const p = panels([fig, fig]);',
        'export const n: number = p.data.length;',
        'export const v: string = scalelab.version;',
        "export const isError: boolean = new ParameterError('mu', -1, 'must be > 0') instanceof RangeError;",
        'show(fig);',
      ].join('\n'),
    );
    const program = ts.createProgram([cell], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.NodeJs,
      lib: ['lib.es2022.d.ts'],
      esModuleInterop: true,
      resolveJsonModule: true,
      strict: false,
      skipLibCheck: false,
      noEmit: true,
      types: ['node'],
      typeRoots: [path.join(root, 'node_modules', '@types')],
    });
    const ours = ts
      .getPreEmitDiagnostics(program)
      .filter(
        (d) =>
          !d.file ||
          d.file.fileName.startsWith(path.join(root, 'dist')) ||
          d.file.fileName === cell,
      );
    const text = ours.map(
      (d) =>
        `${d.file ? path.relative(root, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
    expect(text).toEqual([]);
    const resolved = program
      .getSourceFiles()
      .map((f) => f.fileName)
      .filter((f) => f.includes(`${path.sep}dist${path.sep}`));
    expect(resolved).toContain(path.join(root, 'dist', 'index.d.ts'));
  });

  it("runs a user's strict TypeScript script importing 'scalelab' under ts-node", () => {
    const script = path.join(scratch, 'user-script.ts');
    fs.writeFileSync(
      script,
      [
        "import { figure, line, writeHtml, version } from 'scalelab';",
        "const fig = figure([line([0, 1, 2], [0, 1, 4], { name: 'y = x^2' })], { title: 'from a script' });",
        'const file: string = writeHtml([fig], process.argv[2]);',
        'console.log(version, file);',
      ].join('\n'),
    );
    const html = path.join(scratch, 'user-script.html');
    const r = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules', 'ts-node', 'dist', 'bin.js'),
        '--compilerOptions',
        '{"strict":true}',
        script,
        html,
      ],
      {
        cwd: scratch,
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`${version} ${html}`);
    const page = fs.readFileSync(html, 'utf8');
    expect(page).toContain('window.Plotly = Plotly'); // plotly.js embedded once
    expect(page.match(/class="lab-plotly"/g)).toHaveLength(1);
  });
});
