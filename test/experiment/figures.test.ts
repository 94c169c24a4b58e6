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
    const fig = theoryVsSimulation(table, { x: 'rho', y: 'W', groupBy: 'model', title: 'W', yAxis: { log: true } });
    expect(fig.data.map((t) => [t.name, t.mode])).toEqual([
      ['M/M/1: theory', 'lines'], ['M/M/1: simulation', 'markers'], ['M/D/1: theory', 'lines'], ['M/D/1: simulation', 'markers'],
    ]);
    expect(fig.data[1].error_y).toMatchObject({ symmetric: false });
    expect(fig.data[1].error_y!.array![0]).toBeCloseTo(0.06);
    expect(fig.data[0].line!.color).toBe(fig.data[1].marker!.color);
    expect(fig.data[0].line!.color).not.toBe(fig.data[2].line!.color);
    expect(fig.layout.yaxis).toMatchObject({ type: 'log' });
  });

  it('leaves out a theory line where no closed form exists', () => {
    const fig = theoryVsSimulation(table.filter((d: { model: string }) => d.model === 'M/D/1'), { x: 'rho', y: 'W', theory: 'p99_theory' });
    expect(fig.data.map((t) => t.mode)).toEqual(['markers']);
  });
});
