/**
 * What a StormCluster builds from its resolved topology before it runs: each component's runtime
 * (tasks, stream names, execute latency, its `storm.<id>.nextTuple` stream) with each task's
 * component and position in it, and, once the executors are placed (./placement.ts), each
 * executor's kernel Station: one server, FIFO, a bounded receive queue of
 * topology.executor.receive.buffer.size, its component's execute latency (the ackers' own, 0.1 ms
 * when a bolt declares none), tuples lost when it crashes. Spout executors have no queue (null).
 */
import { Deterministic } from '../../random/deterministic';
import { Station } from '../../sim/station';
import type { StormCluster } from './cluster';
import type { BoltSpec } from './topology';

/** Adds a runtime per component of the topology, and sets each task's component and position. */
export function addComponents(cl: StormCluster): void {
  const sim = cl.sim;
  const topo = cl.config.topology;
  topo.components.forEach((def, index) => {
    const tasks = [...topo.tasks[def.id]];
    cl.componentIndex.set(def.id, index);
    const lat = def.kind === 'bolt' ? ((def.spec as BoltSpec).executeLatency ?? null) : null;
    cl.components.push({
      def,
      index,
      tasks,
      streamNames: Object.keys(def.streams),
      routes: [],
      executeLatency: lat,
      intervalRng: sim.streams.get(`storm.${def.id}.nextTuple`),
    });
    tasks.forEach((t, i) => {
      cl.taskComp[t] = index;
      cl.taskPos[t] = i;
    });
  });
}

/** Sets each task's executor and adds each executor's Station (null for a spout's), served jobs going `to`. */
export function addExecutorStations(cl: StormCluster, to: { accept(job: number): void }): void {
  const sim = cl.sim;
  const config = cl.config;
  const defaultLatency = new Deterministic(0.0001);
  cl.executors.forEach((e, ei) => {
    for (const t of e.tasks) cl.taskExec[t] = ei;
    const comp =
      e.component === '__acker'
        ? null
        : cl.components[cl.componentIndex.get(e.component) as number];
    if (comp !== null && comp.def.kind === 'spout') {
      cl.stations.push(null);
      return;
    }
    const dist =
      comp === null ? config.ackerExecuteLatency : (comp.executeLatency ?? defaultLatency);
    const name = `storm.${e.component}.executor${ei}`;
    cl.stations.push(
      new Station(sim, {
        name,
        service: dist,
        servers: 1,
        capacity: config.receiveBufferSize,
        to: to,
        onCrash: 'lose',
        quantiles: false,
      }),
    );
  });
}
