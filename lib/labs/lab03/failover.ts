/**
 * Lab 03, load-balancing-failover: VRRP downtime Master_Down_Interval − U·advert_int (3 ×
 * advert_int + skew; keepalived's default VRRPv2, RFC 3768 §6.1: skew (256 − priority)/256 s;
 * VRRPv3, RFC 5798 §6.1: (256 − priority)·advert_int/256), on average Master_Down_Interval −
 * advert_int/2.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { line } from '../../plot/builders';
import { Exponential } from '../../random/exponential';
import { simulateLoadBalancer } from '../../systems/loadbalancer/system';
import { masterDownInterval } from '../../systems/loadbalancer/vrrp';
import { lab, rowsOf } from './shared';
import { openLoadWork } from '../../experiment/work';

export const loadBalancingFailover = defineExperiment({
  name: 'load-balancing-failover',
  title: 'Active-passive balancer pair: failover downtime vs VRRP advertisement interval',
  description:
    'Two balancers share a virtual address with VRRP (keepalived). When the master dies the backup takes over when it has heard no advertisement for ' +
    "Master_Down_Interval = 3 x advert_int + skew, skew = (256 - priority)/256 s with VRRPv2, keepalived's default (RFC 3768; VRRPv3, RFC 5798, scales it by advert_int): 3.609 s for 1 s and priority 100. " +
    'The crash falls uniformly between advertisements, so the downtime is that interval minus U x advert_int: on average Master_Down_Interval - advert_int/2. ' +
    'Every request sent meanwhile fails, and so does every answer in flight through the dead balancer.',
  lab,
  params: {
    advertInts: {
      type: 'numbers',
      default: [0.1, 0.25, 0.5, 1, 2, 3],
      min: 0.01,
      max: 255,
      unit: 's',
      doc: 'keepalived `advert_int` values (default 1 s).',
    },
    priority: {
      type: 'integer',
      default: 100,
      min: 1,
      max: 254,
      doc: "The backup's VRRP `priority` (default 100).",
    },
    version: {
      type: 'choice',
      default: '2',
      choices: ['2', '3'],
      doc: "VRRP version: 2 (keepalived's default `vrrp_version`, RFC 3768) or 3 (RFC 5798).",
    },
    rate: {
      type: 'number',
      default: 50,
      min: 0,
      minOpen: true,
      max: 1e6,
      unit: 'req/s',
      doc: 'Requests per second.',
    },
  },
  replications: 10,
  metrics: { downtime: 'nonNegative', failed: 'count' },
  precisionMetrics: ['downtime'],
  statedPrecision: { downtime: 0.15 },
  units: { advert_int: 's', downtime: 's', failed: 'requests' },
  points: (p) => p.advertInts.map((a) => ({ advert_int: a })),
  // the run lasts crash + 3 advert_int + 20 s, crash = 20 + 10 advert_int; two events per advertisement
  workEstimate: (point, p) => {
    const a = point.advert_int as number;
    return openLoadWork(p.rate, 40 + 13 * a, 4, 'rate', { advert_int: (2 * (40 + 13 * a)) / a });
  },
  simulate: (point, p, seed) => {
    const a = point.advert_int as number;
    const crash = 20 + 10 * a; // the phase of the advertisements is random per replication
    const s = simulateLoadBalancer(
      {
        mode: 'L7',
        clients: { model: 'open', rate: p.rate },
        balancer: {
          failures: [{ at: crash, duration: 1000 }],
          pair: { advert_int: a, priority: p.priority, version: Number(p.version) as 2 | 3 },
        },
        pools: [{ name: 'web', backends: 4, service: new Exponential(100) }],
      },
      { seed: seed, duration: crash + 3 * a + 20 },
    );
    return { downtime: s.failovers[0].downtime, failed: s.failures.balancer };
  },
  theory: (point, p) => {
    const a = point.advert_int as number;
    const mdi = masterDownInterval(a, p.priority, Number(p.version) as 2 | 3);
    return {
      downtime_theory: mdi - a / 2,
      failed_theory: p.rate * (mdi - a / 2),
      downtime_max: mdi,
    };
  },
  figures: (t: ColumnTable) => {
    const f = theoryVsSimulation(t, {
      x: 'advert_int',
      y: 'downtime',
      title: 'Failover downtime of the VRRP pair',
      xAxis: { title: 'advert_int (s)' },
      yAxis: { title: 'time without a master (s)', fromZero: true },
    });
    const rows = rowsOf(t);
    f.data.push(
      line(
        rows.map((r) => r.advert_int as number),
        rows.map((r) => r.downtime_max as number),
        { name: 'Master_Down_Interval (worst case)', color: '#000000', dash: 'dot' },
      ),
    );
    return [
      f,
      theoryVsSimulation(t, {
        x: 'advert_int',
        y: 'failed',
        title: 'Requests failed per failover',
        xAxis: { title: 'advert_int (s)' },
        yAxis: { title: 'failed requests', fromZero: true },
      }),
    ];
  },
});
