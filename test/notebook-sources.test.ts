/** Each committed notebook is exactly what its percent-format source in notebooks/src builds: no drift, no outputs. */
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS script, no declarations
const { build, parsePercent, render } = require('../scripts/build-notebooks.js') as {
  build: (o: { check: boolean }) => string[];
  parsePercent: (text: string, file?: string) => { kind: string; text: string; tags: string[] }[];
  render: (text: string, file?: string) => string;
};

describe('notebook sources', () => {
  it('every notebook matches its source (run npm run notebooks:build after editing notebooks/src)', () => {
    expect(build({ check: true })).toEqual([]);
  });

  it('every notebook has a source, a parameters cell, the tslab kernel and no outputs', () => {
    const notebooks = fs
      .readdirSync(path.join(root, 'notebooks'))
      .filter((f) => f.endsWith('.ipynb'));
    expect(notebooks.length).toBeGreaterThan(0);
    for (const f of notebooks) {
      expect(fs.existsSync(path.join(root, 'notebooks', 'src', f.replace(/\.ipynb$/, '.ts')))).toBe(
        true,
      );
      const nb = JSON.parse(fs.readFileSync(path.join(root, 'notebooks', f), 'utf8'));
      expect(nb.metadata.kernelspec.name).toBe('tslab');
      expect(nb.nbformat_minor).toBe(5);
      const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code');
      expect(code.every((c: { outputs: unknown[] }) => c.outputs.length === 0)).toBe(true);
      expect(
        code.some((c: { metadata: { tags?: string[] } }) =>
          (c.metadata.tags ?? []).includes('parameters'),
        ),
      ).toBe(true);
    }
  });

  it('reads the percent format as jupytext writes it', () => {
    const text = [
      '// ---',
      '// jupyter:',
      '//   kernelspec:',
      '//     name: tslab',
      '// ---',
      '',
      '// %% [markdown]',
      '// # Title',
      '//',
      '//   indented `code`',
      '',
      '// %% tags=["parameters"]',
      'const x: number = 1;',
      '',
      '',
      '// %%',
      '',
      'console.log(x); // %% inside a line is code',
      '',
    ].join('\n');
    expect(parsePercent(text)).toEqual([
      { kind: 'markdown', text: '# Title\n\n  indented `code`', tags: [] },
      { kind: 'code', text: 'const x: number = 1;', tags: ['parameters'] },
      { kind: 'code', text: 'console.log(x); // %% inside a line is code', tags: [] },
    ]);
    const nb = JSON.parse(render(text));
    expect(nb.cells.map((c: { source: string[] }) => c.source)).toEqual([
      ['# Title\n', '\n', '  indented `code`'],
      ['const x: number = 1;'],
      ['console.log(x); // %% inside a line is code'],
    ]);
  });

  it('rejects what it cannot read, naming the file and line', () => {
    expect(() => parsePercent('const x = 1;\n// %%\n', 'a.ts')).toThrow(
      'a.ts:1: text before the first // %% cell marker',
    );
    expect(() => parsePercent('// %% [markdown]\nnot a comment\n', 'a.ts')).toThrow(
      'a.ts:2: a markdown line must start with',
    );
    expect(() => parsePercent('// %% tags=parameters\nx\n', 'a.ts')).toThrow(
      'a.ts:1: cell options must be tags=',
    );
    expect(() => parsePercent('// ---\n// jupyter:\n', 'a.ts')).toThrow('never closed');
  });
});
