/**
 * Minimal nbformat 4.5 types and helpers: read, normalise (cell ids, multiline strings) and write.
 *
 * The vendored schema `nbformat.v4.5.schema.json` (BSD-3-Clause, IPython Development Team, taken
 * from nbformat 5.5.0) is what the tests validate executed notebooks against.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';

/** A string or the nbformat on-disk form: a list of lines that keep their newlines. */
export type NotebookMultilineString = string | string[];

export interface NotebookStreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: NotebookMultilineString;
}
export interface NotebookDisplayDataOutput {
  output_type: 'display_data';
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
export interface NotebookExecuteResultOutput {
  output_type: 'execute_result';
  execution_count: number | null;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
export interface NotebookErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}
export type NotebookOutput =
  | NotebookStreamOutput
  | NotebookDisplayDataOutput
  | NotebookExecuteResultOutput
  | NotebookErrorOutput;

export interface NotebookCodeCell {
  cell_type: 'code';
  id: string;
  metadata: Record<string, any>;
  source: NotebookMultilineString;
  execution_count: number | null;
  outputs: NotebookOutput[];
}
export interface NotebookMarkdownCell {
  cell_type: 'markdown';
  id: string;
  metadata: Record<string, any>;
  source: NotebookMultilineString;
  attachments?: Record<string, unknown>;
}
export interface NotebookRawCell {
  cell_type: 'raw';
  id: string;
  metadata: Record<string, any>;
  source: NotebookMultilineString;
  attachments?: Record<string, unknown>;
}
export type NotebookCell = NotebookCodeCell | NotebookMarkdownCell | NotebookRawCell;

export interface NotebookDocument {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, any>;
  cells: NotebookCell[];
}

/** Joins an nbformat multiline string. */
export function joinNotebookText(s: NotebookMultilineString | undefined | null): string {
  if (s == null) return '';
  return Array.isArray(s) ? s.join('') : s;
}

/** Splits text into lines that keep their `\n`, the way nbformat writes multiline strings. */
export function splitNotebookLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/(?<=\n)/);
  return lines;
}

const ID_PATTERN = /^[a-zA-Z0-9-_]{1,64}$/;

function deterministicId(
  cell: { source?: NotebookMultilineString; cell_type?: string },
  index: number,
): string {
  const h = crypto.createHash('sha256');
  h.update(`${index}\0${cell.cell_type ?? ''}\0${joinNotebookText(cell.source)}`);
  return h.digest('hex').slice(0, 12);
}

/**
 * Returns a deep copy upgraded to nbformat 4.5: every cell has a valid unique `id` (kept when valid,
 * otherwise derived deterministically from position and source), `metadata`, and code cells have
 * `outputs` and `execution_count`. Sources are joined into plain strings.
 */
export function normalizeNotebook(input: unknown): NotebookDocument {
  const nb = JSON.parse(JSON.stringify(input)) as any;
  if (!nb || typeof nb !== 'object' || !Array.isArray(nb.cells)) {
    throw new Error('not a Jupyter notebook: no "cells" array');
  }
  if (nb.nbformat !== 4) {
    throw new Error(
      `unsupported nbformat ${JSON.stringify(nb.nbformat)}: only nbformat 4 notebooks are supported`,
    );
  }
  nb.nbformat_minor = Math.max(5, Number(nb.nbformat_minor) || 0);
  nb.metadata = nb.metadata && typeof nb.metadata === 'object' ? nb.metadata : {};
  const seen = new Set<string>();
  nb.cells = nb.cells.map((c: any, i: number) => {
    const cell: any = { ...c };
    cell.metadata = cell.metadata && typeof cell.metadata === 'object' ? cell.metadata : {};
    cell.source = joinNotebookText(cell.source);
    let id =
      typeof cell.id === 'string' && ID_PATTERN.test(cell.id) ? cell.id : deterministicId(cell, i);
    while (seen.has(id)) id = deterministicId({ ...cell, source: cell.source + id }, i);
    seen.add(id);
    cell.id = id;
    if (cell.cell_type === 'code') {
      cell.outputs = Array.isArray(cell.outputs) ? cell.outputs : [];
      cell.execution_count = typeof cell.execution_count === 'number' ? cell.execution_count : null;
    } else {
      delete cell.outputs;
      delete cell.execution_count;
    }
    return cell as NotebookCell;
  });
  return nb as NotebookDocument;
}

/** Reads and normalises an .ipynb file. */
export function readNotebook(path: string): NotebookDocument {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read notebook ${path}: ${(e as Error).message}`, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  try {
    return normalizeNotebook(json);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`, { cause: e });
  }
}

function isTextMime(mime: string): boolean {
  return (
    (mime.startsWith('text/') || mime === 'image/svg+xml' || mime === 'application/javascript') &&
    !mime.endsWith('json')
  );
}

/** The on-disk form: multiline strings split into line lists, as Jupyter writes them (small diffs). */
export function notebookToDiskForm(nb: NotebookDocument): NotebookDocument {
  const out = JSON.parse(JSON.stringify(nb)) as NotebookDocument;
  for (const cell of out.cells) {
    cell.source = splitNotebookLines(joinNotebookText(cell.source));
    if (cell.cell_type !== 'code') continue;
    for (const o of cell.outputs) {
      if (o.output_type === 'stream') o.text = splitNotebookLines(joinNotebookText(o.text));
      if (o.output_type === 'display_data' || o.output_type === 'execute_result') {
        for (const [mime, v] of Object.entries(o.data)) {
          if (isTextMime(mime) && (typeof v === 'string' || Array.isArray(v))) {
            o.data[mime] = splitNotebookLines(joinNotebookText(v as NotebookMultilineString));
          }
        }
      }
    }
  }
  return out;
}

/** Serialises like Jupyter (1-space indent, trailing newline). */
export function serializeNotebook(nb: NotebookDocument): string {
  return JSON.stringify(notebookToDiskForm(nb), null, 1) + '\n';
}

/** Returns the text of a MIME bundle entry (joined when it is a line list). */
export function mimeText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join('');
  return JSON.stringify(v);
}
