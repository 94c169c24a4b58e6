/**
 * The CDN against RFC 9111/5861 semantics and the renewal oracle (subsystems.md §7.6): origin
 * fetch rate Σ λ_i/(1 + λ_i T) per edge, one stream at the total rate behind a shield;
 * s-maxage over max-age; stale-if-error during an origin outage; typed errors; reproducibility.
 */
import { ParameterError } from '../../../lib/errors';
import { Deterministic } from '../../../lib/random/deterministic';
import { studentTQuantile } from '../../../lib/random/special';
import { simulateCdn } from '../../../lib/systems/cache/cdn';
import type { CdnConfig } from '../../../lib/systems/cache/cdn-config';
import { cdnOriginRate } from '../../../lib/systems/cache/cdn-theory';
import { zipfPopularity } from '../../../lib/systems/cache/theory';

const regions = [
  { rate: 60, rtt: 0.02, originRtt: 0.1 },
  { rate: 40, rtt: 0.04, originRtt: 0.2 },
];
const cfg = (extra: Partial<CdnConfig> = {}): CdnConfig => ({
  regions,
  popularity: { model: 'zipf', objects: 300, alpha: 0.9 },
  cacheControl: { 'max-age': 5 },
  origin: { service: new Deterministic(0.01) },
  ...extra,
});

function agree(values: number[], theory: number): void {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
  const half = (studentTQuantile(0.995, values.length - 1) * sd) / Math.sqrt(values.length);
  expect(Math.abs(m - theory)).toBeLessThan(half);
}

describe('CDN', () => {
  it('origin fetch rate = Σ λ/(1 + λT) per edge, and one stream at the total rate behind a shield', () => {
    const p = zipfPopularity(300, 0.9);
    for (const shield of [false, true]) {
      const rates: number[] = [];
      for (let seed = 1; seed <= 5; seed++)
        rates.push(
          simulateCdn(cfg(shield ? { shield: { originRtt: 0.05 } } : {}), {
            seed: seed,
            duration: 60,
            warmup: 20,
          }).originRate,
        );
      agree(rates, cdnOriginRate([60, 40], p, 5, shield));
    }
  });

  it('s-maxage takes precedence over max-age for the shared cache', () => {
    const a = simulateCdn(cfg({ cacheControl: { 'max-age': 1, 's-maxage': 20 } }), {
      seed: 2,
      duration: 30,
      warmup: 20,
    });
    const b = simulateCdn(cfg({ cacheControl: { 'max-age': 20 } }), {
      seed: 2,
      duration: 30,
      warmup: 20,
    });
    expect(a).toEqual(b);
  });

  it('stale-if-error serves the stale copy while the origin is down; without it the requests fail', () => {
    const outage = {
      failures: { outages: [{ at: 30, duration: 10 }] },
      service: new Deterministic(0.01),
    };
    const sie = simulateCdn(
      cfg({ cacheControl: { 'max-age': 5, 'stale-if-error': 60 }, origin: outage }),
      { seed: 3, duration: 50 },
    );
    const none = simulateCdn(cfg({ origin: outage }), { seed: 3, duration: 50 });
    expect(none.errors).toBeGreaterThan(100);
    expect(sie.staleIfError).toBeGreaterThan(100);
    expect(sie.errors).toBeLessThan(0.2 * none.errors);
    for (const s of [sie, none])
      expect(s.requests).toBe(s.hits + s.stale + s.misses + s.errors + s.staleIfError);
  });

  it('is reproducible and rejects bad configurations with typed errors', () => {
    expect(simulateCdn(cfg(), { seed: 9, duration: 10 })).toEqual(
      simulateCdn(cfg(), { seed: 9, duration: 10 }),
    );
    const bad = (c: unknown) => () => simulateCdn(c as CdnConfig, { seed: 1, duration: 1 });
    expect(bad(cfg({ cacheControl: { max_age: 5 } as never }))).toThrow(/did you mean "max-age"/);
    expect(bad(cfg({ cacheControl: {} }))).toThrow(ParameterError);
    expect(bad(cfg({ regions: [] }))).toThrow(/regions/);
    expect(bad(cfg({ regions: [{ rate: -1, rtt: 0, originRtt: 0 }] }))).toThrow(
      /regions\[0\]\.rate/,
    );
    expect(bad(cfg({ shield: { originRtt: -1 } }))).toThrow(/shield\.originRtt/);
  });
});
