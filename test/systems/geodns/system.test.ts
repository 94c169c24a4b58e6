/**
 * The GeoDNS deployment: the TTL/2 failover formula (subsystems.md §7.7: misrouted requests ≈
 * λ·(detection + TTL/2) with uniformly aged caches; here its exact renewal form, see theory.ts)
 * inside a 99 % interval over replications, Route 53 detection (failure_threshold − ½)·interval,
 * the RTT mixture's mean and p95, conservation, reproducibility, typed errors.
 */
import { ParameterError } from '../../../lib/errors';
import { Exponential } from '../../../lib/random';
import { Simulation, Source, confidenceInterval } from '../../../lib/sim';
import {
  GEODNS_KEYS,
  type GeoDnsConfig,
  GeoDnsSystem,
  expectedFailedRequests,
  meanDetectionTime,
  mixtureMean,
  mixtureQuantile,
  resolveGeoDnsConfig,
  rttMixture,
  simulateGeoDns,
} from '../../../lib/systems/geodns';

const service = new Exponential(10); // 0.1 s a request

/** One region of clients at 20 req/s, a PRIMARY beside them that dies at 100 s and a SECONDARY in Oregon. */
function failoverConfig(over: {
  ttl: number;
  request_interval?: 10 | 30;
  perRegion?: number;
  stretchShare?: number;
  cacheMinTtl?: number;
  retry?: boolean;
}): GeoDnsConfig {
  return {
    regions: [{ name: 'us-east-1', rate: 20 }],
    datacenters: [
      {
        name: 'primary',
        region: 'us-east-1',
        servers: 4,
        service: service,
        failover: 'PRIMARY',
        failures: { outages: [{ at: 100, duration: Infinity }] },
      },
      {
        name: 'secondary',
        region: 'us-west-2',
        servers: 4,
        service: service,
        failover: 'SECONDARY',
      },
    ],
    routing: { policy: 'failover', ttl: over.ttl },
    health_check: { request_interval: over.request_interval ?? 10, failure_threshold: 3 },
    resolvers: {
      perRegion: over.perRegion ?? 16,
      stretchShare: over.stretchShare ?? 0,
      'cache-min-ttl': over.cacheMinTtl ?? 3600,
    },
    client: { retry: over.retry ?? false },
  };
}

describe('DNS failover: failed requests after a site dies', () => {
  const cases = [
    { label: 'TTL 60 s, fast checks', ttl: 60, request_interval: 10 as const },
    {
      label: 'TTL 10 s, standard checks, 64 resolvers (λ_res·T = 3: occupancy 0.76, not 1)',
      ttl: 10,
      request_interval: 30 as const,
      perRegion: 64,
    },
    {
      label: 'TTL 30 s, a quarter of resolvers with cache-min-ttl 300 s',
      ttl: 30,
      request_interval: 10 as const,
      stretchShare: 0.25,
      cacheMinTtl: 300,
    },
  ];
  it.each(cases)('$label: inside the 99 % interval of λ·(D + residual TTL)', (c) => {
    const reps = 30;
    const stretched = Math.max(c.ttl, c.cacheMinTtl ?? 0);
    const duration = 100 + 3 * c.request_interval + stretched + 30;
    const failed: number[] = [];
    const detection: number[] = [];
    for (let seed = 1; seed <= reps; seed++) {
      const s = simulateGeoDns(failoverConfig(c), { seed: seed, duration: duration });
      failed.push(s.failed);
      detection.push(s.datacenters[0].detection.mean);
      expect(s.datacenters[0].detection.count).toBe(1);
    }
    const perRegion = c.perRegion ?? 16;
    const theory = expectedFailedRequests({
      rate: 20,
      detection: meanDetectionTime(c.request_interval, 3),
      ttl: c.ttl,
      resolverRate: 20 / perRegion,
      stretchShare: Math.round((c.stretchShare ?? 0) * perRegion) / perRegion,
      cacheMinTtl: c.cacheMinTtl ?? 0,
      extra: 20 * 0.1, // requests inside the primary at the crash: L = λ·W, W = 0.1 s at 5 % load
    });
    const ci = confidenceInterval(failed, 0.99);
    expect(Math.abs(ci.mean - theory)).toBeLessThan(ci.halfWidth);
    expect(ci.relativeHalfWidth).toBeLessThan(0.12); // the check has power
    const d = confidenceInterval(detection, 0.99);
    expect(Math.abs(d.mean - meanDetectionTime(c.request_interval, 3))).toBeLessThan(d.halfWidth);
  });

  it('client retry at the second address: no request fails, the retried ones pay the connect timeout', () => {
    const s = simulateGeoDns(failoverConfig({ ttl: 60, retry: true }), { seed: 3, duration: 300 });
    expect(s.failed).toBe(0);
    expect(s.retried).toBeGreaterThan(500);
    expect(s.latency.max).toBeGreaterThan(1); // connect_timeout 1 s
    const without = simulateGeoDns(failoverConfig({ ttl: 60 }), { seed: 3, duration: 300 });
    expect(without.failed).toBeGreaterThan(500);
  });
});

