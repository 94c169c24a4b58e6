/**
 * Executing notebooks: outputs, errors with the real text and cell number, partial notebooks,
 * timeouts, parameters, schema validity and determinism. One kernel is shared by the file
 * (executeNotebook's `kernel` option); tests that kill a kernel start their own.
 */
import {
  executeNotebook,
  executeNotebookDocument,
  NotebookExecutionError,
  NotebookRunResult,
} from '../../lib/notebook/execute';
import { TslabKernel } from '../../lib/notebook/kernel';
import {
  joinNotebookText,
  NotebookCodeCell,
  NotebookDocument,
  serializeNotebook,
} from '../../lib/notebook/nbformat';
import { fixture, fixtures, nbformatErrors, processExists, withoutTimings } from './helpers';

let kernel: TslabKernel;

beforeAll(async () => {
  kernel = await TslabKernel.start({ cwd: fixtures });
}, 90000);

afterAll(async () => {
  await kernel?.shutdown();
});

async function expectFailure(p: Promise<NotebookRunResult>): Promise<NotebookExecutionError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(NotebookExecutionError);
    return e as NotebookExecutionError;
  }
  throw new Error('expected the run to fail');
}

const code = (nb: NotebookDocument, i: number) => nb.cells[i] as NotebookCodeCell;
const text = (cell: NotebookCodeCell, name = 'stdout') =>
  cell.outputs
    .filter((o) => o.output_type === 'stream' && o.name === name)
    .map((o) => joinNotebookText((o as any).text))
    .join('');

describe('a notebook that runs', () => {
  let result: NotebookRunResult;
  beforeAll(async () => {
    result = await executeNotebook(fixture('basic.ipynb'), {
      kernel,
      parameters: { rho: 0.9, label: 'x', verbose: true, sizes: [3, 4] },
    });
  }, 60000);

  test('every code cell ran in order with execution counts', () => {
    expect(result.ok).toBe(true);
    expect(result.error).toBeUndefined();
    const codeCells = result.notebook.cells.filter(
      (c): c is NotebookCodeCell => c.cell_type === 'code',
    );
    const counts = codeCells.map((c) => c.execution_count);
    expect(counts.every((c) => typeof c === 'number')).toBe(true);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBe((counts[i - 1] as number) + 1);
    expect(result.cells.every((c) => c.status === 'ok')).toBe(true);
  });

  test('injected parameters arrive typed', () => {
    const nb = result.notebook;
    expect(nb.cells[2].id).toBe('injected-parameters');
    expect(text(code(nb, 3))).toBe(
      'rho=0.9 label=x verbose=true sizes=[3,4] types=number,string,boolean\n',
    );
    expect(nb.metadata.scalelab.parameters).toEqual({
      rho: 0.9,
      label: 'x',
      verbose: true,
      sizes: [3, 4],
    });
  });

  test('streams are recorded, stderr kept apart, the last expression printed', () => {
    const c = code(result.notebook, 4);
    expect(c.outputs.map((o) => o.output_type + ':' + (o as any).name)).toEqual([
      'stream:stderr',
      'stream:stdout',
    ]);
    expect(text(c, 'stderr')).toBe('a warning on stderr\n');
    expect(text(c)).toBe('after\n3\n');
  });

  test('display_data recorded, update_display_data applied by display_id', () => {
    const c = code(result.notebook, 5);
    expect(c.outputs).toEqual([
      {
        output_type: 'display_data',
        data: { 'text/html': '<b>bold</b> <i>html</i>' },
        metadata: {},
      },
      { output_type: 'display_data', data: { 'text/plain': 'step 3/3' }, metadata: {} },
    ]);
  });

  test('a multi-MIME plotly bundle is one output with all three parts', () => {
    const [o] = code(result.notebook, 6).outputs as any[];
    expect(Object.keys(o.data).sort()).toEqual([
      'application/vnd.plotly.v1+json',
      'text/html',
      'text/plain',
    ]);
    expect(o.data['application/vnd.plotly.v1+json'].data[0].type).toBe('scatter');
  });

  test('scalelab resolves through node_modules from the notebook folder', () => {
    expect(text(code(result.notebook, 7))).toBe('string\n');
  });

  test('valid against the nbformat v4.5 schema, with run metadata', () => {
    expect(nbformatErrors(result.notebook)).toBe('');
    expect(nbformatErrors(JSON.parse(serializeNotebook(result.notebook)))).toBe('');
    const m = result.notebook.metadata;
    expect(m.kernelspec.name).toBe('tslab');
    expect(m.language_info.name).toBe('typescript');
    expect(m.scalelab.execution.status).toBe('ok');
    expect(m.scalelab.versions.tslab).toBe('1.0.22');
  });

  test('deterministic: the same notebook and parameters give the same outputs apart from timings', async () => {
    const again = await executeNotebook(fixture('basic.ipynb'), {
      kernel,
      parameters: { rho: 0.9, label: 'x', verbose: true, sizes: [3, 4] },
    });
    // execution counts continue in a shared kernel: compare them relative to the first
    const rel = (nb: NotebookDocument) => {
      const copy = withoutTimings(nb) as any;
      const first = copy.cells.find((c: any) => c.cell_type === 'code').execution_count;
      for (const c of copy.cells) if (c.cell_type === 'code') c.execution_count -= first;
      return copy;
    };
    expect(rel(again.notebook)).toEqual(rel(result.notebook));
  }, 60000);
});

