/**
 * The figure every lab draws: for each group (a model, a policy, a mode), the closed form as a
 * line and the simulation as markers with 95% confidence-interval error bars, in one colour per
 * group, read straight from an experiment's tidy table (`y`, `y_lo`, `y_hi`, `y_theory`).
 */
import type { ColumnTable } from 'arquero';
import { figure, line, markers } from '../plot/builders';
import type { AxisOptions } from '../plot/builders';
import type { Figure, Trace } from '../plot/types';

export interface TheoryVsSimulationOptions {
  /** Column on the x axis. */
  x: string;
  /** Simulated metric column; its interval is read from `<y>_lo` and `<y>_hi` when present. */
  y: string;
  /** Closed-form column drawn as a line. Default `<y>_theory`; null for none. */
  theory?: string | null;
  /** Column whose values split the rows into groups (one colour each). */
  groupBy?: string;
  title?: string;
  xAxis?: AxisOptions;
  yAxis?: AxisOptions;
  /** Label of the simulation markers in the legend. Default 'simulation'. */
  simulationLabel?: string;
  theoryLabel?: string;
  height?: number;
  /**
   * Column with the share of replications whose system flagged overload (a queue that grew without
   * bound over the run; default 'overloaded', used when the table has it). Points with a share > 0
   * are not drawn as steady-state values: they become open crosses labelled as overloaded.
   */
  overloadColumn?: string | null;
}

function numbers(values: unknown[]): Array<number | null> {
  return values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
}

/** Traces for one group: theory line (if any value exists) and simulation markers with CIs. */
export function theoryVsSimulationTraces(rows: ColumnTable, o: TheoryVsSimulationOptions, group?: string): Trace[] {
  const names = rows.columnNames();
  const x = rows.array(o.x) as unknown[] as Array<number | string>;
  const traces: Trace[] = [];
  const theoryColumn = o.theory === undefined ? `${o.y}_theory` : o.theory;
  const prefix = group === undefined ? '' : `${group}: `;
  if (theoryColumn && names.includes(theoryColumn)) {
    const t = numbers(rows.array(theoryColumn) as unknown[]);
    if (t.some((v) => v !== null)) traces.push(line(x, t, { name: `${prefix}${o.theoryLabel ?? 'theory'}`, group: group ?? o.y }));
  }
  const y = numbers(rows.array(o.y) as unknown[]);
  const hasCi = names.includes(`${o.y}_lo`) && names.includes(`${o.y}_hi`);
  const lower = hasCi ? numbers(rows.array(`${o.y}_lo`) as unknown[]) : null;
  const upper = hasCi ? numbers(rows.array(`${o.y}_hi`) as unknown[]) : null;
  const overloadColumn = o.overloadColumn === undefined ? 'overloaded' : o.overloadColumn;
  const flagged = overloadColumn && names.includes(overloadColumn) ? (rows.array(overloadColumn) as unknown[]).map((v) => typeof v === 'number' && v > 0) : null;
  const keep = (v: Array<number | null>) => (flagged ? v.map((u, i) => (flagged[i] ? null : u)) : v);
  traces.push(
    markers(x, keep(y), {
      name: `${prefix}${o.simulationLabel ?? 'simulation'}`,
      group: group ?? o.y,
      ...(lower && upper ? { lower: keep(lower), upper: keep(upper) } : {}),
    }),
  );
  if (flagged && flagged.some(Boolean)) {
    traces.push(markers(x, y.map((v, i) => (flagged[i] ? v : null)), { name: `${prefix}overloaded: not a steady state`, group: group ?? o.y, symbol: 'x-open', size: 9 }));
  }
  return traces;
}

/** One figure: theory lines and simulated points with intervals, per group. */
export function theoryVsSimulation(table: ColumnTable, o: TheoryVsSimulationOptions): Figure {
  const traces: Trace[] = [];
  if (o.groupBy) {
    const groups = Array.from(new Set(table.array(o.groupBy) as unknown[])).map(String);
    for (const g of groups) {
      const rows = table.filter(`d => d[${JSON.stringify(o.groupBy)}] + '' === ${JSON.stringify(g)}`);
      traces.push(...theoryVsSimulationTraces(rows, o, g));
    }
  } else traces.push(...theoryVsSimulationTraces(table, o));
  return figure(traces, {
    title: o.title,
    x: { title: o.x, ...o.xAxis },
    y: { title: o.y, ...o.yAxis },
    height: o.height,
  });
}
