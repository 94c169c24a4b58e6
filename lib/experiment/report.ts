/**
 * `scalelab report`: one HTML page with every experiment's figures and tables, from the stored
 * results, plotly.js embedded once, readable offline.
 */
import * as path from 'path';
import type { Experiment } from './experiment';
import { UnreadableResultError, defaultResultsDir, readResult, resultSection } from './results';
import { writeHtml } from '../plot/html';
import { escapeHtml } from '../plot/serialize';
import { version } from '../version';

export interface ReportSummary {
  file: string;
  included: string[];
  missing: string[];
  /** Results that could not be read: the file and why (skipped; the rest is reported). */
  unreadable: Array<{ name: string; file: string; reason: string }>;
}

/** Writes the report for `experiments` (`scalelab report`: the catalog, lib/labs/catalog.ts) from the results in `resultsDir`. */
export function writeReport({
  resultsDir = defaultResultsDir(),
  file = path.join(resultsDir, 'report.html'),
  experiments,
}: {
  resultsDir?: string;
  file?: string;
  experiments: readonly Experiment[];
}): ReportSummary {
  const included: string[] = [];
  const missing: string[] = [];
  const unreadable: ReportSummary['unreadable'] = [];
  const sections: string[] = [];
  for (const e of experiments) {
    let stored: ReturnType<typeof readResult>;
    let section: string;
    try {
      stored = readResult(e.name, resultsDir);
      // links to the CSV and JSON beside the result, relative to the page (with forward slashes, for a URL)
      const link = (ext: string) =>
        path
          .relative(path.dirname(file), path.join(resultsDir, `${e.name}.${ext}`))
          .split(path.sep)
          .join('/');
      section = stored
        ? resultSection(e, stored.table, stored.provenance, 50, {
            csv: link('csv'),
            json: link('json'),
          })
        : '';
    } catch (err) {
      const file =
        err instanceof UnreadableResultError ? err.file : path.join(resultsDir, `${e.name}.json`);
      const reason =
        err instanceof UnreadableResultError
          ? err.reason
          : `cannot be shown: ${(err as Error).message}`;
      unreadable.push({ name: e.name, file, reason });
      sections.push(
        `<section id="${escapeHtml(e.name)}"><h2>${escapeHtml(e.title)}</h2><p><em>Skipped: ${escapeHtml(path.basename(file))} ${escapeHtml(reason)}. Rerun <code>scalelab run ${escapeHtml(e.name)}</code>.</em></p></section>`,
      );
      continue;
    }
    if (!stored) {
      if (e.requires === undefined) missing.push(e.name); // a measured experiment is run by name, not by --all
      sections.push(
        `<section id="${escapeHtml(e.name)}"><h2>${escapeHtml(e.title)}</h2><p><em>Not run yet: <code>scalelab run ${escapeHtml(e.name)}</code></em></p></section>`,
      );
      continue;
    }
    included.push(e.name);
    sections.push(section);
  }
  const byLab = new Map<string, Experiment[]>();
  for (const e of experiments) {
    const lab = e.lab ?? 'other';
    byLab.set(lab, [...(byLab.get(lab) ?? []), e]);
  }
  const toc = [...byLab.entries()]
    .map(
      ([lab, list]) =>
        `<li>${escapeHtml(lab)}: ${list.map((e) => `<a href="#${escapeHtml(e.name)}">${escapeHtml(e.title)}</a>`).join(' · ')}</li>`,
    )
    .join('\n');
  const intro =
    `<p>scalelab ${escapeHtml(version)}: every lab experiment, theory beside simulation (95% confidence intervals). ` +
    `Rerun one with <code>scalelab run NAME --set key=value</code>, then <code>scalelab report</code>.</p><ul>${toc}</ul>`;
  const written = writeHtml(
    sections.map((html) => ({ html })),
    file,
    { title: 'scalelab report', intro },
  );
  return { file: written, included, missing, unreadable };
}
