/**
 * No import circles in lib/ (issue 15 point 3). The graph is the one that runs: the compiled
 * CommonJS in dist/ (npm test builds first; type-only imports are gone there), each file's
 * relative require() calls resolved to files. A cycle is named file by file, as lib/ sources.
 * Loading the experiment framework must not load any lab or system.
 */
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const lib = path.join(root, 'lib');

function compiled(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return compiled(p);
    return d.name.endsWith('.js') ? [p] : [];
  });
}

function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.js`, path.join(base, 'index.js')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** lib source file -> the lib source files its compiled JavaScript requires (at load time or later). */
function requireGraph(): Map<string, string[]> {
  if (!fs.existsSync(path.join(dist, 'index.js')))
    throw new Error('dist/ is not built: npm run build');
  const source = (js: string) => path.join(lib, path.relative(dist, js)).replace(/\.js$/, '.ts');
  const graph = new Map<string, string[]>();
  for (const file of compiled(dist)) {
    if (!fs.existsSync(source(file))) continue; // not from lib/ (prune-dist removes these)
    const deps: string[] = [];
    for (const m of fs
      .readFileSync(file, 'utf8')
      .matchAll(/\brequire\(\s*["'](\.{1,2}\/[^"']*)["']\s*\)/g)) {
      const target = resolve(file, m[1]);
      if (target && target.endsWith('.js') && !deps.includes(source(target)))
        deps.push(source(target));
    }
    graph.set(source(file), deps);
  }
  return graph;
}

/** The strongly connected components with more than one file (or a file requiring itself), each as one cycle through it. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v))
        found.push(cycleThrough(graph, new Set(component), v));
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** One cycle inside `component` starting and ending at `start` (breadth-first, so a shortest one). */
function cycleThrough(
  graph: Map<string, string[]>,
  component: Set<string>,
  start: string,
): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(previous.get(path[0])!);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

function reachable(graph: Map<string, string[]>, from: string): Set<string> {
  const seen = new Set<string>([from]);
  const todo = [from];
  while (todo.length)
    for (const w of graph.get(todo.pop()!) ?? [])
      if (!seen.has(w)) {
        seen.add(w);
        todo.push(w);
      }
  return seen;
}

const graph = requireGraph();
const rel = (f: string) => path.relative(root, f);

describe('the require graph of lib/', () => {
  it('has no circles', () => {
    const named = cycles(graph).map((c) => c.map(rel).join(' -> '));
    expect(named).toEqual([]);
  });

  it('is the real graph (the package index reaches the catalog, the experiment runner and the command layer reaches both)', () => {
    const fromIndex = reachable(graph, path.join(lib, 'index.ts'));
    for (const f of [
      'labs/catalog.ts',
      'experiment/run.ts',
      'experiment/pool.ts',
      'sim/simulation.ts',
    ])
      expect(fromIndex.has(path.join(lib, f))).toBe(true);
    expect(
      reachable(graph, path.join(lib, 'cli', 'run.ts')).has(path.join(lib, 'labs', 'catalog.ts')),
    ).toBe(true);
  });

  it('the experiment framework loads no lab and no system', () => {
    const loaded = [...reachable(graph, path.join(lib, 'experiment', 'index.ts'))].map(rel);
    expect(loaded.filter((f) => f.startsWith('lib/labs/') || f.startsWith('lib/systems/'))).toEqual(
      [],
    );
  });

  it('finds a circle when there is one (the check itself)', () => {
    const a = path.join(lib, 'a.ts');
    const b = path.join(lib, 'b.ts');
    const c = path.join(lib, 'c.ts');
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [c]],
          [c, [a]],
        ]),
      ).map((x) => x.map(rel)),
    ).toEqual([['lib/a.ts', 'lib/b.ts', 'lib/c.ts', 'lib/a.ts']]);
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, []],
        ]),
      ),
    ).toEqual([]);
  });
});