test("update_display_data from a later cell updates the earlier cell's output (by display_id)", async () => {
  const r = await executeNotebook(fixture('displays.ipynb'), { kernel });
  expect(code(r.notebook, 0).outputs).toEqual([
    { output_type: 'display_data', data: { 'text/html': '<b>done</b>' }, metadata: {} },
    { output_type: 'stream', name: 'stdout', text: 'cell one\n' },
  ]);
  expect(code(r.notebook, 1).outputs).toEqual([
    { output_type: 'stream', name: 'stdout', text: 'cell two\n' },
  ]);
}, 60000);

test('tags: skip-execution and empty cells are skipped, raises-exception may fail', async () => {
  const cell = (source: string, tags: string[] = []) => ({
    cell_type: 'code',
    id: `t${Math.abs(source.length)}${tags.length}`,
    metadata: { tags },
    source,
    outputs: [],
    execution_count: null,
  });
  const nb: any = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      cell('console.log("skipped")', ['skip-execution']),
      cell('   '),
      cell('throw new Error("expected failure")', ['raises-exception']),
      cell('console.log("went on")'),
    ],
  };
  const r = await executeNotebookDocument(nb, { kernel, cwd: fixtures, name: 'in-memory' });
  expect(r.cells.map((c) => c.status)).toEqual(['skipped', 'skipped', 'error', 'ok']);
  expect(code(r.notebook, 0).outputs).toEqual([]);
  expect(text(code(r.notebook, 2), 'stderr')).toContain('Error: expected failure');
  expect(text(code(r.notebook, 3))).toBe('went on\n');
  expect(nbformatErrors(r.notebook)).toBe('');
}, 60000);

