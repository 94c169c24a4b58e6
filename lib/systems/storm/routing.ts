/**
 * Routing between a Storm topology's components (Storm's TopologyBuilder groupings, [S-gmp]): for
 * every component, stream and sending task, the subscribing components and the grouper that picks
 * their target task: fields, partialKey, all, global, direct (none: the emitter names the task),
 * localOrShuffle (shuffle among the receiver's tasks in the sender's worker, else all of them) and
 * shuffle, each shuffle on a random stream of its own (`storm.<src>.<task>.<dst>.shuffle`).
 */
import type { Simulation } from '../../sim/simulation';
import {
  AllGrouper,
  FieldsGrouper,
  GlobalGrouper,
  PartialKeyGrouper,
  ShuffleGrouper,
} from './groupings';
import type { Grouper } from './groupings';
import type { Executor } from './placement';
import type { ComponentRuntime, Route } from './runtime';

/** The routes of every component, per stream, per sending task (set as each component's `routes`). */
export function buildRoutes(
  sim: Simulation,
  components: ComponentRuntime[],
  executors: readonly Executor[],
): void {
  for (const c of components) {
    c.routes = c.streamNames.map((stream) =>
      c.tasks.map((task) => {
        const routes: Route[] = [];
        for (const sub of components) {
          for (const s of sub.def.inputs) {
            if (s.source !== c.def.id || s.stream !== stream) continue;
            routes.push({
              component: sub.index,
              grouper: grouperFor(sim, executors, c, stream, task, sub, s.grouping, s.fields),
            });
          }
        }
        return routes;
      }),
    );
  }
}

export function grouperFor(
  sim: Simulation,
  executors: readonly Executor[],
  src: ComponentRuntime,
  stream: string,
  task: number,
  sub: ComponentRuntime,
  grouping: string,
  fields: readonly string[],
): Grouper | null {
  const rng = sim.streams.get(`storm.${src.def.id}.${task}.${sub.def.id}.shuffle`);
  const targets = sub.tasks;
  const indices = fields.map((f) => src.def.streams[stream].indexOf(f));
  switch (grouping) {
    case 'fields':
      return new FieldsGrouper(targets, indices);
    case 'partialKey':
      return new PartialKeyGrouper(targets, indices);
    case 'all':
      return new AllGrouper(targets);
    case 'global':
      return new GlobalGrouper(targets);
    case 'direct':
      return null;
    case 'localOrShuffle': {
      const w = executors[taskExecutorOf(executors, task)].worker;
      const local = targets.filter((t) => executors[taskExecutorOf(executors, t)].worker === w);
      return new ShuffleGrouper(local.length > 0 ? local : targets, rng);
    }
    default:
      return new ShuffleGrouper(targets, rng);
  }
}

export function taskExecutorOf(executors: readonly Executor[], task: number): number {
  return executors.findIndex((e) => e.tasks.includes(task));
}
