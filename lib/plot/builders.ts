/**
 * Typed builders for the figures every lab draws: theory as lines, simulation as markers with
 * confidence-interval error bars or shaded bands, log axes, and several panels in one figure.
 * They return plain plotly specs ({@link Figure}); nothing here touches a display.
 */
import { ParameterError } from '../errors';
import type { Axis, Figure, Layout, Numbers, Trace, Values } from './types';

/** A qualitative palette (plotly's default "D3" colours), so that a line and its band share a colour. */
export const palette: readonly string[] = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

export interface SeriesOptions {
  name?: string;
  color?: string;
  dash?: 'solid' | 'dot' | 'dash' | 'longdash' | 'dashdot';
  width?: number;
  /** Legend group: traces in one group toggle together. */
  group?: string;
  showlegend?: boolean;
  /**
   * How a line joins its points: 'linear' (default), or a step for a quantity that is a step
   * function of x: 'hv' (holds each value until the next x), 'vh' (jumps at each x to the value
   * that holds from the previous x), 'hvh'/'vhv' (changes half-way). Lines only.
   */
  shape?: 'linear' | 'spline' | 'hv' | 'vh' | 'hvh' | 'vhv';
}

function lengthOf(values: Values): number {
  return values.length;
}

function checkSameLength(what: string, x: Values, ys: Record<string, Values | undefined>): void {
  for (const [key, y] of Object.entries(ys)) {
    if (y !== undefined && lengthOf(y) !== lengthOf(x)) {
      throw new ParameterError(
        `${what}.${key}`,
        `array of length ${lengthOf(y)}`,
        `must have the length of x (${lengthOf(x)})`,
      );
    }
  }
}

/** A line through (x, y): the usual look of a closed-form curve. */
export function line(x: Values, y: Values, options: SeriesOptions = {}): Trace {
  checkSameLength('line', x, { y });
  return {
    type: 'scatter',
    mode: 'lines',
    x,
    y,
    name: options.name,
    legendgroup: options.group,
    showlegend: options.showlegend,
    line: {
      color: options.color,
      dash: options.dash,
      width: options.width ?? 2,
      ...(options.shape !== undefined && options.shape !== 'linear'
        ? { shape: options.shape }
        : {}),
    },
  };
}

export interface MarkerOptions extends SeriesOptions {
  symbol?: string;
  size?: number;
  /** Symmetric half-widths of the error bars (e.g. a confidence interval's half-width). */
  error?: Numbers;
  /** Asymmetric bars given as absolute bounds: `lower[i] <= y[i] <= upper[i]`. */
  lower?: Numbers;
  upper?: Numbers;
}

/**
 * Markers at (x, y), optionally with error bars: either symmetric half-widths (`error`), or
 * absolute `lower`/`upper` bounds turned into plotly's `array`/`arrayminus`.
 */
export function markers(x: Values, y: Numbers, options: MarkerOptions = {}): Trace {
  checkSameLength('markers', x, {
    y,
    error: options.error,
    lower: options.lower,
    upper: options.upper,
  });
  if ((options.lower === undefined) !== (options.upper === undefined)) {
    throw new ParameterError(
      'markers.lower/upper',
      options.lower === undefined ? 'upper only' : 'lower only',
      'give both bounds or neither',
    );
  }
  const trace: Trace = {
    type: 'scatter',
    mode: 'markers',
    x,
    y,
    name: options.name,
    legendgroup: options.group,
    showlegend: options.showlegend,
    marker: { color: options.color, size: options.size ?? 7, symbol: options.symbol },
  };
  if (options.error !== undefined) {
    trace.error_y = { type: 'data', array: options.error, visible: true, thickness: 1.5, width: 4 };
  } else if (options.lower !== undefined && options.upper !== undefined) {
    const above: (number | null)[] = [];
    const below: (number | null)[] = [];
    for (let i = 0; i < y.length; i++) {
      const yi = y[i];
      const up = options.upper[i];
      const lo = options.lower[i];
      above.push(yi == null || up == null ? null : up - yi);
      below.push(yi == null || lo == null ? null : yi - lo);
    }
    trace.error_y = {
      type: 'data',
      symmetric: false,
      array: above,
      arrayminus: below,
      visible: true,
      thickness: 1.5,
      width: 4,
    };
  }
  return trace;
}

/** Converts a CSS hex colour to rgba with the given opacity (for shaded bands). */
export function withOpacity(color: string, opacity: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return color;
  return `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, ${opacity})`;
}

const bandOpacity = 0.2;

