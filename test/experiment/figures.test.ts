import * as aq from 'arquero';
import { theoryVsSimulation } from '../../lib/experiment/figures';

describe('theory vs simulation figures', () => {
  const table = aq.table({
    model: ['M/M/1', 'M/M/1', 'M/D/1', 'M/D/1'],
    rho: [0.5, 0.9, 0.5, 0.9],
    W: [2.01, 9.8, 1.52, 5.4],
    W_lo: [1.95, 9.1, 1.5, 5.2],
    W_hi: [2.07, 10.5, 1.54, 5.6],
    W_theory: [2, 10, 1.5, 5.5],
    p99_theory: [9.2, 46, null, null],
  });

  it('draws a theory line and simulated markers with intervals per group, one colour each', () => {
    const fig = theoryVsSimulation(table, {
      x: 'rho',
      y: 'W',
      groupBy: 'model',
      title: 'W',
      yAxis: { log: true },
    });
    expect(fig.data.map((t) => [t.name, t.mode])).toEqual([
      ['M/M/1: theory', 'lines'],
      ['M/M/1: simulation', 'markers'],
      ['M/D/1: theory', 'lines'],
      ['M/D/1: simulation', 'markers'],
    ]);
    expect(fig.data[1].error_y).toMatchObject({ symmetric: false });
    expect(fig.data[1].error_y!.array![0]).toBeCloseTo(0.06);
    expect(fig.data[0].line!.color).toBe(fig.data[1].marker!.color);
    expect(fig.data[0].line!.color).not.toBe(fig.data[2].line!.color);
    expect(fig.layout.yaxis).toMatchObject({ type: 'log' });
  });

  it('leaves out a theory line where no closed form exists', () => {
    const fig = theoryVsSimulation(
      table.filter((d: { model: string }) => d.model === 'M/D/1'),
      { x: 'rho', y: 'W', theory: 'p99_theory' },
    );
    expect(fig.data.map((t) => t.mode)).toEqual(['markers']);
  });

  it('names a numeric group with its column: "fall = 2: theory", not "2: theory"', () => {
    const t = aq.table({
      fall: [1, 1, 2, 2],
      rho: [0.5, 0.9, 0.5, 0.9],
      W: [1, 2, 3, 4],
      W_theory: [1, 2, 3, 4],
    });
    const fig = theoryVsSimulation(t, { x: 'rho', y: 'W', groupBy: 'fall' });
    expect(fig.data.map((d) => d.name)).toEqual([
      'fall = 1: theory',
      'fall = 1: simulation',
      'fall = 2: theory',
      'fall = 2: simulation',
    ]);
    expect(
      theoryVsSimulation(t, {
        x: 'rho',
        y: 'W',
        groupBy: 'fall',
        groupLabel: (v) => `${v} replicas`,
      }).data[0].name,
    ).toBe('1 replicas: theory');
  });

  it('an integer count on x (servers 3..7): ticks at integers only, theory as markers at each count, no line through 4.5', () => {
    const t = aq.table({
      servers: [3, 4, 5, 6, 7],
      p95: [9, 0.9, 0.4, 0.3, 0.25],
      p95_theory: [8, 1, 0.45, 0.31, 0.26],
    });
    const fig = theoryVsSimulation(t, { x: 'servers', y: 'p95', yAxis: { log: true } });
    expect(fig.data.map((d) => [d.name, d.mode, d.marker?.symbol])).toEqual([
      ['theory', 'markers', 'diamond-open'],
      ['simulation', 'markers', undefined],
    ]);
    expect(fig.layout.xaxis).toMatchObject({
      tickmode: 'array',
      tickvals: [3, 4, 5, 6, 7],
      ticktext: ['3', '4', '5', '6', '7'],
    });
    // integers with gaps (users 1, 5, 10, 20): integer ticks, the theory still a line
    const u = aq.table({ N: [1, 5, 10, 20], X: [1, 4, 6, 7], X_theory: [1, 4, 6, 7] });
    const users = theoryVsSimulation(u, { x: 'N', y: 'X' });
    expect(users.data[0].mode).toBe('lines');
    expect(users.layout.xaxis).toMatchObject({ tickvals: [1, 5, 10, 20] });
    // real-valued x: no integer ticks, a line
    const r = theoryVsSimulation(table, { x: 'rho', y: 'W', groupBy: 'model' });
    expect(r.layout.xaxis!.tickvals).toBeUndefined();
    expect(r.data[0].mode).toBe('lines');
    // the caller decides when it knows better
    expect(theoryVsSimulation(u, { x: 'N', y: 'X', discreteX: true }).data[0].mode).toBe('markers');
    expect(theoryVsSimulation(t, { x: 'servers', y: 'p95', discreteX: false }).data[0].mode).toBe(
      'lines',
    );
  });
});
