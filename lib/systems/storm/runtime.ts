/**
 * What the Storm cluster keeps per component at run time (its tasks, stream names, routes per
 * stream and sending task, execute latency, nextTuple stream) and the kinds of its kernel jobs: a
 * tuple to execute, and the acker's messages (init, ack, fail) and the spout's (complete, failed).
 */
import type { Distribution } from '../../random/distribution';
import type { Rng } from '../../random/xoshiro128';
import type { Grouper } from './groupings';
import type { ComponentDef } from './topology';

// job kinds
export const K_TUPLE = 0;
export const K_INIT = 1;
export const K_ACK = 2;
export const K_FAIL = 3;
export const K_COMPLETE = 4;
export const K_FAILED = 5;

/** One subscription route from a sending task's stream: the grouper, or null for direct. */
export interface Route {
  component: number;
  grouper: Grouper | null;
}

export interface ComponentRuntime {
  def: ComponentDef;
  index: number;
  tasks: number[];
  streamNames: string[];
  /** Routes per stream index, per sending task (by position in tasks). */
  routes: Route[][][];
  executeLatency: Distribution | null;
  /** Stream of the spout's nextTupleInterval draws (`storm.<id>.nextTuple`). */
  intervalRng: Rng;
}