export interface BandOptions extends SeriesOptions {
  /** Fill opacity, 0..1, with an explicit `color`. Default 0.2. Without a colour the band takes its group's. */
  opacity?: number;
}

/**
 * A shaded band between `lower` and `upper` over x (a confidence band): two traces, the upper
 * edge filled down to the lower one with `fill: 'tonexty'`.
 */
export function band(
  x: Values,
  lower: Numbers,
  upper: Numbers,
  options: BandOptions = {},
): Trace[] {
  checkSameLength('band', x, { lower, upper });
  const color = options.color;
  const group = options.group ?? options.name;
  const edge = { width: 0 };
  return [
    {
      type: 'scatter',
      mode: 'lines',
      x,
      y: lower,
      line: edge,
      legendgroup: group,
      showlegend: false,
      hoverinfo: 'skip',
      name: options.name ? `${options.name} (lower)` : undefined,
    },
    {
      type: 'scatter',
      mode: 'lines',
      x,
      y: upper,
      line: edge,
      fill: 'tonexty',
      fillcolor:
        color === undefined ? undefined : withOpacity(color, options.opacity ?? bandOpacity),
      legendgroup: group,
      showlegend: options.showlegend ?? options.name !== undefined,
      name: options.name,
      hoverinfo: 'skip',
    },
  ];
}

export interface AxisOptions {
  title?: string;
  log?: boolean;
  range?: [number, number];
  /** Start the axis at zero (linear axes only). */
  fromZero?: boolean;
  /**
   * The axis shows a count (servers, replicas, users): ticks only at integers. {@link figure}
   * places them from the data: at every value drawn when there are at most
   * {@link MAX_INTEGER_TICKS} distinct ones, else every 1, 2 or 5 × 10^k (linear axes).
   */
  integer?: boolean;
}

/** Most distinct integer values an `integer` axis labels one by one. */
export const MAX_INTEGER_TICKS = 16;

/**
 * Integer tick placement for an axis showing `values`: the distinct values themselves (at most
 * {@link MAX_INTEGER_TICKS}), else (linear axes) a step of 1, 2 or 5 × 10^k giving about 8 ticks.
 */
export function integerTicks(values: ReadonlyArray<unknown>, log = false): Axis {
  const xs = Array.from(
    new Set(
      values.filter(
        (v): v is number => typeof v === 'number' && Number.isFinite(v) && (!log || v > 0),
      ),
    ),
  ).sort((a, b) => a - b);
  if (xs.length === 0) return {};
  if (xs.length <= MAX_INTEGER_TICKS && xs.every((v) => Number.isInteger(v)))
    return { tickmode: 'array', tickvals: xs, ticktext: xs.map(String) };
  if (log) return {};
  const span = xs[xs.length - 1] - xs[0];
  let step = 1;
  for (let k = 1; k < 1e300; k *= 10) {
    const c = [k, 2 * k, 5 * k].find((d) => d * 8 >= span);
    if (c !== undefined) {
      step = c;
      break;
    }
  }
  return { tickmode: 'linear', tick0: 0, dtick: step, tickformat: 'd' };
}

export function axis(options: AxisOptions = {}): Axis {
  const a: Axis = {};
  if (options.title !== undefined) a.title = { text: options.title };
  if (options.log) a.type = 'log';
  if (options.range) a.range = options.range;
  if (options.fromZero && !options.log) a.rangemode = 'tozero';
  return a;
}

function integerAxis(
  options: AxisOptions | undefined,
  traces: readonly Trace[],
  key: 'x' | 'y',
): Axis {
  const a = axis(options);
  if (!options?.integer) return a;
  const values: unknown[] = [];
  for (const t of traces) {
    const v = t[key];
    if (v) for (let i = 0; i < v.length; i++) values.push(v[i]);
  }
  return { ...a, ...integerTicks(values, options.log) };
}

export interface FigureOptions {
  title?: string;
  x?: AxisOptions;
  y?: AxisOptions;
  height?: number;
  width?: number;
  showlegend?: boolean;
  /** Extra plotly layout keys, merged last. */
  layout?: Layout;
}

/**
 * A figure from traces (arrays of traces are flattened, so `band(...)` can be passed as is).
 * Traces without a colour get the palette's colours by legend group, so a theory line, its
 * simulated markers and their band with the same `group` share one colour.
 */