describe('GeoDnsSystem', () => {
  const latencyConfig = (policy: 'latency' | 'weighted' | 'geolocation'): GeoDnsConfig => ({
    regions: [
      { name: 'us-east-1', rate: 30 },
      { name: 'eu-west-1', rate: 20 },
      { name: 'ap-northeast-1', rate: 10 },
      { name: 'ap-southeast-2', rate: 5 },
    ],
    datacenters: [
      {
        name: 'virginia',
        region: 'us-east-1',
        servers: 8,
        service: service,
        geolocation: 'NA',
        weight: 2,
      },
      {
        name: 'ireland',
        region: 'eu-west-1',
        servers: 8,
        service: service,
        geolocation: 'EU',
        weight: 1,
      },
      {
        name: 'tokyo',
        region: 'ap-northeast-1',
        servers: 8,
        service: service,
        geolocation: '*',
        weight: 1,
      },
    ],
    routing: { policy: policy, ttl: 60 },
  });

  it.each(['latency', 'weighted', 'geolocation'] as const)(
    '%s: mean RTT and p95 as the mixture of region shares x answer shares',
    (policy) => {
      const config = latencyConfig(policy);
      const mix = rttMixture(config);
      const means: number[] = [];
      const p95: number[] = [];
      for (let seed = 1; seed <= 6; seed++) {
        const s = simulateGeoDns(config, { seed: seed, duration: 300, warmup: 30 });
        means.push(s.rtt.mean);
        p95.push(s.rtt.p95);
      }
      const ci = confidenceInterval(means, 0.99);
      // weighted answers are cached per resolver for a TTL: the shares vary between runs, so its interval is wider
      expect(Math.abs(ci.mean - mixtureMean(mix))).toBeLessThan(ci.halfWidth + 1e-9);
      if (policy !== 'weighted')
        for (const q of p95)
          expect(Math.abs(q / mixtureQuantile(mix, 0.95) - 1)).toBeLessThan(0.01); // the sketch's 1 %
    },
  );

  it('conservation: requests + in flight at start = completed + failed + unresolved + in flight at end', () => {
    const config = latencyConfig('geolocation');
    config.datacenters[1].failures = { mttf: 100, mttr: 50 };
    config.datacenters[2].geolocation = 'AS'; // Sydney (OC) has no record and no default: NODATA
    const s = simulateGeoDns(config, { seed: 9, duration: 500, warmup: 50 });
    expect(s.failed).toBeGreaterThan(0);
    expect(s.unresolved).toBeGreaterThan(0);
    expect(s.requests + s.inFlightAtStart).toBe(s.completed + s.failed + s.unresolved + s.inFlight);
    const sent = s.datacenters.reduce((a, d) => a + d.sent, 0);
    expect(s.completed + s.failed).toBeLessThanOrEqual(sent + s.inFlightAtStart);
    expect(s.datacenters.reduce((a, d) => a + d.served, 0)).toBe(s.completed);
  });

  it('negative caching (RFC 2308): a NODATA answer is cached for min(SOA TTL, MINIMUM) = 900 s', () => {
    const config: GeoDnsConfig = {
      regions: [{ name: 'ap-southeast-2', rate: 5 }],
      datacenters: [{ name: 'virginia', region: 'us-east-1', service: service, geolocation: 'NA' }],
      routing: { policy: 'geolocation', ttl: 60 },
      resolvers: { perRegion: 4 },
    };
    expect(resolveGeoDnsConfig(config).negativeTtl).toBe(900);
    const s = simulateGeoDns(config, { seed: 1, duration: 1000 });
    expect(s.completed).toBe(0);
    expect(s.unresolved).toBe(s.requests);
    // 4 resolvers, each asks once (or not at all, when its warm cache holds the negative answer) and again after 900 s
    expect(s.dnsQueries).toBeLessThanOrEqual(8);
  });

  it('diurnal shift by time zone: hourly requests follow rate·(1 + a·cos(2π(UTC hour + utcOffset − peakHour)/24))', () => {
    const rate = 0.5;
    const a = 0.6;
    const config: GeoDnsConfig = {
      regions: [{ name: 'ap-northeast-1', rate: rate, diurnal: a, utcOffset: 9, peakHour: 20 }], // Tokyo's 20:00 is 11:00 UTC
      datacenters: [{ name: 'tokyo', region: 'ap-northeast-1', servers: 2, service: service }],
      routing: { policy: 'latency', ttl: 60 },
      bin: 3600,
    };
    const s = simulateGeoDns(config, { seed: 2, duration: 86400 });
    const expected = (h: number) => {
      // ∫ over the hour of rate·(1 + a·cos(2π(t/3600 + 9 − 20)/24)) dt
      const w = (2 * Math.PI) / 24;
      return rate * 3600 * (1 + (a / w) * (Math.sin(w * (h + 1 - 11)) - Math.sin(w * (h - 11))));
    };
    const counts = s.timeline.requests.slice(0, 24);
    expect(counts).toHaveLength(24);
    // each hour a Poisson count: within 3.3 sd (a 1 % family-wise level over 24 hours)
    counts.forEach((c, h) =>
      expect(Math.abs(c - expected(h))).toBeLessThan(3.3 * Math.sqrt(expected(h))),
    );
    expect(counts.indexOf(Math.max(...counts))).toBeGreaterThanOrEqual(9);
    expect(counts.indexOf(Math.max(...counts))).toBeLessThanOrEqual(12);
  });

  it('composes: a region of rate 0 takes requests from a source of its own through accept()', () => {
    const sim = new Simulation({ seed: 3 });
    const system = new GeoDnsSystem(sim, {
      regions: [{ name: 'eu-west-1', rate: 0 }],
      datacenters: [
        { name: 'ireland', region: 'eu-west-1', servers: 2, service: service },
        { name: 'virginia', region: 'us-east-1', servers: 2, service: service },
      ],
      routing: { policy: 'latency', ttl: 30 },
    });
    expect(system.sources).toHaveLength(0);
    new Source(sim, { name: 'mine', interarrival: new Exponential(5), origin: 0, to: system });
    sim.run({ until: 200 });
    const s = system.summary();
    expect(s.requests).toBeGreaterThan(800);
    expect(s.requests).toBe(s.completed + s.inFlight);
    expect(s.datacenters[0].served).toBe(s.completed); // Ireland is 0 ms away, Virginia 80.5 ms
    expect(s.rtt.max).toBe(0);
  });

  it('reproducible: same seed and config, same numbers; another seed, other numbers', () => {
    const config = latencyConfig('weighted');
    const a = simulateGeoDns(config, { seed: 4, duration: 200 });
    const b = simulateGeoDns(config, { seed: 4, duration: 200 });
    const c = simulateGeoDns(config, { seed: 5, duration: 200 });
    expect(b).toEqual(a);
    expect(c.requests).not.toBe(a.requests);
  });

  it('a config with every known key at every level resolves (the key lists are complete)', () => {
    const full: Required<GeoDnsConfig> = {
      regions: [
        { name: 'us-east-1', rate: 1, continent: 'NA', utcOffset: -5, diurnal: 0.2, peakHour: 20 },
      ],
      datacenters: [
        {
          name: 'a',
          region: 'us-east-1',
          servers: 2,
          service: service,
          failures: { mttf: 100, mttr: 10 },
          weight: 3,
          failover: 'PRIMARY',
          geolocation: '*',
          health_check: true,
        },
        {
          name: 'b',
          region: 'eu-west-1',
          servers: 2,
          service: service,
          failures: {},
          weight: 1,
          failover: 'SECONDARY',
          geolocation: 'EU',
          health_check: false,
        },
      ],
      routing: { policy: 'failover', ttl: 30 },
      health_check: { request_interval: 10, failure_threshold: 2 },
      resolvers: { perRegion: 4, stretchShare: 0.5, 'cache-min-ttl': 120 },
      soa: { ttl: 600, minimum: 300 },
      client: { retry: true, connect_timeout: 2 },
      accessRtt: 0.01,
      rtt: [[0, 0.08]],
      bin: 5,
    };
    expect(Object.keys(full).sort()).toEqual([...GEODNS_KEYS].sort());
    const r = resolveGeoDnsConfig(full);
    expect(r.negativeTtl).toBe(300);
    expect(r.rtt).toEqual([[0.01, 0.09]]);
    expect(r.datacenters[1].health_check).toBe(false);
    expect(simulateGeoDns(full, { seed: 1, duration: 50 }).requests).toBeGreaterThan(0);
  });

  it('typed errors: bad values and unknown keys name their path, value and range', () => {
    const base = latencyConfig('latency');
    const bad =
      (patch: (c: any) => void): (() => void) =>
      () => {
        const c: any = JSON.parse(
          JSON.stringify({
            ...base,
            datacenters: base.datacenters.map((d) => ({ ...d, service: undefined })),
          }),
        );
        c.datacenters.forEach((d: any) => (d.service = service));
        patch(c);
        resolveGeoDnsConfig(c);
      };
    expect(bad(() => undefined)).not.toThrow();
    expect(bad((c) => (c.routing.policy = 'geoproximity'))).toThrow(
      /routing.policy = "geoproximity" is out of range: must be one of geolocation, latency, weighted, failover/,
    );
    expect(bad((c) => (c.routing.tll = 60))).toThrow(/routing.tll = 60 .*did you mean "ttl"/);
    expect(bad((c) => (c.health_check = { request_interval: 20 }))).toThrow(
      /health_check.request_interval = 20 .*10 or 30/,
    );
    expect(bad((c) => (c.health_check = { failure_treshold: 3 }))).toThrow(
      /did you mean "failure_threshold"/,
    );
    expect(bad((c) => (c.datacenters[1].weight = 256))).toThrow(/datacenters\[1\].weight = 256/);
    expect(bad((c) => (c.datacenters[0].region = 'mars-1'))).toThrow(
      /datacenters\[0\].region = "mars-1"/,
    );
    expect(bad((c) => (c.regions[2].rate = -1))).toThrow(/regions\[2\].rate = -1/);
    expect(bad((c) => (c.resolvers = { stretchShare: 1.5 }))).toThrow(
      /resolvers.stretchShare = 1.5/,
    );
    expect(bad((c) => (c.datacenters[0].failures = { mtbf: 3 }))).toThrow(
      /datacenters\[0\].failures.mtbf/,
    );
    expect(bad((c) => (c.clients = []))).toThrow(ParameterError);
    expect(
      bad((c) => ((c.routing.policy = 'failover'), (c.datacenters[0].failover = 'PRIMARY'))),
    ).toThrow(/datacenters\[1\].failover/);
    expect(GEODNS_KEYS).toContain('routing');
  });
});
