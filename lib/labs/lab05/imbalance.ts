/**
 * stateful-imbalance: 4 servers scaled out to 8 at once (provisioning and warm-up 0). With sticky
 * in-memory sessions only new logins reach the new servers, so they fill as the old sessions
 * end; stateless routing (a shared store) spreads every request at once.
 * Theory: a session alive at the scale-out has a geometric number of requests left (mean k), so
 * the old sessions decay as e^(−τ/(k·Z)) (think times dominate the session); with A sessions in
 * all, a new server gets (1 − e^(−τ/kZ))/8 of the requests and an old one e^(−τ/kZ)/4 + (1 − e^(−τ/kZ))/8,
 * each averaged over its bin; stateless: 1/8 each.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import type { Observation } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { Exponential } from '../../random/exponential';
import { Simulation } from '../../sim/simulation';
import { WebTierSystem } from '../../systems/webtier/system';
import { lab05, sessionStores } from './sessions';
import { workOf } from '../../experiment/work';

/** Mean of e^(−τ/c) over [a, b]. */
function meanDecay(a: number, b: number, c: number): number {
  return (c * (Math.exp(-a / c) - Math.exp(-b / c))) / (b - a);
}

export const statefulImbalance = defineExperiment({
  name: 'stateful-imbalance',
  title: 'Load per server after a scale-out from 4 to 8: sticky sessions vs stateless routing',
  description:
    'Sessions at λ per second (k requests, think Z) on 4 servers; at t = 600 s four more start serving at once. Sticky in-memory sessions keep their server, so the new ones get only new logins ' +
    'and fill over a few k·Z; with a shared store every request is balanced (round robin) over all 8 at once. Rows are bins after the scale-out; shareNew is the share of requests one new server ' +
    'answers, shareOld one old server. Theory: (1 − e^(−τ/kZ))/8 and e^(−τ/kZ)/4 + (1 − e^(−τ/kZ))/8 with stickiness, 1/8 without.',
  lab: lab05,
  params: {
    stores: {
      type: 'choices',
      default: ['sticky in-memory', 'shared store'],
      choices: Object.keys(sessionStores),
      doc: 'Where sessions live.',
    },
    rate: {
      type: 'number',
      default: 4,
      min: 0,
      minOpen: true,
      max: 1000,
      unit: 'sessions/s',
      doc: 'Session arrival rate λ.',
    },
    requests: {
      type: 'number',
      default: 10,
      min: 1,
      max: 1000,
      doc: 'Mean requests per session k.',
    },
    think: { type: 'number', default: 5, min: 0.1, max: 600, unit: 's', doc: 'Mean think time Z.' },
    bin: { type: 'number', default: 20, min: 1, max: 600, unit: 's', doc: 'Bin width.' },
    horizon: {
      type: 'number',
      default: 300,
      min: 10,
      max: 1e5,
      unit: 's',
      doc: 'Seconds followed after the scale-out.',
    },
  },
  replications: 5,
  metrics: { shareNew: 'proportion', shareOld: 'proportion' },
  precisionMetrics: ['shareNew', 'shareOld'],
  // shareNew is worst at the shortest session lifetime (tau 10 s, a 3 % share); the median row is ±0.5 %
  statedPrecision: { shareNew: 0.4, shareOld: 0.15 },
  units: { shareNew: 'fraction of requests', shareOld: 'fraction of requests', t: 's' },
  sharedSeedAcross: ['sessionStore'],
  points: (p) => p.stores.map((s) => ({ sessionStore: s })),
  workEstimate: (_point, p) =>
    workOf({ 'rate × horizon': 5 * p.rate * p.requests * (600 + p.horizon) }),
  simulate: (point, p, seed) => {
    const at = 600;
    const sim = new Simulation({ seed: seed });
    const w = new WebTierSystem(sim, {
      replicas: 4,
      session_store: sessionStores[point.sessionStore as string],
      service: Exponential.withMean(0.02),
      balance: 'roundrobin',
      users: { rate: p.rate, requests_per_session: p.requests, think_time: p.think },
      provisioning: { delay: 0, warmup: 0 },
      schedule: [{ at: at, replicas: 8 }],
    });
    sim.run({ until: at });
    const rows: Observation[] = [];
    const st = w.pool.stations;
    let last = st.map((s) => s.departures);
    for (let b = 0; b * p.bin < p.horizon; b++) {
      sim.run({ until: at + (b + 1) * p.bin });
      const now = st.map((s) => s.departures);
      const d = now.map((x, i) => x - last[i]);
      const total = d.reduce((a, x) => a + x, 0);
      last = now;
      const sticky = point.sessionStore === 'sticky in-memory';
      const old = meanDecay(b * p.bin, (b + 1) * p.bin, p.requests * p.think);
      rows.push({
        tau: (b + 0.5) * p.bin,
        shareNew_theory: sticky ? (1 - old) / 8 : 1 / 8,
        shareOld_theory: sticky ? old / 4 + (1 - old) / 8 : 1 / 8,
        shareNew: total > 0 ? d.slice(4).reduce((a, x) => a + x, 0) / 4 / total : 0,
        shareOld: total > 0 ? d.slice(0, 4).reduce((a, x) => a + x, 0) / 4 / total : 0,
      });
    }
    return rows;
  },
  figures: (t: ColumnTable) => {
    return [
      theoryVsSimulation(t, {
        x: 'tau',
        y: 'shareNew',
        groupBy: 'sessionStore',
        title: 'Share of the requests one NEW server answers after the scale-out',
        xAxis: { title: 'seconds after the scale-out' },
        yAxis: { title: 'share of requests', range: [0, 0.3] },
      }),
      theoryVsSimulation(t, {
        x: 'tau',
        y: 'shareOld',
        groupBy: 'sessionStore',
        title: 'Share of the requests one OLD server answers after the scale-out',
        xAxis: { title: 'seconds after the scale-out' },
        yAxis: { title: 'share of requests', range: [0, 0.3] },
      }),
    ];
  },
});
