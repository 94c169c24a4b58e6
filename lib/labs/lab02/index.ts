/**
 * Lab 02, think-time capacity: a closed system of N users who each think for Z seconds between
 * requests. Throughput and response time vs N from exact MVA, from simulation and from the
 * asymptotic bounds with their knee N*; and what moving the database to its own tier buys. One
 * experiment per file.
 */
import { thinkTimeCapacity } from './think-time-capacity';
import { tierSeparation } from './tier-separation';

export { thinkTimeCapacity } from './think-time-capacity';
export { tierSeparation, tierConfigs } from './tier-separation';

/** Every experiment of lab 02, in the notebook's order. */
export const lab02Experiments = [thinkTimeCapacity, tierSeparation];
