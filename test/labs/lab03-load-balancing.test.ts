/**
 * Lab 03's experiments agree with their closed forms inside family-wise confidence intervals
 * (test/labs/agreement.ts): random split = M/M/1 and round robin = E_k/M/1 (mean and p99), health-check
 * detection (HAProxy timing), VRRP downtime, the balancer's M/M/1/K throughput and refusals, L4 pinning
 * arithmetic. (The gateway's pools moved to lab 04: test/labs/lab04-microservices.test.ts.)
 */
import {
  loadBalancingBottleneck,
  loadBalancingFailover,
  loadBalancingCrashTimeline,
  loadBalancingHashing,
  loadBalancingHealthChecks,
  loadBalancingL4VsL7,
  loadBalancingPolicies,
  loadBalancingSlowStart,
  lab03Experiments,
} from '../../lib/labs/lab03-load-balancing';
import { findExperiment } from '../../lib/labs/catalog';
import { checksFor, disagreements, relativeHalfWidth } from './agreement';

type Row = Record<string, unknown>;
const label = (r: Row) =>
  Object.entries(r)
    .filter(([k]) =>
      [
        'scenario',
        'policy',
        'rho',
        'fall',
        'inter',
        'advert_int',
        'rate',
        'layout',
        'mode',
        'connections',
      ].includes(k),
    )
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

describe('lab 03 experiments agree with the closed forms', () => {
  it('are in the catalog under their names (load-balancing-policies among them)', () => {
    for (const e of lab03Experiments) expect(findExperiment(e.name)).toBe(e);
    expect(findExperiment('load-balancing-policies')).toBe(loadBalancingPolicies);
  });

  it('load-balancing-policies: random = M/M/1 and roundrobin = E_k/M/1, mean and p99', async () => {
    const t = await loadBalancingPolicies.run(
      {
        utilisations: [0.5, 0.8],
        policies: ['random', 'roundrobin'],
        scenarios: ['equal'],
        backends: 4,
        requests: 12000,
      },
      { seed: 31, replications: 6 },
    );
    const rows = t.objects() as Row[];
    const checks = [...checksFor(rows, 'W', label), ...checksFor(rows, 'p99', label, 0.01)];
    expect(checks).toHaveLength(8);
    expect(disagreements(checks)).toEqual([]);
    for (const r of rows) expect(relativeHalfWidth(r, 'W')).toBeLessThan(0.15); // intervals tight enough to have power
  });

  it('load-balancing-health-checks: mean detection delay (fall - 1/2) inter + fall min(timeout, inter) (HAProxy src/check.c: the next check starts inter after the previous one ends)', async () => {
    const t = await loadBalancingHealthChecks.run(
      { inters: [1, 2], falls: [1, 3] },
      { seed: 5, replications: 6 },
    );
    expect(disagreements(checksFor(t.objects() as Row[], 'detection', label))).toEqual([]);
  });

  it("load-balancing-slow-start: the returning backend's share follows Envoy's ramp f/(f + 3)", async () => {
    const t = await loadBalancingSlowStart.run({ windows: [30] }, { seed: 12, replications: 4 });
    const rows = (t.objects() as Row[]).filter(
      (r) => typeof r.share_theory === 'number' && (r.t as number) > 40 && (r.t as number) < 72,
    );
    expect(rows).toHaveLength(16);
    const checks = checksFor(rows, 'share', (r) => `t=${r.t}`);
    expect(disagreements(checks)).toEqual([]);
    expect(rows[0].share as number).toBeLessThan(0.05); // 10% of the weight: 1/31 of the requests
  });

  it('load-balancing-failover: downtime Master_Down_Interval - advert_int/2', async () => {
    const t = await loadBalancingFailover.run(
      { advertInts: [0.5, 1, 2] },
      { seed: 3, replications: 12 },
    );
    expect(disagreements(checksFor(t.objects() as Row[], 'downtime', label))).toEqual([]);
  });

  it('load-balancing-bottleneck: throughput and refusals of an M/M/1/K balancer', async () => {
    const t = await loadBalancingBottleneck.run(
      { rates: [500, 1500], requests: 6000 },
      { seed: 2, replications: 5 },
    );
    const rows = t.objects() as Row[];
    expect(
      disagreements([
        ...checksFor(rows, 'X', label),
        ...checksFor(
          rows.filter((r) => (r.rate as number) >= 1000),
          'refused',
          label,
        ),
      ]),
    ).toEqual([]);
  });

  it('load-balancing-crash-timeline: a blackholed host fails requests only after timeout_connect (none in 30-35 s but those inside), a closed port at once; checks see the closed port sooner (HAProxy src/check.c)', async () => {
    const t = await loadBalancingCrashTimeline.run(
      { handling: ['active checks', 'active checks, port closed'] },
      { seed: 6, replications: 2 },
    );
    const rows = t.objects() as Row[];
    const rate = (h: string, from: number, to: number) =>
      rows
        .filter((r) => r.handling === h && (r.t as number) > from && (r.t as number) < to)
        .reduce((a, r) => a + (r.errorRate as number), 0);
    expect(rate('active checks', 31, 35)).toBe(0);
    expect(rate('active checks', 36, 46)).toBeGreaterThan(10 * 0.15); // a quarter of the requests, each bin
    expect(rate('active checks, port closed', 30, 34)).toBeGreaterThan(4 * 0.15);
    expect(rate('active checks, port closed', 38, 56)).toBe(0); // marked down within 6 s
  });

  it('load-balancing-hashing: modulo moves (N-1)/N; Envoy ring_hash, rebuilt, moves more than the fixed HAProxy ring and Maglev', async () => {
    const t = await loadBalancingHashing.run(
      { hosts: [5, 10], keys: 10000 },
      { seed: 2, replications: 3 },
    );
    const rows = t.objects() as Row[];
    expect(
      disagreements(
        checksFor(
          rows.filter((r) => String(r.scheme).startsWith('modulo')),
          'moved',
          (r) => `N=${r.hosts}`,
        ),
      ),
    ).toEqual([]);
    const at = (k: string, n: number) =>
      rows.find((r) => String(r.scheme).startsWith(k) && r.hosts === n)!.moved as number;
    expect(at('ring_hash', 10)).toBeGreaterThan(0.14);
    expect(at('maglev', 10)).toBeLessThan(0.13);
  });

  it('load-balancing-l4-vs-l7: L4 pins (imbalance N/K below N connections), L7 spreads evenly', async () => {
    const t = await loadBalancingL4VsL7.run(
      { connections: [1, 2, 4, 16], requests: 4000 },
      { seed: 4, replications: 2 },
    );
    const rows = t.objects() as Row[];
    const imb = (mode: string, k: number) =>
      rows.find((r) => r.mode === mode && r.connections === k)!.imbalance as number;
    expect(imb('L4', 1)).toBe(8);
    expect(Math.abs(imb('L4', 2) - 4) / 4).toBeLessThan(0.05);
    expect(Math.abs(imb('L4', 4) - 2) / 2).toBeLessThan(0.08);
    for (const k of [1, 2, 4, 16]) expect(imb('L7', k)).toBeLessThan(1.05);
  });
});