export function figure(
  traces: ReadonlyArray<Trace | Trace[]>,
  options: FigureOptions = {},
): Figure {
  const data = assignColours(traces.flatMap((t) => (Array.isArray(t) ? t : [t])));
  const layout: Layout = {
    margin: { l: 60, r: 20, t: options.title ? 50 : 20, b: 50 },
    height: options.height ?? 420,
    ...(options.width !== undefined ? { width: options.width } : {}),
    ...(options.title !== undefined ? { title: { text: options.title } } : {}),
    xaxis: integerAxis(options.x, data, 'x'),
    yaxis: integerAxis(options.y, data, 'y'),
    ...(options.showlegend !== undefined ? { showlegend: options.showlegend } : {}),
    ...options.layout,
  };
  return { data, layout };
}

function assignColours(traces: Trace[]): Trace[] {
  const byGroup = new Map<string, string>();
  let next = 0;
  const colourFor = (key: string): string => {
    let c = byGroup.get(key);
    if (c === undefined) {
      c = palette[next++ % palette.length];
      byGroup.set(key, c);
    }
    return c;
  };
  return traces.map((t, i) => {
    const key = t.legendgroup ?? t.name ?? `#${i}`;
    const hasColour = (t.line && t.line.color) || (t.marker && t.marker.color) || t.fillcolor;
    if (hasColour) {
      const explicit = (t.line && t.line.color) || (t.marker && t.marker.color);
      if (explicit && !byGroup.has(key)) byGroup.set(key, explicit);
      return t;
    }
    const c = colourFor(key);
    const out: Trace = { ...t };
    if (t.mode === undefined || t.mode.includes('lines')) out.line = { ...t.line, color: c };
    if (t.mode !== undefined && t.mode.includes('markers')) out.marker = { ...t.marker, color: c };
    if (t.error_y) out.error_y = { ...t.error_y, color: c };
    if (t.fill !== undefined && t.fill !== 'none') out.fillcolor = withOpacity(c, bandOpacity);
    return out;
  });
}

export interface PanelOptions {
  /** Panels per row. Default: all in one row up to 3, then rows of 2. */
  columns?: number;
  title?: string;
  /** Height of one row of panels, px. Default 360. */
  rowHeight?: number;
  width?: number;
}

/**
 * Several figures as panels of one figure (plotly subplots on a grid, each panel with its own
 * axes and its title as an annotation). Legend entries repeated across panels are shown once.
 */
export function panels(figures: readonly Figure[], options: PanelOptions = {}): Figure {
  if (figures.length === 0)
    throw new ParameterError('panels.figures', '[]', 'must hold at least one figure');
  const n = figures.length;
  const columns = options.columns ?? (n <= 3 ? n : 2);
  if (!Number.isInteger(columns) || columns < 1)
    throw new ParameterError('panels.columns', columns, 'must be an integer >= 1');
  const rows = Math.ceil(n / columns);
  const gap = 0.08;
  const cellW = (1 - gap * (columns - 1)) / columns;
  const cellH = (1 - gap * 1.6 * (rows - 1)) / rows;
  const layout: Layout = {
    height: (options.rowHeight ?? 360) * rows + 40,
    margin: { l: 60, r: 20, t: options.title ? 80 : 50, b: 50 },
    annotations: [],
    ...(options.width !== undefined ? { width: options.width } : {}),
    ...(options.title !== undefined ? { title: { text: options.title } } : {}),
  };
  const data: Trace[] = [];
  const seenLegend = new Set<string>();
  figures.forEach((fig, i) => {
    const row = Math.floor(i / columns);
    const col = i % columns;
    const suffix = i === 0 ? '' : String(i + 1);
    const x0 = col * (cellW + gap);
    const y1 = 1 - row * (cellH + gap * 1.6);
    layout['xaxis' + suffix] = {
      ...fig.layout.xaxis,
      domain: [x0, x0 + cellW],
      anchor: 'y' + suffix,
    };
    layout['yaxis' + suffix] = {
      ...fig.layout.yaxis,
      domain: [y1 - cellH, y1],
      anchor: 'x' + suffix,
    };
    const title = fig.layout.title?.text;
    if (title) {
      layout.annotations!.push({
        text: `<b>${title}</b>`,
        x: x0 + cellW / 2,
        y: y1,
        xref: 'paper',
        yref: 'paper',
        xanchor: 'center',
        yanchor: 'bottom',
        showarrow: false,
        font: { size: 13 },
      });
    }
    for (const t of fig.data) {
      const legendKey = t.legendgroup ?? t.name;
      const show = t.showlegend !== false && legendKey !== undefined && !seenLegend.has(legendKey);
      if (legendKey !== undefined && t.showlegend !== false) seenLegend.add(legendKey);
      data.push({
        ...t,
        xaxis: 'x' + suffix,
        yaxis: 'y' + suffix,
        showlegend: show,
        legendgroup: legendKey,
      });
    }
  });
  return { data, layout };
}
