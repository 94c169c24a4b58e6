/**
 * Lab 12, scaling a web application end to end: one architecture grown in eight steps, each
 * evaluated by the analytic model and by simulation (lib/systems/architecture).
 */
import { webAppScaling } from './web-app-scaling';

export { webAppScaling } from './web-app-scaling';
export { scalingSteps, architecturesDir, lab12 } from './steps';

/** Every experiment of lab 12, in the notebook's order. */
export const lab12Experiments = [webAppScaling] as const;