describe('failures name the notebook, the cell and the real error', () => {
  test('a type error', async () => {
    const e = await expectFailure(executeNotebook(fixture('type-error.ipynb'), { kernel }));
    expect(e.kind).toBe('cell-error');
    expect(e.cellNumber).toBe(2);
    expect(e.message).toContain('type-error.ipynb');
    expect(e.message).toContain('cell 2');
    expect(e.message).toContain("Type 'number' is not assignable to type 'string'");
    expect(e.detail).toContain("1:7 - Type 'number' is not assignable to type 'string'");
    // partial notebook: the failed cell holds the stderr, the next cell never ran
    const nb = e.result!.notebook;
    expect(text(code(nb, 1), 'stderr')).toContain('not assignable');
    expect(code(nb, 2).outputs).toEqual([]);
    expect(code(nb, 2).execution_count).toBeNull();
    expect(nb.metadata.scalelab.execution).toMatchObject({
      status: 'failed',
      failed_cell: 2,
      error_kind: 'cell-error',
    });
    expect(nbformatErrors(nb)).toBe('');
  }, 60000);

  test('a runtime throw', async () => {
    const e = await expectFailure(executeNotebook(fixture('runtime-error.ipynb'), { kernel }));
    expect(e.kind).toBe('cell-error');
    expect(e.cellNumber).toBe(3);
    expect(e.message).toMatch(/runtime-error\.ipynb: cell 3 .*failed/);
    expect(e.message).toContain('Error: capacity exceeded: rho = 1.2');
    expect(code(e.result!.notebook, 3).outputs).toEqual([]);
    expect(nbformatErrors(e.result!.notebook)).toBe('');
  }, 60000);

  test('a tslab type error in an injected parameter (type beyond number/string/boolean)', async () => {
    const e = await expectFailure(
      executeNotebook(fixture('basic.ipynb'), { kernel, parameters: { sizes: ['a'] } }),
    );
    expect(e.cellNumber).toBe(3);
    expect(e.result!.notebook.cells[2].id).toBe('injected-parameters');
    expect(e.message).toContain("Type 'string' is not assignable to type 'number'");
  }, 60000);

  test('a cell that exceeds its timeout is interrupted and reported; the kernel lives on', async () => {
    const t0 = Date.now();
    const e = await expectFailure(
      executeNotebook(fixture('timeout.ipynb'), { kernel, cellTimeoutSec: 2 }),
    );
    expect(Date.now() - t0).toBeLessThan(15000);
    expect(e.kind).toBe('timeout');
    expect(e.cellNumber).toBe(2);
    expect(e.message).toContain('timeout.ipynb: cell 2');
    expect(e.message).toContain('exceeded the cell timeout of 2 s; it was interrupted');
    const nb = e.result!.notebook;
    expect(text(code(nb, 1))).toBe('spinning\n');
    expect(code(nb, 2).execution_count).toBeNull();
    expect(nbformatErrors(nb)).toBe('');
    expect(kernel.alive).toBe(true);
    expect((await kernel.execute('1')).status).toBe('ok');
  }, 60000);
});

describe('no hang, ever', () => {
  test('a kernel that dies mid-notebook (process.exit) is detected and reported', async () => {
    const t0 = Date.now();
    const e = await expectFailure(executeNotebook(fixture('dies.ipynb')));
    expect(Date.now() - t0).toBeLessThan(60000);
    expect(e.kind).toBe('kernel-died');
    expect(e.cellNumber).toBe(2);
    expect(e.message).toContain('dies.ipynb: cell 2');
    expect(e.message).toContain('tslab kernel died (exit code 1)');
    expect(text(code(e.result!.notebook, 0))).toBe('alive\n');
    expect(nbformatErrors(e.result!.notebook)).toBe('');
  }, 90000);

  test('a cell the interrupt cannot stop (event loop blocked by a timer) gets its kernel killed', async () => {
    const k = await TslabKernel.start({ cwd: fixtures });
    const pid = k.pid;
    const t0 = Date.now();
    const r = await k.execute(
      'setTimeout(() => { while (true) {} }, 0);\nawait new Promise((r) => setTimeout(r, 60000));',
      {
        timeoutMs: 1000,
        interruptGraceMs: 1000,
      },
    );
    expect(Date.now() - t0).toBeLessThan(15000);
    expect(r).toMatchObject({ timedOut: true, killed: true, status: 'error' });
    expect(k.alive).toBe(false);
    await k.shutdown();
    expect(processExists(pid)).toBe(false);
  }, 90000);
});

test('interrupt_mode "message": interrupt_request is sent; tslab ignores it, so the kernel is killed after the grace period', async () => {
  const k = await TslabKernel.start({ cwd: fixtures, interruptMode: 'message' });
  expect(k.interruptMode).toBe('message');
  const t0 = Date.now();
  const r = await k.execute('while (true) {}', { timeoutMs: 1000, interruptGraceMs: 1000 });
  expect(Date.now() - t0).toBeLessThan(15000);
  expect(r).toMatchObject({ timedOut: true, killed: true });
  await k.shutdown();
}, 90000);

test('the default interrupt mode follows the project kernel spec (signal)', () => {
  expect(kernel.interruptMode).toBe('signal');
});
