/**
 * Lab 05, the stateless web tier: what a server crash costs with sessions in server memory, a
 * shared store or a signed token; autoscaling through a flash crowd (Kubernetes HPA, AWS target
 * tracking and step scaling) and the cost of scaling late; the imbalance sticky sessions leave
 * after a scale-out. Every experiment runs the web tier simulator (lib/systems/webtier).
 */
import { autoscaling } from './autoscaling';
import { failoverCapacity } from './failover';
import { statefulImbalance } from './imbalance';
import { sessionsServerLoss } from './sessions';

export { sessionsServerLoss, sessionDeployment, sessionStores, lab05 } from './sessions';
export type { SessionScenario } from './sessions';
export { autoscaling, autoscalingDeployment, autoscalerFor, autoscalerKinds } from './autoscaling';
export type { AutoscalingScenario } from './autoscaling';
export { statefulImbalance } from './imbalance';
export { failoverCapacity, failoverLayouts } from './failover';

/** Every experiment of lab 05, in the notebook's order. */
export const lab05Experiments = [
  sessionsServerLoss,
  autoscaling,
  statefulImbalance,
  failoverCapacity,
] as const;
