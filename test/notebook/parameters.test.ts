import {
  injectNotebookParameters,
  NotebookParameterError,
  notebookParameterDeclarations,
  parseNotebookParameterAssignments,
  parseNotebookParameterDeclarations,
  parseNotebookParameterValue,
} from '../../lib/notebook/parameters';
import { joinNotebookText, normalizeNotebook, readNotebook } from '../../lib/notebook/nbformat';
import { fixture, nbformatErrors } from './helpers';

describe('parameter values', () => {
  test('JSON when it parses, else the raw string', () => {
    expect(parseNotebookParameterValue('0.9')).toBe(0.9);
    expect(parseNotebookParameterValue('-3')).toBe(-3);
    expect(parseNotebookParameterValue('true')).toBe(true);
    expect(parseNotebookParameterValue('null')).toBe(null);
    expect(parseNotebookParameterValue('[1,2]')).toEqual([1, 2]);
    expect(parseNotebookParameterValue('{"a":1}')).toEqual({ a: 1 });
    expect(parseNotebookParameterValue('"0.9"')).toBe('0.9');
    expect(parseNotebookParameterValue('hello world')).toBe('hello world');
    expect(parseNotebookParameterValue('')).toBe('');
    expect(parseNotebookParameterValue('a=b')).toBe('a=b');
  });

  test('key=value assignments', () => {
    expect(parseNotebookParameterAssignments(['rho=0.5', 'label=x=y', 'on=false'])).toEqual({
      rho: 0.5,
      label: 'x=y',
      on: false,
    });
    expect(() => parseNotebookParameterAssignments(['novalue'])).toThrow(NotebookParameterError);
    expect(() => parseNotebookParameterAssignments(['1x=2'])).toThrow(/key an identifier/);
  });
});

describe('parameters cell', () => {
  test('declarations with keyword, type and default', () => {
    const d = parseNotebookParameterDeclarations(
      'const rho: number = 0.5;\nlet label = "a", n: number = 2;\n// comment\nconst { a } = { a: 1 };\nconsole.log(1);',
    );
    expect(d).toEqual([
      { name: 'rho', keyword: 'const', type: 'number', defaultSource: '0.5' },
      { name: 'label', keyword: 'let', type: undefined, defaultSource: '"a"' },
      { name: 'n', keyword: 'let', type: 'number', defaultSource: '2' },
    ]);
  });

  test('found in the fixture', () => {
    expect(
      notebookParameterDeclarations(readNotebook(fixture('basic.ipynb'))).map((d) => d.name),
    ).toEqual(['rho', 'label', 'verbose', 'sizes']);
  });
});

describe('injectNotebookParameters', () => {
  const nb = readNotebook(fixture('basic.ipynb'));

  test('injects a typed cell right after the parameters cell and records the parameters', () => {
    const out = injectNotebookParameters(nb, {
      rho: 0.9,
      label: 'it\'s "x"',
      verbose: true,
      sizes: [3, 4],
    });
    const i = out.cells.findIndex((c) => (c.metadata.tags ?? []).includes('parameters'));
    const injected = out.cells[i + 1];
    expect(injected.metadata.tags).toEqual(['injected-parameters']);
    expect(injected.cell_type).toBe('code');
    const src = joinNotebookText(injected.source);
    expect(src).toContain('const rho: number = 0.9;');
    expect(src).toContain('const label: string = "it\'s \\"x\\"";');
    expect(src).toContain('const verbose: boolean = true;');
    expect(src).toContain('const sizes: number[] = [3,4];');
    expect(out.cells.length).toBe(nb.cells.length + 1);
    expect(out.metadata.scalelab.parameters).toEqual({
      rho: 0.9,
      label: 'it\'s "x"',
      verbose: true,
      sizes: [3, 4],
    });
    expect(nbformatErrors(out)).toBe('');
    // the input is not modified
    expect(nb.cells.some((c) => c.id === 'injected-parameters')).toBe(false);
  });

  test('replaces a previously injected cell', () => {
    const once = injectNotebookParameters(nb, { rho: 0.1 });
    const twice = injectNotebookParameters(once, { label: 'y' });
    const injected = twice.cells.filter((c) =>
      (c.metadata.tags ?? []).includes('injected-parameters'),
    );
    expect(injected).toHaveLength(1);
    expect(joinNotebookText(injected[0].source)).not.toContain('rho');
    expect(joinNotebookText(injected[0].source)).toContain('const label: string = "y";');
    expect(twice.metadata.scalelab.parameters).toEqual({ label: 'y' });
  });

  test('an unknown name is rejected, listing the declared ones', () => {
    expect(() => injectNotebookParameters(nb, { rho: 1, lambda: 2 })).toThrow(
      'unknown parameter lambda; the parameters cell declares: rho, label, verbose, sizes',
    );
    try {
      injectNotebookParameters(nb, { nope: 1 });
    } catch (e) {
      expect(e).toBeInstanceOf(NotebookParameterError);
      expect((e as NotebookParameterError).declared).toEqual(['rho', 'label', 'verbose', 'sizes']);
    }
  });

  test('a value that contradicts a number/string/boolean annotation is rejected before running', () => {
    expect(() => injectNotebookParameters(nb, { rho: 'fast' })).toThrow(
      'parameter rho is declared as number, got "fast" (string)',
    );
    expect(() => injectNotebookParameters(nb, { verbose: 1 })).toThrow(/declared as boolean/);
    expect(() => injectNotebookParameters(nb, { label: 3 })).toThrow(/declared as string/);
  });

  test('parameters for a notebook without a parameters cell are an error; none is fine', () => {
    const plain = readNotebook(fixture('type-error.ipynb'));
    expect(() => injectNotebookParameters(plain, { x: 1 })).toThrow(
      /no code cell tagged "parameters"/,
    );
    expect(injectNotebookParameters(plain, {}).cells.length).toBe(plain.cells.length);
  });
});

describe('nbformat normalisation', () => {
  test('adds deterministic cell ids, outputs and upgrades to 4.5', () => {
    const old = {
      nbformat: 4,
      nbformat_minor: 2,
      metadata: {},
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# a\n', 'b'] },
        { cell_type: 'code', metadata: {}, source: 'x', execution_count: 3, outputs: [] },
        { cell_type: 'code', metadata: {}, source: 'x' },
      ],
    };
    const a = normalizeNotebook(old);
    const b = normalizeNotebook(old);
    expect(a).toEqual(b);
    expect(a.nbformat_minor).toBe(5);
    expect(new Set(a.cells.map((c) => c.id)).size).toBe(3);
    expect(a.cells[0].source).toBe('# a\nb');
    expect(nbformatErrors(a)).toBe('');
    expect(() => normalizeNotebook({ nbformat: 3, cells: [] })).toThrow(/nbformat 3/);
  });
});
