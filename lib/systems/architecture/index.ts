/**
 * Architectures as data (issue 26): a web application described once (types.ts, JSON Schema
 * schema.json), evaluated analytically (analytic.ts: MVA / open BCMP network, Che's cache
 * approximation) and by simulation on the kernel (simulate.ts), and planned (plan.ts).
 */
export * from './types';
export * from './validate';
export * from './layout';
export * from './analytic';
export * from './async';
export { gammaP, lnGamma, gammaCdfByMoments } from './gamma';
export * from './simulate';
export * from './examples';
export * from './plan';
export { failureEffects, type FailureOptions } from './plan-failures';
export * from './sim-outage';
export { AsyncWork, type AsyncWorkSummary } from './sim-kafka';
export * from './report';
