/**
 * Lab 08's experiments agree with their closed forms inside family-wise confidence intervals
 * (test/labs/agreement.ts): the RTT mixture's mean and p95 for each routing policy, and the
 * failed requests after a site dies, λ·(D + TTL/2) in its renewal form (subsystems.md §7.7).
 */
import { findExperiment } from '../../lib/labs/catalog';
import {
  activeActiveCapacity,
  crossSiteReplication,
  dnsTtlFailover,
  geodnsLatency,
  lab08Experiments,
} from '../../lib/labs/lab08';
import { checksFor, disagreements, relativeHalfWidth } from './agreement';

type Row = Record<string, unknown>;
const label = (r: Row) =>
  Object.entries(r)
    .filter(([k]) =>
      [
        'policy',
        'sites',
        'ttl',
        'request_interval',
        'stretchShare',
        'scenario',
        'rho',
        'mode',
        'region',
      ].includes(k),
    )
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

describe('lab 08 experiments agree with the closed forms', () => {
  it('are in the catalog under their names', () => {
    for (const e of lab08Experiments) expect(findExperiment(e.name)).toBe(e);
    expect(findExperiment('geodns-latency')).toBe(geodnsLatency);
    expect(findExperiment('dns-ttl-failover')).toBe(dnsTtlFailover);
  });

  it('geodns-latency: mean RTT and p95 of the region x answer mixture; more sites help only policies that route by place or latency', async () => {
    const t = await geodnsLatency.run(
      { sites: [1, 3, 4], duration: 40 },
      { seed: 11, replications: 4 },
    );
    const rows = t.objects() as Row[];
    expect(Object.keys(rows[0])).toEqual(
      expect.arrayContaining(['policy', 'sites', 'meanRtt', 'p95Rtt']),
    );
    const deterministic = rows.filter((r) => r.policy !== 'weighted');
    const checks = [
      ...checksFor(rows, 'meanRtt', label),
      ...checksFor(deterministic, 'p95Rtt', label, 0.01),
    ];
    expect(checks).toHaveLength(12 + 9);
    expect(disagreements(checks)).toEqual([]);
    const at = (policy: string, sites: number) =>
      rows.find((r) => r.policy === policy && r.sites === sites)!;
    expect(at('latency', 4).meanRtt as number).toBeLessThan(
      0.3 * (at('latency', 1).meanRtt as number),
    );
    expect(at('failover', 4).meanRtt_theory).toBe(at('failover', 1).meanRtt_theory); // active-passive: the PRIMARY serves everyone
    expect(at('latency', 3).meanRtt_theory as number).toBeLessThan(
      at('geolocation', 3).meanRtt_theory as number,
    ); // Sydney's default is Virginia
  });

  it('dns-ttl-failover: failed requests inside the interval of λ·(D + residual TTL); detection (3 − ½)·interval', async () => {
    const t = await dnsTtlFailover.run(
      { ttls: [10, 60], requestIntervals: [10, 30], stretchShares: [0] },
      { seed: 5, replications: 10 },
    );
    const rows = t.objects() as Row[];
    expect(Object.keys(rows[0])).toEqual(
      expect.arrayContaining(['ttl', 'detection', 'failedRequests', 'recoveryTime']),
    );
    const checks = [
      ...checksFor(rows, 'failedRequests', label),
      ...checksFor(rows, 'detected', label),
    ];
    expect(checks).toHaveLength(8);
    expect(disagreements(checks)).toEqual([]);
    for (const r of rows) expect(relativeHalfWidth(r, 'failedRequests')).toBeLessThan(0.15);
  });

  it('active-active-capacity: survivors at ρ·k/(k − 1), each an M/M/c queue there (N+1)', async () => {
    const t = await activeActiveCapacity.run(
      { sites: [3], utilisations: [0.4, 0.6], duration: 100 },
      { seed: 7, replications: 4 },
    );
    const rows = t.objects() as Row[];
    const checks = [
      ...checksFor(rows, 'utilisation', label),
      ...checksFor(rows, 'meanLatency', label),
    ];
    expect(checks).toHaveLength(8);
    expect(disagreements(checks)).toEqual([]);
    const down = rows.find((r) => r.scenario === 'one site down' && r.rho === 0.6)!;
    expect(down.utilisation_theory as number).toBeCloseTo(0.9, 12);
  });

  it('cross-site-replication: lag d + M/M/1 apply sojourn, write latency + one RTT when semisync or sync, lost writes about λ·d', async () => {
    const t = await crossSiteReplication.run(
      { regions: ['eu-west-1', 'ap-southeast-2'] },
      { seed: 3, replications: 8 },
    );
    const rows = t.objects() as Row[];
    const checks = ['lag', 'writeLatency', 'lostAcknowledged', 'lostUnacknowledged'].flatMap((y) =>
      checksFor(
        rows.filter((r) => (r[`${y}_theory`] as number) > 0),
        y,
        label,
      ),
    );
    expect(checks).toHaveLength(6 + 6 + 2 + 4);
    expect(disagreements(checks)).toEqual([]);
  });
});
