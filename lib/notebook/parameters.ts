/**
 * Papermill-style parameters for tslab notebooks. The first code cell tagged `parameters` declares
 * the defaults (`const rho: number = 0.8;`); {@link injectNotebookParameters} inserts a cell tagged
 * `injected-parameters` right after it (replacing an earlier injected cell) that declares the new
 * values with the same keyword and type annotation. tslab lets a later cell redeclare a `const`, and
 * the copied annotation makes tslab type-check each injected value against the declared type.
 */
import type * as TypeScript from 'typescript';
import { joinNotebookText, NotebookCodeCell, NotebookDocument } from './nbformat';
import { resolveTslab } from './project';

/** A parameter value: anything JSON can express. */
export type NotebookParameterValue =
  | number
  | string
  | boolean
  | null
  | NotebookParameterValue[]
  | { [k: string]: NotebookParameterValue };

/** A declaration found in the parameters cell. */
export interface NotebookParameterDeclaration {
  name: string;
  keyword: 'const' | 'let' | 'var';
  /** The type annotation's source text, when there is one. */
  type?: string;
  /** The initializer's source text. */
  defaultSource?: string;
}

/** Bad parameters: unknown names, a value of the wrong type, or no parameters cell. */
export class NotebookParameterError extends Error {
  override readonly name = 'NotebookParameterError';
  constructor(
    message: string,
    readonly declared: string[] = [],
  ) {
    super(message);
  }
}

export const PARAMETERS_TAG = 'parameters';
export const INJECTED_PARAMETERS_TAG = 'injected-parameters';

function tagsOf(cell: { metadata?: Record<string, unknown> }): string[] {
  const t = cell.metadata?.tags;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
}

/** Index of the first code cell tagged `parameters`, or -1. */
export function findParametersCell(nb: NotebookDocument): number {
  return nb.cells.findIndex((c) => c.cell_type === 'code' && tagsOf(c).includes(PARAMETERS_TAG));
}

let tsModule: typeof TypeScript | undefined;
function typescript(): typeof TypeScript {
  if (!tsModule) {
    // tslab's own compiler (a dependency of tslab, so present wherever the kernel is).
    const tslab = resolveTslab();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from tslab's folder at run time
    tsModule = require(
      require.resolve('@tslab/typescript-for-tslab', { paths: [tslab.dir] }),
    ) as typeof TypeScript;
  }
  return tsModule;
}

/** Parses the top-level `const`/`let`/`var` declarations of a parameters cell's source. */
export function parseNotebookParameterDeclarations(source: string): NotebookParameterDeclaration[] {
  const ts = typescript();
  const sf = ts.createSourceFile(
    'parameters.ts',
    source,
    ts.ScriptTarget.ES2022,
    true,
    ts.ScriptKind.TS,
  );
  const out: NotebookParameterDeclaration[] = [];
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    const flags = st.declarationList.flags;
    const keyword: NotebookParameterDeclaration['keyword'] =
      flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : 'var';
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name)) continue; // destructuring is not a parameter
      out.push({
        name: d.name.text,
        keyword,
        type: d.type ? d.type.getText(sf) : undefined,
        defaultSource: d.initializer ? d.initializer.getText(sf) : undefined,
      });
    }
  }
  return out;
}

/** The declarations of the notebook's parameters cell ([] when it has none). */
export function notebookParameterDeclarations(
  nb: NotebookDocument,
): NotebookParameterDeclaration[] {
  const i = findParametersCell(nb);
  return i < 0 ? [] : parseNotebookParameterDeclarations(joinNotebookText(nb.cells[i].source));
}

/** A `--param` value: JSON when it parses (numbers, booleans, null, arrays, objects, "quoted"), else the raw string. */
export function parseNotebookParameterValue(text: string): NotebookParameterValue {
  try {
    return JSON.parse(text) as NotebookParameterValue;
  } catch {
    return text;
  }
}

