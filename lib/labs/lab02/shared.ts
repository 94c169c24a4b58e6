/**
 * What the lab 02 experiments share: the lab id and the users and completions parameters.
 */
export const lab = '02-think-time-capacity';

export const usersSpec = {
  type: 'numbers',
  default: [1, 10, 20, 30, 40, 50, 60, 80, 100, 120, 150],
  min: 1,
  max: 100000,
  integer: true,
  unit: 'users',
  doc: 'Populations N to simulate.',
} as const;
export const completionsSpec = {
  type: 'integer',
  default: 10000,
  min: 500,
  max: 10_000_000,
  unit: 'requests',
  doc: 'Requests measured per replication (after a warm-up of a tenth as many).',
} as const;
