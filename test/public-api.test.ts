/**
 * The public API as built (dist/index.js through node_modules/scalelab; issue 15 point 6): every
 * lab's experiments reachable by name, the names users and the notebooks rely on kept, the
 * internals kept out. Read in a child Node (loading lib/ under ts-jest would compile all of it).
 */
import * as path from 'path';
import { spawnSync } from 'child_process';

const root = path.resolve(__dirname, '..');

const probe = `
const s = require('scalelab');
const values = new Set([...Object.values(s), ...Object.values(s.measured)]);
const missing = s.labExperiments.filter((e) => !values.has(e)).map((e) => e.name);
console.log(JSON.stringify({ names: Object.keys(s), experiments: s.labExperiments.length, missing }));
`;

let api: { names: string[]; experiments: number; missing: string[] };

beforeAll(() => {
  const r = spawnSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  api = JSON.parse(r.stdout);
});

describe('the public API', () => {
  it("exports every catalog experiment by name (the measured ones through the 'measured' namespace)", () => {
    expect(api.missing).toEqual([]);
    expect(api.experiments).toBeGreaterThan(60);
  });

  it('keeps the flat names and the namespaces users rely on', () => {
    const names = [
      'mm1',
      'mmc',
      'erlangC',
      'mva',
      'serversFor',
      'Simulation',
      'Station',
      'Source',
      'RandomStreams',
      'Exponential',
    ];
    names.push(
      'confidenceInterval',
      'replicate',
      'simulateOpenQueue',
      'simulateClosedNetwork',
      'defineExperiment',
      'runExperiment',
    );
    names.push(
      'theoryVsSimulation',
      'catalog',
      'findExperiment',
      'figure',
      'line',
      'markers',
      'band',
      'panels',
      'show',
      'writeHtml',
    );
    names.push(
      'executeNotebook',
      'exportNotebookHtml',
      'ParameterError',
      'version',
      'latencyVsUtilization',
      'replicationLag',
      'consumerGroupScaling',
    );
    names.push(
      'common',
      'loadbalancer',
      'microservices',
      'webtier',
      'replication',
      'cache',
      'geodns',
      'kafka',
      'storm',
      'airflow',
      'architecture',
      'measured',
    );
    expect(names.filter((n) => !api.names.includes(n))).toEqual([]);
  });

  it('keeps internals out', () => {
    const internals = [
      'fmix32',
      'deriveStream',
      'escapeHtml',
      'escapeNotebookHtml',
      'hashString',
      'jsonForScript',
      'serializeError',
      'deserializeError',
    ];
    internals.push(
      'formatValue',
      'MAX_QUOTED',
      'levenbergMarquardt',
      'erlangBRecurrence',
      'notebooksCommand',
      'setDisplayWriter',
      'findFreeLoopbackPorts',
    );
    expect(internals.filter((n) => api.names.includes(n))).toEqual([]);
  });
});
