/**
 * The measured labs' figure: per group, the closed form as a line, the simulation as hollow
 * markers and the real component's measurement as filled diamonds, both with their 95% intervals
 * (`<y>_lo`, `<y>_hi`), one colour per group, from a tidy table with a `source` column.
 */
import type { ColumnTable } from 'arquero';
import { figure, line, markers } from '../../plot/builders';
import type { AxisOptions } from '../../plot/builders';
import type { Figure, Trace } from '../../plot/types';

const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

type Row = Record<string, unknown>;

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function measuredFigure(
  t: ColumnTable,
  o: {
    x: string;
    y: string;
    theory?: string[];
    theoryNames?: string[];
    theoryFor?: string;
    groupBy?: string;
    title: string;
    xAxis?: AxisOptions;
    yAxis?: AxisOptions;
  },
): Figure {
  const rows = (t.objects() as Row[])
    .slice()
    .sort((a, b) => (num(a[o.x]) ?? 0) - (num(b[o.x]) ?? 0));
  const groups = o.groupBy ? Array.from(new Set(rows.map((r) => String(r[o.groupBy!])))) : [''];
  const traces: Trace[] = [];
  const theories = o.theory ?? [`${o.y}_theory`];
  groups.forEach((g, k) => {
    const color = palette[k % palette.length];
    const prefix = o.groupBy ? `${g}: ` : '';
    const mine = rows.filter((r) => !o.groupBy || String(r[o.groupBy]) === g);
    const sim = mine.filter((r) => r.source === 'simulation');
    theories.forEach((col, j) => {
      if (o.theoryFor !== undefined && g !== o.theoryFor) return;
      const pts = sim.filter((r) => num(r[col]) !== null);
      if (pts.length > 0)
        traces.push(
          line(
            pts.map((r) => r[o.x] as number),
            pts.map((r) => r[col] as number),
            {
              name: `${prefix}${o.theoryNames?.[j] ?? col.replace(`${o.y}_`, '')}`,
              color: color,
              dash: j === 0 ? 'solid' : 'dot',
              group: g,
            },
          ),
        );
    });
    for (const [source, symbol] of [
      ['simulation', 'circle-open'],
      ['measured', 'diamond'],
    ] as const) {
      const pts = mine.filter((r) => r.source === source && num(r[o.y]) !== null);
      if (pts.length === 0) continue;
      const hasCi = pts.every((r) => num(r[`${o.y}_lo`]) !== null && num(r[`${o.y}_hi`]) !== null);
      traces.push(
        markers(
          pts.map((r) => r[o.x] as number),
          pts.map((r) => r[o.y] as number),
          {
            name: `${prefix}${source}`,
            color: color,
            symbol: symbol,
            size: source === 'measured' ? 9 : 7,
            group: g,
            ...(hasCi
              ? {
                  lower: pts.map((r) => num(r[`${o.y}_lo`])),
                  upper: pts.map((r) => num(r[`${o.y}_hi`])),
                }
              : {}),
          },
        ),
      );
    }
  });
  return figure(traces, { title: o.title, x: o.xAxis, y: o.yAxis });
}
