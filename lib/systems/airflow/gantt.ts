/**
 * A Gantt chart of task-instance attempts as a plotly figure: one horizontal bar per attempt
 * (a 'bar' trace with orientation 'h', `base` = start, length = end − start), one row per executor
 * slot (lane), one colour per task (or per result), so the idle slots, the waves and the critical
 * path are visible. Built from `AirflowSystem.attemptsLog`.
 */
import { palette } from '../../plot/builders';
import type { Figure, Trace } from '../../plot/types';
import type { AttemptRecord } from './instances';

export interface GanttOptions {
  title?: string;
  /** Colour by task (default, digits and map index stripped: t0..t99 share one colour), by exact task_id, by result, or by run. */
  colorBy?: 'task' | 'task_id' | 'result' | 'run';
  /** Height in px (default: 22 px per lane, within 300..900). */
  height?: number;
  /** Time unit of the x axis (default seconds). */
  unit?: 's' | 'min';
}

const RESULT_COLOURS: Record<string, string> = {
  success: '#2ca02c',
  failed: '#d62728',
  up_for_retry: '#ff7f0e',
  up_for_reschedule: '#9467bd',
  skipped: '#c7c7c7',
  zombie: '#8c564b',
  running: '#1f77b4',
};

function groupOf(a: AttemptRecord, by: NonNullable<GanttOptions['colorBy']>): string {
  if (by === 'result') return a.result;
  if (by === 'run') return a.run_id;
  if (by === 'task_id') return a.task_id;
  return a.task_id.replace(/[_-]?\d+$/, '') || a.task_id;
}

export function ganttChart(attempts: readonly AttemptRecord[], options: GanttOptions = {}): Figure {
  const by = options.colorBy ?? 'task';
  const scale = options.unit === 'min' ? 1 / 60 : 1;
  const lanes = [...new Map(attempts.map((a) => [a.lane, a.laneLabel])).entries()].sort(
    (x, y) => x[0] - y[0],
  );
  const groups = new Map<string, AttemptRecord[]>();
  for (const a of attempts) {
    const g = groupOf(a, by);
    if (!groups.has(g)) groups.set(g, []);
    (groups.get(g) as AttemptRecord[]).push(a);
  }
  const traces: Trace[] = [];
  let i = 0;
  for (const [g, list] of groups) {
    const colour =
      by === 'result'
        ? (RESULT_COLOURS[g] ?? palette[i % palette.length])
        : palette[i % palette.length];
    i++;
    const end = (a: AttemptRecord) => (Number.isNaN(a.end) ? a.start : a.end);
    traces.push({
      type: 'bar',
      orientation: 'h',
      name: g,
      legendgroup: g,
      y: list.map((a) => a.laneLabel),
      x: list.map((a) => (end(a) - a.start) * scale),
      base: list.map((a) => a.start * scale),
      marker: { color: colour, line: { color: '#ffffff', width: 0.5 } },
      hovertext: list.map(
        (a) =>
          `${a.task_id}${a.map_index >= 0 ? `[${a.map_index}]` : ''} try ${a.try_number} · ${a.result}<br>${a.run_id}<br>${(a.start * scale).toFixed(1)}–${(end(a) * scale).toFixed(1)} ${options.unit ?? 's'}`,
      ),
      hoverinfo: 'text',
    });
  }
  return {
    data: traces,
    layout: {
      title: options.title ? { text: options.title } : undefined,
      barmode: 'overlay',
      height: options.height ?? Math.min(900, Math.max(300, 60 + 22 * lanes.length)),
      margin: { l: 130, r: 20, t: options.title ? 50 : 20, b: 50 },
      xaxis: { title: { text: `time (${options.unit ?? 's'})` }, rangemode: 'tozero' },
      yaxis: {
        type: 'category',
        categoryorder: 'array',
        categoryarray: lanes.map((l) => l[1]),
        autorange: 'reversed',
        title: { text: 'executor slot' },
      },
      legend: { traceorder: 'normal' },
    },
  };
}
