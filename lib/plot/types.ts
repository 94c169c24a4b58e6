/**
 * Plain plotly.js figure specs: `{ data, layout, config }`, as the plotly JSON schema and the
 * `application/vnd.plotly.v1+json` MIME type define them. Only the keys scalelab's builders set
 * are typed; any other plotly attribute passes through the index signatures unchanged.
 */

/** Numbers for a trace coordinate. TypedArrays are accepted and become plain arrays on display. */
export type Numbers =
  ReadonlyArray<number | null> | Float64Array | Float32Array | Int32Array | Uint32Array;
export type Values = Numbers | ReadonlyArray<string | number | null>;

export interface ErrorBar {
  type: 'data' | 'percent' | 'constant' | 'sqrt';
  symmetric?: boolean;
  array?: Numbers;
  arrayminus?: Numbers;
  value?: number;
  visible?: boolean;
  thickness?: number;
  width?: number;
  color?: string;
  [key: string]: unknown;
}

export interface Trace {
  type?: string;
  mode?: string;
  name?: string;
  x?: Values;
  y?: Values;
  xaxis?: string;
  yaxis?: string;
  fill?: string;
  fillcolor?: string;
  line?: { color?: string; width?: number; dash?: string; shape?: string; [key: string]: unknown };
  marker?: { color?: string; size?: number; symbol?: string; [key: string]: unknown };
  error_y?: ErrorBar;
  error_x?: ErrorBar;
  showlegend?: boolean;
  legendgroup?: string;
  hoverinfo?: string;
  hovertemplate?: string;
  [key: string]: unknown;
}

export interface Axis {
  title?: { text: string; [key: string]: unknown };
  type?: 'linear' | 'log' | 'date' | 'category';
  range?: [number, number];
  rangemode?: 'normal' | 'tozero' | 'nonnegative';
  domain?: [number, number];
  anchor?: string;
  zeroline?: boolean;
  [key: string]: unknown;
}

export interface Layout {
  title?: { text: string; [key: string]: unknown };
  xaxis?: Axis;
  yaxis?: Axis;
  height?: number;
  width?: number;
  showlegend?: boolean;
  legend?: { [key: string]: unknown };
  margin?: { l?: number; r?: number; t?: number; b?: number; [key: string]: unknown };
  grid?: {
    rows: number;
    columns: number;
    pattern?: 'independent' | 'coupled';
    [key: string]: unknown;
  };
  annotations?: Array<{ [key: string]: unknown }>;
  template?: unknown;
  [key: string]: unknown;
}

export interface Config {
  responsive?: boolean;
  displaylogo?: boolean;
  [key: string]: unknown;
}

/** A plotly figure: a value, separate from how it is shown. */
export interface Figure {
  data: Trace[];
  layout: Layout;
  config?: Config;
}

/** True for objects shaped like a plotly figure spec. */
export function isFigure(value: unknown): value is Figure {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as Figure).data) &&
    typeof (value as Figure).layout === 'object' &&
    (value as Figure).layout !== null
  );
}
