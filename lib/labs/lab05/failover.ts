/**
 * failover-capacity: one big server (n times faster) with an active-passive standby against n
 * small servers, each node failing with exponential MTTF/MTTR (the shared FailureProcess). The big
 * pair serves all or nothing: it is down for the failover time d after each failure of the active
 * node (and until a repair when both are down); the small servers lose 1/n of the capacity each.
 * Theory (models-for-new-labs.md; subsystems.md §7.2-7.3): a = MTTF/(MTTF + MTTR); n small: some
 * server up 1 − (1 − a)^n, mean capacity a, full capacity a^n; the pair: unavailable about
 * d/(MTTF + MTTR) + (1 − a)² of the time. N+1 sizing: the n − 1 survivors carry n/(n − 1) of their
 * load, so the small servers' normal utilisation must stay below (n − 1)/n.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Exponential } from '../../random/exponential';
import { Simulation } from '../../sim/simulation';
import { FailureProcess } from '../../systems/common/failures';
import { WebTierSystem } from '../../systems/webtier/system';
import { availability, parallelAvailability } from '../../systems/webtier/theory';
import { lab05 } from './sessions';
import { workOf } from '../../experiment/work';

export const failoverLayouts = ['1 big + standby', 'n small'] as const;

/** Runs one layout; returns time fractions sampled every second. */
function runLayout(
  layout: string,
  n: number,
  mttf: number,
  mttr: number,
  d: number,
  duration: number,
  seed: number,
) {
  const sim = new Simulation({ seed: seed });
  const big = layout === '1 big + standby';
  const w = new WebTierSystem(sim, {
    replicas: big ? 1 : n,
    session_store: 'shared',
    service: Exponential.withMean(big ? 0.1 / n : 0.1),
    balance: 'least_request',
    users: { rate: 0.05 * n, requests_per_session: 10, think_time: 5 },
    failures: big ? undefined : { mttf: mttf, mttr: mttr },
  });
  if (big) {
    // two nodes, A active; the station is the pair's service address
    const st = w.pool.stations[0];
    const up = [true, true];
    let active = 0;
    let pending = -1;
    const promoteH = sim.handler((node) => {
      pending = -1;
      if (!up[node]) return;
      active = node;
      st.recover();
      w.pool.refresh();
    }, 'pair.promote');
    const nodes = [0, 1].map(
      (k) =>
        new FailureProcess(
          sim,
          {
            crash: () => {
              up[k] = false;
              if (k !== active) return;
              st.crash();
              w.pool.refresh();
              const other = 1 - k;
              if (up[other] && pending < 0) pending = sim.schedule(d, promoteH, other);
            },
            recover: () => {
              up[k] = true;
              if (!st.up && pending < 0) pending = sim.schedule(d, promoteH, k);
            },
          },
          { mttf: mttf, mttr: mttr },
          { name: `node${k}` },
        ),
    );
    void nodes;
  }
  let any = 0;
  let cap = 0;
  let full = 0;
  let samples = 0;
  const sample = sim.handler(() => {
    const s = w.pool.serving;
    const c = big ? (s > 0 ? 1 : 0) : s / n;
    samples++;
    if (c > 0) any++;
    cap += c;
    if (c >= 1) full++;
    sim.schedule(1, sample);
  }, 'sample');
  sim.schedule(0.5, sample);
  sim.run({ until: duration });
  const s = w.summary();
  return {
    availability: any / samples,
    meanCapacity: cap / samples,
    fullCapacity: full / samples,
    errorRate: s.errorRate,
  };
}

