/**
 * The figure every lab draws: for each group (a model, a policy, a mode), the closed form as a
 * line and the simulation as markers with 95% confidence-interval error bars, in one colour per
 * group, read straight from an experiment's tidy table (`y`, `y_lo`, `y_hi`, `y_theory`).
 *
 * Read without guessing (issue 17, point 6): a numeric group is named with its column in the
 * legend (`fall = 2: theory`, not `2: theory`); an x column of integers gets ticks at integers
 * only; and where x is a count sampled at consecutive integers (servers, replicas), the closed
 * form exists only at those integers, so it is drawn as open diamonds there, not as a line whose
 * crossings at 4.5 servers mean nothing.
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
   * x is a count that exists only at integers: the theory is drawn as markers (open diamonds) at
   * each x, not as a line. Default: true when every x is an integer and the distinct values are
   * consecutive (4, 5, 6, 7 servers).
   */
  discreteX?: boolean;
  /** The legend's name for a group. Default: the value for text, `<groupBy> = <value>` for numbers and booleans. */
  groupLabel?: (value: unknown) => string;
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

/** True when every value is a finite integer (and there is one). */
export function allIntegers(values: ArrayLike<unknown>): boolean {
  if (values.length === 0) return false;
  for (let i = 0; i < values.length; i++)
    if (typeof values[i] !== 'number' || !Number.isInteger(values[i])) return false;
  return true;
}

/** True when the values are integers whose distinct values run consecutively (at least two). */
export function consecutiveIntegers(values: ArrayLike<unknown>): boolean {
  if (!allIntegers(values)) return false;
  const xs = Array.from(new Set(Array.from(values as ArrayLike<number>))).sort((a, b) => a - b);
  return xs.length >= 2 && xs.every((v, i) => i === 0 || v - xs[i - 1] === 1);
}

/** The legend name of a group: `<column> = <value>` for a number or boolean, the text itself otherwise. */
export function defaultGroupLabel(column: string, value: unknown): string {
  return typeof value === 'number' || typeof value === 'boolean'
    ? `${column} = ${value}`
    : String(value);
}

/** Traces for one group: theory line (if any value exists) and simulation markers with CIs. */
export function theoryVsSimulationTraces(
  rows: ColumnTable,
  o: TheoryVsSimulationOptions,
  group?: string,
): Trace[] {
  const names = rows.columnNames();
  const x = rows.array(o.x) as unknown[] as Array<number | string>;
  const traces: Trace[] = [];
  const theoryColumn = o.theory === undefined ? `${o.y}_theory` : o.theory;
  const prefix = group === undefined ? '' : `${group}: `;
  if (theoryColumn && names.includes(theoryColumn)) {
    const t = numbers(rows.array(theoryColumn) as unknown[]);
    const name = `${prefix}${o.theoryLabel ?? 'theory'}`;
    if (t.some((v) => v !== null)) {
      const discrete = o.discreteX ?? consecutiveIntegers(x);
      traces.push(
        discrete
          ? markers(x, t, { name: name, group: group ?? o.y, symbol: 'diamond-open', size: 11 })
          : line(x, t, { name: name, group: group ?? o.y }),
      );
    }
  }
  const y = numbers(rows.array(o.y) as unknown[]);
  const hasCi = names.includes(`${o.y}_lo`) && names.includes(`${o.y}_hi`);
  const lower = hasCi ? numbers(rows.array(`${o.y}_lo`) as unknown[]) : null;
  const upper = hasCi ? numbers(rows.array(`${o.y}_hi`) as unknown[]) : null;
  const overloadColumn = o.overloadColumn === undefined ? 'overloaded' : o.overloadColumn;
  const flagged =
    overloadColumn && names.includes(overloadColumn)
      ? (rows.array(overloadColumn) as unknown[]).map((v) => typeof v === 'number' && v > 0)
      : null;
  const keep = (v: Array<number | null>) =>
    flagged ? v.map((u, i) => (flagged[i] ? null : u)) : v;
  traces.push(
    markers(x, keep(y), {
      name: `${prefix}${o.simulationLabel ?? 'simulation'}`,
      group: group ?? o.y,
      ...(lower && upper ? { lower: keep(lower), upper: keep(upper) } : {}),
    }),
  );
  if (flagged && flagged.some(Boolean)) {
    traces.push(
      markers(
        x,
        y.map((v, i) => (flagged[i] ? v : null)),
        {
          name: `${prefix}overloaded: not a steady state`,
          group: group ?? o.y,
          symbol: 'x-open',
          size: 9,
        },
      ),
    );
  }
  return traces;
}

/** One figure: theory lines and simulated points with intervals, per group. */
export function theoryVsSimulation(table: ColumnTable, o: TheoryVsSimulationOptions): Figure {
  const traces: Trace[] = [];
  if (o.groupBy) {
    const column = o.groupBy;
    const values = Array.from(new Set(table.array(column) as unknown[]));
    for (const v of values) {
      const g = String(v);
      const rows = table.filter(`d => d[${JSON.stringify(column)}] + '' === ${JSON.stringify(g)}`);
      traces.push(
        ...theoryVsSimulationTraces(
          rows,
          o,
          o.groupLabel ? o.groupLabel(v) : defaultGroupLabel(column, v),
        ),
      );
    }
  } else traces.push(...theoryVsSimulationTraces(table, o));
  const xs = table.array(o.x) as ArrayLike<unknown>;
  return figure(traces, {
    title: o.title,
    x: { title: o.x, ...(allIntegers(xs) ? { integer: true } : {}), ...o.xAxis },
    y: { title: o.y, ...o.yAxis },
    height: o.height,
  });
}
