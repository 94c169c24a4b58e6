/**
 * The stateless web tier (lab 05): servers behind the load balancer's policies, users with
 * sessions kept in server memory, a shared store or a signed token, server and store failures,
 * and autoscaling by the Kubernetes HPA rule or AWS target tracking and step scaling.
 */
export { WebTierSystem, simulateWebTier } from './system';
export {
  resolveWebTierConfig,
  WEBTIER_KEYS,
  STORE_KEYS,
  TOKEN_KEYS,
  PROVISIONING_KEYS,
} from './config';
export type {
  WebTierConfig,
  ResolvedWebTier,
  SessionStore,
  StoreConfig,
  TokenConfig,
  ProvisioningConfig,
  AutoscalerConfig,
} from './config';
export { resolveLoad, flashFactor, LOAD_KEYS } from './load';
export type { LoadConfig, DiurnalConfig, FlashCrowdConfig, ResolvedLoad } from './load';
export {
  hpaDesiredReplicas,
  hpaReplicaCalculator,
  HpaBehavior,
  scaleUpLimit,
  scaleDownLimit,
  resolveHpa,
  HPA_DEFAULT_BEHAVIOR,
  HPA_KEYS,
} from './hpa';
export type { HpaConfig, HpaScalingPolicy, HpaScalingRules, ResolvedHpa, PodSample } from './hpa';
export {
  roundPercentChange,
  stepFor,
  stepChange,
  applyStep,
  targetTrackingCapacity,
  resolveStepScaling,
  resolveTargetTracking,
  TARGET_TRACKING_KEYS,
  STEP_SCALING_KEYS,
} from './aws';
export type {
  TargetTrackingConfig,
  StepScalingConfig,
  StepPolicy,
  StepAdjustment,
  AdjustmentType,
  ResolvedStepPolicy,
} from './aws';
export { ServerPool, OFF, PENDING, WARMING, READY, DRAINING } from './servers';
export { Autoscaler } from './autoscaler';
export type { ScalingActivity } from './autoscaler';
export { Timeline } from './timeline';
export type { TimelineSeries } from './timeline';
export type { WebTierSummary } from './summary';
export {
  activeSessions,
  loggedOutPerCrash,
  evenShareResponse,
  availability,
  parallelAvailability,
  atLeastAvailability,
  steadyReplicas,
} from './theory';
