/**
 * Lab 01, latency vs utilisation: how long one request takes as load grows, what the mean hides
 * in the tail, one fast server vs several slow ones, and the capacity of n cores. One experiment
 * per file.
 */
import { latencyVsUtilization } from './latency-vs-utilization';
import { verticalVsHorizontal } from './vertical-vs-horizontal';
import { throughputVsCores } from './throughput-vs-cores';
import { serversForTarget } from './servers-for-target';

export { latencyVsUtilization, queueModels } from './latency-vs-utilization';
export { verticalVsHorizontal, serverConfigs } from './vertical-vs-horizontal';
export { throughputVsCores } from './throughput-vs-cores';
export { serversForTarget } from './servers-for-target';

/** Every experiment of lab 01, in the notebook's order. */
export const lab01Experiments = [
  latencyVsUtilization,
  verticalVsHorizontal,
  throughputVsCores,
  serversForTarget,
];
