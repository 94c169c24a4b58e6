/**
 * The authoritative answers against the cases of the Route 53 Developer Guide: "Weighted routing"
 * (weight / sum of weights; weights 1 and 255 give 1/256 and 255/256), "How Amazon Route 53
 * chooses records when health checking is configured" (records without a health check are
 * always healthy; when all are unhealthy all count as healthy; weight-0 records are considered
 * only when every nonzero-weight record is unhealthy, and the table of that page), failover
 * (PRIMARY, else SECONDARY), geolocation (continent record, else the default '*' record, else
 * no answer), latency-based (lowest latency from the client's region).
 */
import { Exponential } from '../../../lib/random';
import {
  Authoritative,
  NO_ANSWER,
  resolveGeoDnsConfig,
  type DatacenterConfig,
  type GeoDnsConfig,
  type RoutingPolicy,
} from '../../../lib/systems/geodns';

const service = new Exponential(10);
function authority(
  policy: RoutingPolicy,
  dcs: Array<Partial<DatacenterConfig>>,
  regions = ['us-east-1'],
): Authoritative {
  const config: GeoDnsConfig = {
    regions: regions.map((r) => ({ name: r, rate: 1 })),
    datacenters: dcs.map((d, i) => ({
      name: `dc${i}`,
      region: 'us-east-1',
      service: service,
      ...d,
    })),
    routing: { policy: policy },
  };
  return new Authoritative(resolveGeoDnsConfig(config));
}

/** Share of answers for each record over a grid of uniform draws. */
function answerShares(a: Authoritative, region = 0, n = 25600): number[] {
  const counts = new Array<number>(a.healthy.length + 1).fill(0);
  for (let k = 0; k < n; k++) {
    a.answer(region, (k + 0.5) / n);
    counts[a.first + 1]++;
  }
  return counts
    .slice(1)
    .map((c) => c / n)
    .concat([counts[0] / n]);
}

describe('Route 53 weighted routing', () => {
  it('weights 1 and 255: 1/256 and 255/256 of the answers', () => {
    const a = authority('weighted', [{ weight: 1 }, { weight: 255 }]);
    const s = answerShares(a);
    expect(s[0]).toBeCloseTo(1 / 256, 10);
    expect(s[1]).toBeCloseTo(255 / 256, 10);
  });

  it('an unhealthy record is skipped; the others keep their relative weights', () => {
    const a = authority('weighted', [{ weight: 1 }, { weight: 2 }, { weight: 1 }]);
    a.healthy[1] = 0;
    const s = answerShares(a);
    expect(s.slice(0, 3)).toEqual([0.5, 0, 0.5]);
  });

  it('all weights 0: equal probability', () => {
    const s = answerShares(
      authority('weighted', [{ weight: 0 }, { weight: 0 }, { weight: 0 }, { weight: 0 }]),
    );
    expect(s.slice(0, 4)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  // The Developer Guide's table for weights 1, 1, 0, all three with health checks
  it.each([
    ['unhealthy, unhealthy, healthy', [0, 0, 1], [false, false, true]],
    ['unhealthy, unhealthy, unhealthy', [0, 0, 0], [true, true, false]],
    ['unhealthy, healthy, unhealthy', [0, 1, 0], [false, true, false]],
    ['healthy, healthy, unhealthy', [1, 1, 0], [true, true, false]],
    ['healthy, healthy, healthy', [1, 1, 1], [true, true, false]],
  ])(
    'weights 1, 1, 0 with statuses %s: answered as in the Developer Guide table',
    (_label, health, answered) => {
      const a = authority('weighted', [{ weight: 1 }, { weight: 1 }, { weight: 0 }]);
      health.forEach((h, i) => (a.healthy[i] = h));
      const s = answerShares(a);
      expect(s.slice(0, 3).map((x) => x > 0)).toEqual(answered);
    },
  );

  it('a record without a health check is always healthy', () => {
    const a = authority('weighted', [{ weight: 1, health_check: false }, { weight: 1 }]);
    a.healthy[0] = 0; // the status of a record with no health check is ignored
    a.healthy[1] = 0;
    expect(answerShares(a).slice(0, 2)).toEqual([1, 0]);
  });
});

describe('Route 53 failover routing', () => {
  it('PRIMARY while healthy, SECONDARY when the primary is unhealthy, PRIMARY when both are', () => {
    const a = authority('failover', [{ failover: 'SECONDARY' }, { failover: 'PRIMARY' }]);
    a.answer(0, 0.3);
    expect([a.first, a.second]).toEqual([1, 0]);
    a.healthy[1] = 0;
    a.answer(0, 0.3);
    expect([a.first, a.second]).toEqual([0, NO_ANSWER]);
    a.healthy[0] = 0;
    a.answer(0, 0.3);
    expect(a.first).toBe(1);
  });
});

describe('Route 53 latency-based routing', () => {
  it('the lowest-latency region from the client, the next lowest once it is unhealthy', () => {
    const a = authority(
      'latency',
      [{ region: 'us-east-1' }, { region: 'eu-west-1' }, { region: 'ap-northeast-1' }],
      ['us-west-2', 'eu-central-1', 'ap-southeast-1'],
    );
    // Oregon -> N. Virginia 88.68 ms < Tokyo 89.1 ms < Ireland 137 ms; Frankfurt -> Ireland; Singapore -> Tokyo
    a.answer(0, 0);
    expect([a.first, a.second]).toEqual([0, 2]);
    a.answer(1, 0);
    expect([a.first, a.second]).toEqual([1, 0]);
    a.answer(2, 0);
    expect(a.first).toBe(2);
    a.healthy[0] = 0;
    a.answer(0, 0);
    expect([a.first, a.second]).toEqual([2, 1]);
  });
});

describe('Route 53 geolocation routing', () => {
  it("continent record, default '*' for other continents and when the continent's record is unhealthy", () => {
    const a = authority(
      'geolocation',
      [{ geolocation: 'NA' }, { geolocation: 'EU' }, { geolocation: '*' }],
      ['us-east-1', 'eu-west-1', 'ap-northeast-1'],
    );
    a.answer(0, 0);
    expect([a.first, a.second]).toEqual([0, 2]);
    a.answer(1, 0);
    expect(a.first).toBe(1);
    a.answer(2, 0);
    expect([a.first, a.second]).toEqual([2, NO_ANSWER]);
    a.healthy[1] = 0;
    a.answer(1, 0);
    expect(a.first).toBe(2);
  });

  it('no record for the continent and no default: no answer (NODATA), counted', () => {
    const a = authority(
      'geolocation',
      [{ geolocation: 'NA' }, { geolocation: 'EU' }],
      ['ap-southeast-2'],
    );
    a.answer(0, 0);
    expect(a.first).toBe(NO_ANSWER);
    expect(a.noData).toBe(1);
  });

  it('shares() gives the healthy answer distribution', () => {
    const w = authority('weighted', [{ weight: 3 }, { weight: 1 }]);
    expect(w.shares(0)).toEqual([0.75, 0.25]);
    const g = authority('geolocation', [{ geolocation: 'EU' }, { geolocation: '*' }]);
    expect(g.shares(0)).toEqual([0, 1]);
  });
});