/** Parses `key=value` words into typed parameters (see {@link parseNotebookParameterValue}). */
export function parseNotebookParameterAssignments(
  assignments: string[],
): Record<string, NotebookParameterValue> {
  const out: Record<string, NotebookParameterValue> = {};
  for (const a of assignments) {
    const eq = a.indexOf('=');
    const key = eq < 0 ? '' : a.slice(0, eq).trim();
    if (!/^[A-Za-z_$][\w$]*$/.test(key)) {
      throw new NotebookParameterError(
        `bad parameter ${JSON.stringify(a)}: expected key=value with key an identifier`,
      );
    }
    out[key] = parseNotebookParameterValue(a.slice(eq + 1));
  }
  return out;
}

function checkSimpleType(decl: NotebookParameterDeclaration, value: NotebookParameterValue): void {
  const t = decl.type?.trim();
  if (t !== 'number' && t !== 'string' && t !== 'boolean') return; // other types: tslab type-checks the injected cell
  if (typeof value !== t) {
    throw new NotebookParameterError(
      `parameter ${decl.name} is declared as ${t}, got ${typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value)} (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`,
    );
  }
  if (t === 'number' && !Number.isFinite(value as number)) {
    throw new NotebookParameterError(`parameter ${decl.name} must be a finite number`);
  }
}

/** The source of the injected cell for `params` given the declarations. */
export function injectedParametersSource(
  decls: NotebookParameterDeclaration[],
  params: Record<string, NotebookParameterValue>,
): string {
  const byName = new Map(decls.map((d) => [d.name, d]));
  const lines = ['// Parameters injected by scalelab (notebooks run --param)'];
  for (const [name, value] of Object.entries(params)) {
    const d = byName.get(name)!;
    const type = d.type ? `: ${d.type}` : '';
    lines.push(
      `${d.keyword === 'var' ? 'var' : d.keyword} ${name}${type} = ${JSON.stringify(value)};`,
    );
  }
  return lines.join('\n');
}

/**
 * Returns a copy of `nb` with a cell tagged `injected-parameters` after the parameters cell (any
 * earlier injected cell is removed), and the parameters recorded in `metadata.scalelab.parameters`.
 * Throws {@link NotebookParameterError} for an unknown name (listing the declared ones), a value that
 * does not match a `number`/`string`/`boolean` annotation, or parameters without a parameters cell.
 */
export function injectNotebookParameters(
  nb: NotebookDocument,
  params: Record<string, unknown>,
): NotebookDocument {
  const copy = JSON.parse(JSON.stringify(nb)) as NotebookDocument;
  copy.cells = copy.cells.filter((c) => !tagsOf(c).includes(INJECTED_PARAMETERS_TAG));
  const names = Object.keys(params);
  const at = findParametersCell(copy);
  copy.metadata.scalelab = {
    ...(copy.metadata.scalelab ?? {}),
    parameters: JSON.parse(JSON.stringify(params)),
  };
  if (names.length === 0) return copy;
  if (at < 0) {
    throw new NotebookParameterError(
      `the notebook has no code cell tagged "${PARAMETERS_TAG}", so it takes no parameters (got ${names.join(', ')})`,
    );
  }
  const decls = parseNotebookParameterDeclarations(joinNotebookText(copy.cells[at].source));
  const declared = decls.map((d) => d.name);
  const unknown = names.filter((n) => !declared.includes(n));
  if (unknown.length > 0) {
    throw new NotebookParameterError(
      `unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the parameters cell declares: ${declared.join(', ') || '(nothing)'}`,
      declared,
    );
  }
  const values = params as Record<string, NotebookParameterValue>;
  for (const n of names) {
    const v = values[n];
    if (
      v === undefined ||
      typeof v === 'function' ||
      typeof v === 'symbol' ||
      typeof v === 'bigint'
    ) {
      throw new NotebookParameterError(
        `parameter ${n}: value must be JSON (number, string, boolean, null, array or object)`,
      );
    }
    checkSimpleType(
      decls.find((d) => d.name === n)!,
      v,
    );
  }
  const cell: NotebookCodeCell = {
    cell_type: 'code',
    id: 'injected-parameters',
    metadata: { tags: [INJECTED_PARAMETERS_TAG] },
    source: injectedParametersSource(decls, values),
    execution_count: null,
    outputs: [],
  };
  // keep ids unique if a user cell happens to be called that
  if (copy.cells.some((c) => c.id === cell.id)) cell.id = 'injected-parameters-' + at;
  copy.cells.splice(at + 1, 0, cell);
  return copy;
}
