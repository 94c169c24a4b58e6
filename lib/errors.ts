/**
 * Typed errors shared by every part of scalelab.
 *
 * Bad input never produces a silent NaN: it throws a {@link ParameterError} naming the
 * parameter, the value it got and the range it accepts, e.g.
 * `ParameterError: mu = -1 is out of range: must be a finite number > 0`.
 */

/** An input outside its valid domain. `parameter`, `value` and `expected` are machine-readable. */
export class ParameterError extends RangeError {
  override readonly name = 'ParameterError';
  constructor(
    readonly parameter: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${parameter} = ${formatValue(value)} is out of range: ${expected}`);
  }
}

/** An open queueing system whose offered load is at or above its capacity (utilisation >= 1). */
export class UnstableSystemError extends RangeError {
  override readonly name = 'UnstableSystemError';
  constructor(
    readonly utilisation: number,
    readonly detail: string = '',
  ) {
    super(
      `unstable system: utilisation ${formatValue(utilisation)} >= 1${detail ? ` (${detail})` : ''}; ` +
        'an open queue has no steady state there, so no mean is reported',
    );
  }
}

/** Longest quoted input in a message: longer values are cut to a prefix (a message never echoes 100 KB). */
export const MAX_QUOTED = 80;

export function formatValue(value: unknown): string {
  if (typeof value === 'string') {
    const s = JSON.stringify(value);
    return s.length > MAX_QUOTED
      ? `${s.slice(0, MAX_QUOTED - 4)}..." (${value.length} characters)`
      : s;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  try {
    const s = JSON.stringify(value);
    if (s === undefined) return String(value);
    return s.length > MAX_QUOTED ? s.slice(0, MAX_QUOTED - 3) + '...' : s;
  } catch {
    return String(value);
  }
}

/** Throws unless `value` is a finite number (not NaN, not +-Infinity). Returns it typed. */
export function requireFinite(parameter: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ParameterError(parameter, value, 'must be a finite number');
  }
  return value;
}

/** Throws unless `value` is a finite number > 0. */
export function requirePositive(parameter: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ParameterError(parameter, value, 'must be a finite number > 0');
  }
  return value;
}

/** Throws unless `value` is a finite number >= 0. */
export function requireNonNegative(parameter: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ParameterError(parameter, value, 'must be a finite number >= 0');
  }
  return value;
}

/** Throws unless `value` is an integer in [min, max]. */
export function requireInteger(
  parameter: string,
  value: unknown,
  min = -Infinity,
  max = Infinity,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const lo = Number.isFinite(min) ? `>= ${min}` : '';
    const hi = Number.isFinite(max) ? `<= ${max}` : '';
    const range = [lo, hi].filter(Boolean).join(' and ');
    throw new ParameterError(parameter, value, `must be an integer${range ? ' ' + range : ''}`);
  }
  return value;
}

/** Throws unless `value` is a finite number in the interval; `open` excludes the ends. */
export function requireInRange(
  parameter: string,
  value: unknown,
  min: number,
  max: number,
  { minOpen = false, maxOpen = false }: { minOpen?: boolean; maxOpen?: boolean } = {},
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (minOpen ? value > min : value >= min) &&
    (maxOpen ? value < max : value <= max);
  if (!ok) {
    throw new ParameterError(
      parameter,
      value,
      `must be a number in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`,
    );
  }
  return value as number;
}

/** Throws unless `value` is a probability in [0, 1]. */
export function requireProbability(parameter: string, value: unknown): number {
  return requireInRange(parameter, value, 0, 1);
}

/**
 * The clock stopped advancing: more than `limit` events ran at one instant `time`, which a model
 * with positive delays never does (a zero inter-arrival or think time, or a loop of zero delays).
 * `handlers` names the handlers (blocks) of the events at that instant.
 */
