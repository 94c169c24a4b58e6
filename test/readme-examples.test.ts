/**
 * Every code example in README.md and in the library's READMEs runs, against the built package
 * (`import ... from 'scalelab'` resolves to dist/ through node_modules/scalelab, as for a user):
 *
 * - ```ts / ```typescript blocks are type-checked together (strict, one module each, Node10
 *   resolution, lib es2022) and then each is transpiled to an ES module and run with node; it must
 *   exit 0 with nothing on stderr.
 * - ```sh / ```bash / ```shell blocks: every line starting with `scalelab` or `npx scalelab` is
 *   run (as `node bin/scalelab.js ...`, from the checkout, outputs in a scratch workspace through
 *   SCALELAB_WORKSPACE) and must exit 0; other lines (npm ci, npm test, ...) are not run.
 * - An HTML comment on the line before a block marks the few that are not run:
 *   `<!-- example: skip (why) -->` (a fragment, a command that starts a server or takes more than
 *   about 5 s) or, for TypeScript, `<!-- example: compile-only (why) -->` (type-checked, not run).
 *   Blocks without a language are prose (usage synopses) and not run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..');

export interface Example {
  file: string;
  line: number;
  lang: string;
  code: string;
  /** `skip`: neither compiled nor run; `compile-only`: type-checked, not run. */
  marker: 'skip' | 'compile-only' | null;
  why: string | null;
}

/** The fenced blocks of a markdown text, with the skip marker written just above each. */
export function examplesOf(markdown: string, file: string): Example[] {
  const lines = markdown.split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    let j = i + 1;
    while (j < lines.length && !/^```\s*$/.test(lines[j])) j++;
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === '') k--;
    const marker =
      k >= 0
        ? /^<!--\s*example:\s*(skip|compile-only)\s*(\((.*)\))?\s*-->\s*$/.exec(lines[k].trim())
        : null;
    out.push({
      file,
      line: i + 1,
      lang: open[1].toLowerCase(),
      code: lines.slice(i + 1, j).join('\n'),
      marker: marker ? (marker[1] as 'skip' | 'compile-only') : null,
      why: marker ? (marker[3] ?? null) : null,
    });
    i = j;
  }
  return out;
}

/** Splits a shell command line into words (single and double quotes; a trailing # comment dropped). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      started = true;
    } else if (ch === '#' && !started && word === '') {
      break;
    } else if (/\s/.test(ch)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += ch;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

// README.md, every lib/NAME/README.md and lib/systems/NAME/README.md
const readmesUnder = (dir: string): string[] =>
  fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, dir, d.name, 'README.md')))
    .map((d) => `${dir}/${d.name}/README.md`);
const readmes = ['README.md', ...readmesUnder('lib'), ...readmesUnder('lib/systems')];

const examples = readmes.flatMap((f) => examplesOf(fs.readFileSync(path.join(root, f), 'utf8'), f));
const tsExamples = examples.filter(
  (e) => (e.lang === 'ts' || e.lang === 'typescript') && e.marker !== 'skip',
);
const shExamples = examples.filter(
  (e) => (e.lang === 'sh' || e.lang === 'bash' || e.lang === 'shell') && e.marker !== 'skip',
);
const label = (e: Example) => `${e.file}:${e.line}`;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnAsync(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.on('error', (e) => resolve({ code: -1, stdout, stderr: stderr + String(e) }));
  });
}

/** Runs `jobs` two at a time (the machines have two cores), in order of their results. */
async function twoAtATime<T>(jobs: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all([lane(), lane()]);
  return results;
}

let scratch: string;
let workspace: string;

beforeAll(() => {
  // under the checkout, so that 'scalelab' resolves through node_modules/scalelab (the built package)
  fs.mkdirSync(path.join(root, 'out'), { recursive: true }); // a fresh clone has no out/ yet
  scratch = fs.mkdtempSync(path.join(root, 'out', 'readme-examples-'));
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'scalelab-readme-'));
});

afterAll(() => {
  for (const d of [scratch, workspace]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

describe('the README parser', () => {
  it('finds fenced blocks, their language and the skip marker above them', () => {
    const md = [
      '# t',
      '<!-- example: skip (starts Jupyter) -->',
      '```sh',
      'npx scalelab jupyter',
      '```',
      '',
      '<!-- example: compile-only -->',
      '',
      '```ts',
      'const x = 1;',
      '```',
      '```',
      'usage',
      '```',
    ].join('\n');
    expect(examplesOf(md, 'x.md')).toEqual([
      {
        file: 'x.md',
        line: 3,
        lang: 'sh',
        code: 'npx scalelab jupyter',
        marker: 'skip',
        why: 'starts Jupyter',
      },
      {
        file: 'x.md',
        line: 9,
        lang: 'ts',
        code: 'const x = 1;',
        marker: 'compile-only',
        why: null,
      },
      { file: 'x.md', line: 12, lang: '', code: 'usage', marker: null, why: null },
    ]);
  });

  it('splits command lines into words', () => {
    expect(shellWords(`npx scalelab run x --set 'a=1,2' --set "b=c d"   # a comment`)).toEqual([
      'npx',
      'scalelab',
      'run',
      'x',
      '--set',
      'a=1,2',
      '--set',
      'b=c d',
    ]);
    expect(shellWords('scalelab model mmc --lambda 5')).toEqual([
      'scalelab',
      'model',
      'mmc',
      '--lambda',
      '5',
    ]);
  });

  it('finds examples in every README', () => {
    expect(readmes.length).toBeGreaterThan(10);
    expect(tsExamples.length).toBeGreaterThan(10);
    expect(shExamples.length).toBeGreaterThanOrEqual(3);
  });
});

