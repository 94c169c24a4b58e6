/**
 * The labs' experiments, in lab order: each lab's notebook and the command line
 * (`scalelab run NAME`) use the same definitions.
 */
import type { Experiment } from '../experiment/experiment';

export const labExperiments: ReadonlyArray<Experiment<any>> = [];