export class StalledTimeError extends RangeError {
  override readonly name = 'StalledTimeError';
  constructor(
    readonly time: number,
    readonly limit: number,
    readonly handlers: readonly string[],
  ) {
    super(
      `simulated time stopped advancing: more than ${limit} events at t = ${time} ` +
        `(handlers: ${handlers.join(', ')}); a delay that can be 0 every time (an inter-arrival, think or service time) ` +
        'never lets the clock move (raise the limit with new Simulation({ maxEventsPerInstant }) if this is intended)',
    );
  }
}

/**
 * A run would do (or did) more work than its budget: `events` (estimated before the run, or
 * counted by the kernel) against `budget`; `parameter` names what drives the work. Raise the budget
 * on purpose with `--max-events` (or the `maxEvents` run option).
 */
export class WorkBudgetError extends RangeError {
  override readonly name = 'WorkBudgetError';
  constructor(
    readonly parameter: string,
    readonly events: number,
    readonly budget: number,
    readonly detail: string = '',
    readonly unit: string = 'events',
  ) {
    super(
      unit === 'events'
        ? `${parameter}: ${detail ? detail + ' ' : ''}needs about ${formatCount(events)} events, over the budget of ${formatCount(budget)} ` +
            'events per replication (lower the parameter, or raise the budget on purpose with --max-events N)'
        : `${parameter}: ${detail ? detail + ': ' : ''}more than ${formatCount(budget)} ${unit} (the memory bound of one run)`,
    );
  }
}

function formatCount(n: number): string {
  return Number.isFinite(n) && n >= 1e6 ? n.toExponential(2) : String(Math.round(n));
}

/** True for the errors a user's input causes (exit code 2 at the command line, no stack trace). */
export function isUserError(e: unknown): e is Error {
  return (
    e instanceof ParameterError ||
    e instanceof UnstableSystemError ||
    e instanceof StalledTimeError ||
    e instanceof WorkBudgetError
  );
}

/** A user error as plain data, to cross a worker-thread boundary. */
export interface SerializedError {
  name: string;
  message: string;
  fields: Record<string, unknown>;
}

/** Serializes an error for postMessage; {@link deserializeError} rebuilds the same class and fields. */
export function serializeError(e: unknown): SerializedError {
  if (e instanceof ParameterError)
    return {
      name: e.name,
      message: e.message,
      fields: { parameter: e.parameter, value: safeValue(e.value), expected: e.expected },
    };
  if (e instanceof UnstableSystemError)
    return {
      name: e.name,
      message: e.message,
      fields: { utilisation: e.utilisation, detail: e.detail },
    };
  if (e instanceof StalledTimeError)
    return {
      name: e.name,
      message: e.message,
      fields: { time: e.time, limit: e.limit, handlers: [...e.handlers] },
    };
  if (e instanceof WorkBudgetError)
    return {
      name: e.name,
      message: e.message,
      fields: {
        parameter: e.parameter,
        events: e.events,
        budget: e.budget,
        detail: e.detail,
        unit: e.unit,
      },
    };
  return {
    name: e instanceof Error ? e.name : 'Error',
    message: e instanceof Error ? e.message : String(e),
    fields: {},
  };
}

function safeValue(v: unknown): unknown {
  if (v == null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
    return v;
  try {
    return structuredClone(v);
  } catch {
    return String(v);
  }
}

/** The error {@link serializeError} described: the same class, message and fields. */
export function deserializeError(s: SerializedError): Error {
  const f = s.fields as Record<string, never>;
  switch (s.name) {
    case 'ParameterError':
      return new ParameterError(f.parameter, f.value, f.expected);
    case 'UnstableSystemError':
      return new UnstableSystemError(f.utilisation, f.detail);
    case 'StalledTimeError':
      return new StalledTimeError(f.time, f.limit, f.handlers);
    case 'WorkBudgetError':
      return new WorkBudgetError(f.parameter, f.events, f.budget, f.detail, f.unit);
    default: {
      const e = new Error(s.message);
      if (s.name && s.name !== 'Error') e.name = s.name;
      return e;
    }
  }
}
