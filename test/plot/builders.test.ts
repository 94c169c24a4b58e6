import {
  band,
  figure,
  integerTicks,
  line,
  markers,
  panels,
  palette,
  withOpacity,
} from '../../lib/plot/builders';
import { ParameterError } from '../../lib/errors';

describe('figure builders', () => {
  it('draws theory as a line and simulation as markers with symmetric error bars', () => {
    const t = line([1, 2, 3], [1, 4, 9], { name: 'theory' });
    expect(t).toMatchObject({
      type: 'scatter',
      mode: 'lines',
      x: [1, 2, 3],
      y: [1, 4, 9],
      name: 'theory',
    });
    const m = markers([1, 2], [1.1, 3.8], { name: 'sim', error: [0.1, 0.3] });
    expect(m.mode).toBe('markers');
    expect(m.error_y).toMatchObject({ type: 'data', array: [0.1, 0.3], visible: true });
  });

  it('turns absolute lower/upper bounds into asymmetric error bars', () => {
    const m = markers([1, 2], [10, 20], { lower: [8, 19], upper: [13, 20.5] });
    expect(m.error_y).toMatchObject({ symmetric: false, array: [3, 0.5], arrayminus: [2, 1] });
    expect(() => markers([1, 2], [10, 20], { lower: [8, 19] })).toThrow(ParameterError);
  });

  it('rejects series whose lengths differ, naming the parameter', () => {
    expect(() => line([1, 2, 3], [1, 2])).toThrow(
      'line.y = "array of length 2" is out of range: must have the length of x (3)',
    );
    expect(() => markers([1, 2], [1, 2], { error: [1] })).toThrow(/markers\.error/);
    expect(() => band([1, 2], [1], [2, 3])).toThrow(/band\.lower/);
  });

  it('shades a band between lower and upper in its group colour', () => {
    const [lo, hi] = band([1, 2], [0, 1], [2, 3], { name: '95% CI' });
    expect(lo.fill).toBeUndefined();
    expect(hi.fill).toBe('tonexty');
    expect(hi.y).toEqual([2, 3]);
    const fig = figure([
      band([1, 2], [0, 1], [2, 3], { name: 'W', group: 'g' }),
      line([1, 2], [1, 2], { name: 'W', group: 'g' }),
    ]);
    expect(fig.data).toHaveLength(3);
    expect(fig.data[1].fillcolor).toBe(withOpacity(palette[0], 0.2));
    expect(fig.data[2].line?.color).toBe(palette[0]);
  });

  it('gives each legend group one colour, shared by its line, markers and error bars', () => {
    const fig = figure([
      line([1], [1], { name: 'a', group: 'A' }),
      markers([1], [1], { name: 'a sim', group: 'A', error: [0.1] }),
      line([1], [2], { name: 'b', group: 'B' }),
    ]);
    expect(fig.data[0].line?.color).toBe(palette[0]);
    expect(fig.data[1].marker?.color).toBe(palette[0]);
    expect(fig.data[1].error_y?.color).toBe(palette[0]);
    expect(fig.data[2].line?.color).toBe(palette[1]);
  });

  it('sets titles and log axes', () => {
    const fig = figure([line([1, 10], [1, 100])], {
      title: 'T',
      x: { title: 'rho' },
      y: { title: 'W', log: true },
      height: 300,
    });
    expect(fig.layout.title).toEqual({ text: 'T' });
    expect(fig.layout.xaxis).toEqual({ title: { text: 'rho' } });
    expect(fig.layout.yaxis).toEqual({ title: { text: 'W' }, type: 'log' });
    expect(fig.layout.height).toBe(300);
  });

  it('lays several figures out as panels with their own axes', () => {
    const a = figure([line([1, 2], [1, 2], { name: 'x', group: 'x' })], {
      title: 'A',
      y: { log: true },
    });
    const b = figure(
      [line([1, 2], [2, 1], { name: 'x', group: 'x' }), line([1, 2], [0, 0], { name: 'z' })],
      { title: 'B' },
    );
    const c = figure([line([1], [1])], { title: 'C' });
    const p = panels([a, b, c], { columns: 2 });
    expect(p.data.map((t) => [t.xaxis, t.yaxis])).toEqual([
      ['x', 'y'],
      ['x2', 'y2'],
      ['x2', 'y2'],
      ['x3', 'y3'],
    ]);
    expect(p.layout.yaxis).toMatchObject({ type: 'log', anchor: 'x' });
    expect(p.layout.xaxis3).toMatchObject({ anchor: 'y3' });
    // the same legend group is listed once across panels
    expect(p.data.map((t) => t.showlegend)).toEqual([true, false, true, false]);
    expect(p.layout.annotations?.map((a) => a.text)).toEqual(['<b>A</b>', '<b>B</b>', '<b>C</b>']);
    const [x1, x2] = [p.layout.xaxis?.domain, (p.layout.xaxis2 as { domain: number[] }).domain];
    expect(x1![1]).toBeLessThan(x2[0]);
    expect(() => panels([])).toThrow(ParameterError);
  });
});

describe('integer axes and step lines', () => {
  it('an integer axis labels each of a few values, else steps of 1, 2 or 5 x 10^k, never a fraction', () => {
    expect(integerTicks([4, 5, 6, 5])).toEqual({
      tickmode: 'array',
      tickvals: [4, 5, 6],
      ticktext: ['4', '5', '6'],
    });
    const many = Array.from({ length: 40 }, (_, i) => i + 1);
    expect(integerTicks(many)).toMatchObject({
      tickmode: 'linear',
      tick0: 0,
      dtick: 5,
      tickformat: 'd',
    });
    expect(integerTicks(many.map((v) => v * 100))).toMatchObject({ dtick: 500 });
    expect(integerTicks(Array.from({ length: 20 }, (_, i) => i))).toMatchObject({ dtick: 5 });
    expect(integerTicks(Array.from({ length: 17 }, (_, i) => i))).toMatchObject({ dtick: 2 });
    expect(integerTicks(many, true)).toEqual({}); // log axis with many values: plotly's own
    const fig = figure([line([1, 2, 3], [1, 2, 3])], { x: { title: 'servers', integer: true } });
    expect(fig.layout.xaxis).toMatchObject({ title: { text: 'servers' }, tickvals: [1, 2, 3] });
  });

  it('a step line keeps its shape', () => {
    expect(line([1, 2], [3, 4], { shape: 'hv' }).line).toMatchObject({ shape: 'hv' });
    expect(line([1, 2], [3, 4]).line!.shape).toBeUndefined();
  });
});
