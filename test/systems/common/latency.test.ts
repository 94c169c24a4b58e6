import { Simulation } from '../../../lib/sim';
import { Latency, emptyLatency, summarizeLatency } from '../../../lib/systems/common/latency';
import { Observations } from '../../../lib/sim/observations';

describe('LatencySummary', () => {
  it('count, mean, stdDev, min, max and sketch percentiles within 1 %', () => {
    const o = new Observations(true);
    for (let i = 1; i <= 1000; i++) o.add(i);
    const s = summarizeLatency(o);
    expect(s.count).toBe(1000);
    expect(s.mean).toBeCloseTo(500.5, 9);
    expect(s.stdDev).toBeCloseTo(Math.sqrt((1000 * 1001) / 12), 6);
    expect(s.min).toBe(1);
    expect(s.max).toBe(1000);
    for (const [field, q] of [
      ['p50', 500],
      ['p90', 900],
      ['p95', 950],
      ['p99', 990],
      ['p999', 999],
    ] as const) {
      expect(Math.abs(s[field] / q - 1)).toBeLessThan(0.01);
    }
  });

  it('empty: count 0 and NaN, never 0', () => {
    expect(summarizeLatency(new Observations(true))).toEqual(emptyLatency());
    expect(Number.isNaN(emptyLatency().p99)).toBe(true);
  });

  it('Latency restarts on resetStatistics', () => {
    const sim = new Simulation({ seed: 1 });
    const l = new Latency(sim);
    for (let i = 0; i < 300; i++) l.record(1);
    expect(l.count).toBe(300);
    sim.resetStatistics();
    l.record(2);
    expect(l.summary()).toMatchObject({ count: 1, mean: 2, min: 2, max: 2 });
  });
});
