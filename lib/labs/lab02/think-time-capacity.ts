/**
 * Lab 02, think-time-capacity: a closed system of N users who each think for Z seconds between
 * requests; throughput and response time vs N from exact MVA (Reiser & Lavenberg 1980), from
 * simulation and from the asymptotic bounds with their knee N* = (D + Z)/D.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../../experiment/experiment';
import { theoryVsSimulation } from '../../experiment/figures';
import { line, figure, integerTicks } from '../../plot/builders';
import type { Figure, Trace } from '../../plot/types';
import { Exponential } from '../../random/exponential';
import { mva } from '../../queueing/mva';
import { closedNetworkBounds } from '../../queueing/bounds';
import { runLength, thinkTimeOf } from '../scenarios';
import { simulateCheckedNetwork } from './checked-network';
import { lab, usersSpec, completionsSpec } from './shared';

export const thinkTimeCapacity = defineExperiment({
  name: 'think-time-capacity',
  title: 'Throughput and response time vs users, with think time',
  description:
    'N users each send a request, wait for the answer, think for Z seconds (exponential), and send the next. The server takes D seconds per request (exponential). ' +
    'Exact MVA gives X(N) and R(N); the asymptotic bounds X <= min(N/(D + Z), 1/D) and R >= max(D, N D - Z) meet at the knee N* = (D + Z)/D. ' +
    'Below N* users are added almost for free; past it throughput is flat at 1/D and every extra user adds D seconds to everyone’s response time. The simulation checks the response-time law R = N/X - Z.',
  lab,
  params: {
    users: usersSpec,
    thinkTimes: {
      type: 'numbers',
      default: [2, 5, 10],
      min: 0,
      max: 1e6,
      unit: 's',
      doc: 'Mean think times Z to compare.',
    },
    serviceDemand: {
      type: 'number',
      default: 0.1,
      min: 0,
      minOpen: true,
      max: 3600,
      unit: 's',
      doc: 'Mean service demand D of one request at the server.',
    },
    completions: completionsSpec,
  },
  replications: 5,
  metrics: { X: 'nonNegative', R: 'nonNegative', R_law: 'real', U: 'proportion' },
  precisionMetrics: ['X', 'R'],
  statedPrecision: { X: 0.05, R: 0.15 },
  exactTheory: ['X', 'R'],
  units: {
    Z: 's',
    N: 'users',
    X: 'requests/s',
    R: 's',
    R_law: 's',
    U: 'fraction',
    X_bound: 'requests/s',
    R_bound: 's',
    Nstar: 'users',
  },
  // closed networks cannot grow without bound (N users bound the queue), so no overload flag here
  workEstimate: (point, p) => ({
    events: 1.1 * p.completions * 3 + (point.N as number),
    parameter: 'completions',
  }),
  points: (p) => p.thinkTimes.flatMap((Z) => p.users.map((N) => ({ Z: Z, N: N }))),
  simulate: (point, p, seed) => {
    const N = point.N as number;
    const Z = point.Z as number;
    const x = mva({ stations: [{ demand: p.serviceDemand }], users: N, thinkTime: Z }).throughput;
    const s = simulateCheckedNetwork({
      users: N,
      think: thinkTimeOf(Z),
      stations: [{ name: 'server', service: new Exponential(1 / p.serviceDemand) }],
      ...runLength(p.completions, x),
      seed,
    });
    // the interactive response-time law applied to the simulated throughput and the think time observed
    return { X: s.X, R: s.R, R_law: N / s.X - s.Z, U: s.U[0], warmupTruncated: s.warmupTruncated };
  },
  theory: (point, p) => {
    const N = point.N as number;
    const Z = point.Z as number;
    const m = mva({ stations: [{ demand: p.serviceDemand }], users: N, thinkTime: Z });
    const b = closedNetworkBounds({ demands: [p.serviceDemand], thinkTime: Z, users: N });
    return {
      X_theory: m.throughput,
      R_theory: m.responseTime,
      R_law_theory: m.responseTime,
      U_theory: m.U[0],
      X_bound: b.aba.X.upper,
      R_bound: b.aba.R.lower,
      Nstar: b.Nstar,
    };
  },
  figures: (t: ColumnTable, p) => thinkTimeFigures(t, p.serviceDemand),
});

/**
 * Adds each group's asymptotic bound as a dotted line to a theory-vs-simulation figure. The bound is
 * piecewise linear with its knee at N* = (D + Z)/D, where it takes `kneeValue` (X = 1/D, R = D):
 * the knee is drawn where it is, not cut off by a chord between the users simulated either side.
 */
function withBounds(fig: Figure, t: ColumnTable, column: string, kneeValue: number): Figure {
  const rows = t.objects() as Array<Record<string, number>>;
  const groups = Array.from(new Set(rows.map((r) => r.Z)));
  const extra: Trace[] = groups.map((Z) => {
    const rs = rows.filter((r) => r.Z === Z);
    const pts = rs.map((r) => [r.N, r[column]]);
    const knee = rs[0]?.Nstar;
    if (
      knee !== undefined &&
      knee > pts[0][0] &&
      knee < pts[pts.length - 1][0] &&
      !pts.some(([n]) => n === knee)
    ) {
      pts.splice(
        pts.findIndex(([n]) => n > knee),
        0,
        [knee, kneeValue],
      );
    }
    return line(
      pts.map((q) => q[0]),
      pts.map((q) => q[1]),
      { name: `Z = ${Z}: asymptotic bound`, group: `Z = ${Z}`, dash: 'dot', width: 1.5 },
    );
  });
  const out = figure([...fig.data, ...extra], {
    title: fig.layout.title?.text,
    x: { title: 'users N' },
    y: { title: fig.layout.yaxis?.title?.text },
    height: fig.layout.height,
  });
  out.layout.xaxis = { ...out.layout.xaxis, ...integerTicks(rows.map((r) => r.N)) }; // ticks at the users simulated, not at the knees
  return out;
}

function thinkTimeFigures(t: ColumnTable, demand: number): Figure[] {
  const zLabel = t.derive({ group: (d: { Z: number }) => 'Z = ' + d.Z });
  const X = theoryVsSimulation(zLabel, {
    x: 'N',
    y: 'X',
    groupBy: 'group',
    theoryLabel: 'MVA',
    title: 'Throughput vs users (MVA, simulation, bounds)',
    xAxis: { title: 'users N' },
    yAxis: { title: 'throughput X (requests/s)' },
  });
  const R = theoryVsSimulation(zLabel, {
    x: 'N',
    y: 'R',
    groupBy: 'group',
    theoryLabel: 'MVA',
    title: 'Response time vs users',
    xAxis: { title: 'users N' },
    yAxis: { title: 'response time R (s)' },
  });
  const law = theoryVsSimulation(zLabel, {
    x: 'N',
    y: 'R_law',
    groupBy: 'group',
    theoryLabel: 'MVA R',
    simulationLabel: 'N/X − Z from the simulation',
    title: 'The response-time law R = N/X − Z, checked on the simulation',
    xAxis: { title: 'users N' },
    yAxis: { title: 'R (s)' },
  });
  return [
    withBounds(X, zLabel.rename({ X_bound: 'bound' }), 'bound', 1 / demand),
    withBounds(R, zLabel.rename({ R_bound: 'bound' }), 'bound', demand),
    law,
  ];
}
