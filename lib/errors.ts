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

export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? s.slice(0, 77) + '...' : s;
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
export function requireInteger(parameter: string, value: unknown, min = -Infinity, max = Infinity): number {
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