describe('the README examples', () => {
  it('type-check against the built package (strict, each block one module)', () => {
    const files = tsExamples.map((e, i) => {
      const f = path.join(scratch, `example-${String(i).padStart(2, '0')}.ts`);
      fs.writeFileSync(f, `${e.code}\nexport {};\n`);
      return f;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      lib: ['lib.es2022.d.ts'],
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      typeRoots: [path.join(root, 'node_modules', '@types')],
    });
    const byFile = new Map(files.map((f, i) => [f, tsExamples[i]]));
    const errors = ts.getPreEmitDiagnostics(program).map((d) => {
      const e = d.file ? byFile.get(d.file.fileName) : undefined;
      const at =
        d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : null;
      const where = e && at ? `${e.file}:${e.line + 1 + at.line}` : (d.file?.fileName ?? '');
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(errors).toEqual([]);
    // 'scalelab' resolved to the built declarations, not to lib/
    const resolved = program.getSourceFiles().map((f) => f.fileName);
    expect(resolved).toContain(path.join(root, 'dist', 'index.d.ts'));
  });

  it('run: every TypeScript block exits 0 with nothing on stderr', async () => {
    const toRun = tsExamples.filter((e) => e.marker === null);
    const jobs = toRun.map((e, i) => () => {
      const js = ts.transpileModule(e.code, {
        compilerOptions: {
          module: ts.ModuleKind.ES2022,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
        },
      }).outputText;
      const f = path.join(scratch, `run-${String(i).padStart(2, '0')}.mjs`);
      fs.writeFileSync(f, js);
      return spawnAsync(process.execPath, [f], workspace, {
        ...process.env,
        SCALELAB_WORKSPACE: workspace,
      });
    });
    const results = await twoAtATime(jobs);
    const failures = results.flatMap((r, i) =>
      r.code === 0 && r.stderr === ''
        ? []
        : [`${label(toRun[i])}: exit ${r.code}\n${r.stderr.slice(0, 2000)}`],
    );
    expect(failures).toEqual([]);
  });

  it('run: every scalelab command in a shell block exits 0', async () => {
    const commands = shExamples.flatMap((e) =>
      e.code
        .split('\n')
        .map((l, i) => ({ e, line: e.line + 1 + i, words: shellWords(l.trim()) }))
        .filter(
          (c) => c.words[0] === 'scalelab' || (c.words[0] === 'npx' && c.words[1] === 'scalelab'),
        ),
    );
    expect(commands.length).toBeGreaterThan(5);
    // in order, one at a time within a file (a report reads what an earlier run wrote)
    const results: Array<Ran & { at: string; cmd: string }> = [];
    for (const c of commands) {
      const args = c.words.slice(c.words[0] === 'npx' ? 2 : 1);
      const r = await spawnAsync(
        process.execPath,
        [path.join(root, 'bin', 'scalelab.js'), ...args],
        root,
        { ...process.env, SCALELAB_WORKSPACE: workspace },
      );
      results.push({ ...r, at: `${c.e.file}:${c.line}`, cmd: c.words.join(' ') });
    }
    const failures = results
      .filter((r) => r.code !== 0)
      .map((r) => `${r.at}: ${r.cmd}: exit ${r.code}\n${r.stderr.slice(0, 1500)}`);
    expect(failures).toEqual([]);
  });
});