export const failoverCapacity = defineExperiment({
  name: 'failover-capacity',
  title:
    'Availability and capacity during failures: one big server with a standby vs n small servers',
  description:
    'One server n times faster with an active-passive standby (failover after d seconds), against n small servers behind the balancer; every node fails with exponential MTTF and MTTR. ' +
    'availability: time with some capacity; meanCapacity: time-average share of the full capacity; fullCapacity: time with all of it. Theory: a = MTTF/(MTTF + MTTR); ' +
    'n small: 1 − (1 − a)^n, a, a^n; the pair: 1 − d/(MTTF + MTTR) − (1 − a)² for the first two. N+1: survivors of n carry n/(n − 1) of their load.',
  lab: lab05,
  params: {
    servers: {
      type: 'numbers',
      default: [2, 4, 8],
      min: 2,
      max: 64,
      integer: true,
      doc: 'Small servers n (the big one is n times faster).',
    },
    mttf: {
      type: 'number',
      default: 600,
      min: 1,
      max: 1e7,
      unit: 's',
      doc: 'Mean time to failure of a node.',
    },
    mttr: {
      type: 'number',
      default: 120,
      min: 1,
      max: 1e6,
      unit: 's',
      doc: 'Mean time to repair.',
    },
    failover: {
      type: 'number',
      default: 10,
      min: 0,
      max: 3600,
      unit: 's',
      doc: 'Failover time d of the active-passive pair (detection + promotion).',
    },
    duration: {
      type: 'number',
      default: 12000,
      min: 100,
      max: 1e7,
      unit: 's',
      doc: 'Simulated seconds per replication.',
    },
  },
  replications: 4,
  metrics: {
    availability: 'proportion',
    meanCapacity: 'proportion',
    fullCapacity: 'proportion',
    errorRate: 'proportion',
  },
  precisionMetrics: ['availability', 'meanCapacity', 'fullCapacity'],
  // fullCapacity is worst with 8 small servers (a 23 % share of time at full capacity)
  statedPrecision: { availability: 0.05, meanCapacity: 0.1, fullCapacity: 0.35 },
  units: {
    servers: 'servers',
    availability: 'fraction of time',
    meanCapacity: 'fraction',
    fullCapacity: 'fraction of time',
    errorRate: 'fraction',
  },
  sharedSeedAcross: [],
  points: (p) => failoverLayouts.flatMap((l) => p.servers.map((n) => ({ layout: l, servers: n }))),
  workEstimate: (point, p) =>
    workOf({ duration: p.duration * (1 + 5 * 0.05 * 10 * (point.servers as number)) }),
  simulate: (point, p, seed) =>
    runLayout(
      point.layout as string,
      point.servers as number,
      p.mttf,
      p.mttr,
      p.failover,
      p.duration,
      seed,
    ),
  theory: (point, p) => {
    const a = availability(p.mttf, p.mttr);
    const n = point.servers as number;
    if (point.layout === 'n small')
      return {
        availability_theory: parallelAvailability(a, n),
        meanCapacity_theory: a,
        fullCapacity_theory: Math.pow(a, n),
        survivorLoad: n / (n - 1),
      };
    const pair = 1 - p.failover / (p.mttf + p.mttr) - Math.pow(1 - a, 2);
    return {
      availability_theory: pair,
      meanCapacity_theory: pair,
      fullCapacity_theory: pair,
      survivorLoad: null,
    };
  },
  figures: (t: ColumnTable) => [
    theoryVsSimulation(t, {
      x: 'servers',
      y: 'availability',
      groupBy: 'layout',
      title: 'Time with some capacity',
      xAxis: { title: 'n' },
      yAxis: { title: 'availability' },
    }),
    theoryVsSimulation(t, {
      x: 'servers',
      y: 'meanCapacity',
      groupBy: 'layout',
      title: 'Mean share of the full capacity',
      xAxis: { title: 'n' },
      yAxis: { title: 'capacity share' },
    }),
    theoryVsSimulation(t, {
      x: 'servers',
      y: 'fullCapacity',
      groupBy: 'layout',
      title: 'Time at full capacity',
      xAxis: { title: 'n' },
      yAxis: { title: 'fraction of time' },
    }),
  ],
});
