/**
 * geodns-latency: the clients' round-trip time to the site that serves them, for each Route 53
 * routing policy, with one site or several. Clients in six AWS regions (rates are parameters, not
 * data), sites added in a fixed order (N. Virginia, Ireland, Tokyo, Sydney); RTTs from the
 * published inter-region matrix (data/geodns). The theory is exact: each region's share of the
 * requests times the policy's answer shares is a discrete mixture of RTTs, whose mean and 95th
 * percentile are the lines.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Exponential } from '../../random/exponential';
import {
  type GeoDnsConfig,
  ROUTING_POLICIES,
  type RoutingPolicy,
} from '../../systems/geodns/config';
import type { Continent } from '../../systems/geodns/rtt';
import { simulateGeoDns } from '../../systems/geodns/system';
import { mixtureMean, mixtureQuantile, rttMixture } from '../../systems/geodns/theory';
import { openLoadWork } from '../../experiment/work';

export const lab08 = '08-multi-datacenter-geodns';

/** Client regions of the lab and the sites in the order they are added, with their geolocation records. */
export const geoClientRegions = [
  'us-east-1',
  'us-west-2',
  'eu-west-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
] as const;
export const geoSites: ReadonlyArray<{
  name: string;
  region: string;
  geolocation: Continent | '*';
}> = [
  { name: 'virginia', region: 'us-east-1', geolocation: '*' }, // the default record also serves North America
  { name: 'ireland', region: 'eu-west-1', geolocation: 'EU' },
  { name: 'tokyo', region: 'ap-northeast-1', geolocation: 'AS' },
  { name: 'sydney', region: 'ap-southeast-2', geolocation: 'OC' },
];

/** The lab's deployment: the first `sites` sites, each with `servers` servers of mean service `serviceTime`. */
export function geoDeployment(o: {
  policy: RoutingPolicy;
  sites: number;
  rates: readonly number[];
  servers: number;
  serviceTime: number;
  ttl: number;
  accessRtt: number;
}): GeoDnsConfig {
  return {
    regions: geoClientRegions.map((name, i) => ({ name: name, rate: o.rates[i] })),
    datacenters: geoSites.slice(0, o.sites).map((s, i) => ({
      name: s.name,
      region: s.region,
      servers: o.servers,
      service: new Exponential(1 / o.serviceTime),
      geolocation: s.geolocation,
      weight: 1,
      failover: i === 0 ? ('PRIMARY' as const) : ('SECONDARY' as const),
    })),
    routing: { policy: o.policy, ttl: o.ttl },
    accessRtt: o.accessRtt,
  };
}

export const geodnsLatency = defineExperiment({
  name: 'geodns-latency',
  title: 'Client round-trip time by routing policy, one site vs several',
  description:
    'Clients in six AWS regions reach 1 to 4 sites (N. Virginia, then Ireland, Tokyo, Sydney) through Route 53: geolocation (continent records, N. Virginia the default), ' +
    'latency-based (lowest RTT from the client region), weighted (equal weights) and failover (N. Virginia PRIMARY, the rest SECONDARY: active-passive). ' +
    'RTTs are the published AWS inter-region means (data/geodns). Theory: the exact mixture of region shares x answer shares; meanLatency adds the time in the datacenter.',
  lab: lab08,
  params: {
    policies: {
      type: 'choices',
      default: [...ROUTING_POLICIES],
      choices: ROUTING_POLICIES,
      doc: 'Route 53 routing policies.',
    },
    sites: {
      type: 'numbers',
      default: [1, 2, 3, 4],
      min: 1,
      max: 4,
      integer: true,
      doc: 'Number of sites (added in the order N. Virginia, Ireland, Tokyo, Sydney).',
    },
    rates: {
      type: 'numbers',
      default: [30, 12, 25, 15, 10, 8],
      min: 0,
      minOpen: true,
      max: 100000,
      minLength: 6,
      maxLength: 6,
      unit: 'req/s',
      doc: 'Request rates of the clients in us-east-1, us-west-2, eu-west-1, ap-northeast-1, ap-southeast-1, ap-southeast-2 (an illustrative mix, not data).',
    },
    servers: {
      type: 'integer',
      default: 24,
      min: 1,
      max: 10000,
      unit: 'servers',
      doc: 'Servers per site.',
    },
    serviceTime: {
      type: 'number',
      default: 0.1,
      min: 0,
      minOpen: true,
      max: 60,
      unit: 's',
      doc: 'Mean service time of a request (exponential).',
    },
    ttl: { type: 'number', default: 60, min: 0, max: 86400, unit: 's', doc: 'Record TTL.' },
    accessRtt: {
      type: 'number',
      default: 0,
      min: 0,
      max: 1,
      unit: 's',
      doc: 'Access-network RTT added to every request (no published default: 0).',
    },
    duration: {
      type: 'number',
      default: 120,
      min: 1,
      max: 1e6,
      unit: 's',
      doc: 'Measured seconds per replication.',
    },
  },
  replications: 3,
  metrics: {
    meanRtt: 'nonNegative',
    p95Rtt: 'quantile',
    meanLatency: 'nonNegative',
    overloaded: 'proportion',
  },
  precisionMetrics: ['meanRtt', 'p95Rtt'],
  // meanRtt is worst under weighted routing (a client's site is a draw); p95Rtt is a site's fixed RTT
  statedPrecision: { meanRtt: 0.2, p95Rtt: 0.05 },
  units: { sites: 'sites', meanRtt: 'ms', p95Rtt: 'ms', meanLatency: 'ms' },
  sharedSeedAcross: ['policy'],
  points: (p) =>
    p.policies.flatMap((policy) => p.sites.map((sites) => ({ policy: policy, sites: sites }))),
  workEstimate: (_point, p) =>
    openLoadWork(
      p.rates.reduce((sum, r) => sum + r, 0),
      p.duration + 10,
      5,
      'rates × duration',
    ),
  simulate: (point, p, seed) => {
    const s = simulateGeoDns(
      geoDeployment({ ...p, policy: point.policy as RoutingPolicy, sites: point.sites as number }),
      { seed: seed, duration: p.duration, warmup: 10 },
    );
    return {
      meanRtt: s.rtt.mean * 1000,
      p95Rtt: s.rtt.p95 * 1000,
      meanLatency: s.latency.mean * 1000,
      overloaded: s.overloaded ? 1 : 0,
    };
  },
  theory: (point, p) => {
    const mix = rttMixture(
      geoDeployment({ ...p, policy: point.policy as RoutingPolicy, sites: point.sites as number }),
    );
    return {
      meanRtt_theory: mixtureMean(mix) * 1000,
      p95Rtt_theory: mixtureQuantile(mix, 0.95) * 1000,
    };
  },
  figures: (t: ColumnTable) => {
    const figs = [
      theoryVsSimulation(t, {
        x: 'sites',
        y: 'meanRtt',
        groupBy: 'policy',
        title: 'Mean client RTT by routing policy',
        xAxis: { title: 'sites' },
        yAxis: { title: 'mean RTT (ms)' },
      }),
      theoryVsSimulation(t, {
        x: 'sites',
        y: 'p95Rtt',
        groupBy: 'policy',
        title: '95th-percentile client RTT by routing policy',
        xAxis: { title: 'sites' },
        yAxis: { title: 'p95 RTT (ms)' },
      }),
    ];
    for (const f of figs) if (f.layout.xaxis) f.layout.xaxis.dtick = 1; // whole numbers of sites
    return figs;
  },
});
