/**
 * `show(...)`: rich display of figures and tables in a notebook cell.
 *
 * tslab's public `display.*` API sends one MIME type per message, but a figure needs three in
 * one output (plotly JSON, HTML, text; see html.ts). So `show` sends the whole bundle through
 * tslab's internal `lastWriteDisplayData` (tslab 1.0.22 `dist/jupyter.js`), found in the running
 * kernel's module cache. Outside a kernel (a script, ts-node, jest) it prints the text/plain part.
 */
import type { Figure } from './types';
import { isFigure } from './types';
import { figureBundle, isTableLike, tableBundle } from './html';
import type { MimeBundle, TableDisplayOptions, TableLike } from './html';
import { ParameterError } from '../errors';

/** A kernel's way to send one `display_data` message (tslab's `writeDisplayData` signature). */
export type WriteDisplayData = (
  data: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> },
  update: boolean,
) => void;

let overrideWriter: WriteDisplayData | null = null;

/**
 * Routes `show` to another display channel (another kernel, a test double); `null` restores the
 * default, tslab's writer when running in tslab.
 */
export function setDisplayWriter(writer: WriteDisplayData | null): void {
  overrideWriter = writer;
}

/**
 * The running tslab kernel's display writer, or null outside a kernel. Looks in the module cache
 * only, so that a plain script never loads tslab (and zeromq) just to print.
 */
function kernelDisplayWriter(): WriteDisplayData | null {
  if (overrideWriter) return overrideWriter;
  for (const key of Object.keys(require.cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(key)) continue;
    const mod = require.cache[key]?.exports as
      { lastWriteDisplayData?: WriteDisplayData | null } | undefined;
    if (mod && typeof mod.lastWriteDisplayData === 'function') return mod.lastWriteDisplayData;
  }
  return null;
}

/** True when running inside a tslab kernel that can display rich output. */
export function inNotebook(): boolean {
  return kernelDisplayWriter() !== null;
}

/** Sends one MIME bundle as one `display_data` output, or prints its text outside a notebook. */
export function displayBundle(bundle: MimeBundle): void {
  const write = kernelDisplayWriter();
  if (write) {
    write({ data: bundle, metadata: {}, transient: {} }, false);
  } else {
    const text = bundle['text/plain'];
    console.log(typeof text === 'string' ? text : JSON.stringify(text));
  }
}

/** Markdown text to show as rich text. */
export interface Markdown {
  markdown: string;
}

export type Showable = Figure | TableLike | Markdown | ReadonlyArray<Figure | TableLike | Markdown>;

/**
 * Shows figures (one output each), arquero tables (an HTML table with its size) or
 * `{ markdown }` text in a notebook cell; prints their text form elsewhere.
 */
export function show(value: Showable, options: TableDisplayOptions = {}): void {
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (isFigure(item)) displayBundle(figureBundle(item));
    else if (isTableLike(item)) displayBundle(tableBundle(item, options));
    else if (item && typeof (item as Markdown).markdown === 'string') {
      const md = (item as Markdown).markdown;
      displayBundle({ 'text/markdown': md, 'text/plain': md });
    } else {
      throw new ParameterError(
        'show(value)',
        item,
        'must be a plotly figure {data, layout}, an arquero table, {markdown}, or an array of them',
      );
    }
  }
}
