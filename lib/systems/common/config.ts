/**
 * Configuration checks every system shares: an unknown (often misspelled) key is a
 * {@link ParameterError} that names the key's full path and suggests the nearest known key, so
 * `health_check: { inetr: 5 }` fails with `health_check.inetr = 5 is out of range: is not a known
 * key; did you mean "inter"?` instead of keeping the default in silence.
 *
 * "Nearest" is the smallest Levenshtein distance (fastest-levenshtein), offered when it is at
 * most max(2, a third of the key's length); ties go to the first listed key.
 */
import { distance } from 'fastest-levenshtein';
import { ParameterError } from '../../errors';

/** The known key nearest to `key`, or null when none is close enough to be a likely typo. */
export function nearestKey(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  const lower = key.toLowerCase();
  for (const k of known) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : null;
}

/** `path.key`, or `key` at the top level. */
export function keyPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * Throws a ParameterError unless `value` is a plain object whose every own key is in `known`.
 * `path` names the object in the error (e.g. `pools[0].health_check`, or '' at the top level).
 * Keys whose value is `undefined` are allowed (an explicit "use the default").
 */
export function rejectUnknownKeys(value: unknown, known: readonly string[], path: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ParameterError(path || 'config', value, 'must be an object');
  }
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = nearestKey(key, known);
    const hint = near !== null ? `did you mean "${near}"?` : `known keys: ${known.join(', ')}`;
    throw new ParameterError(
      keyPath(path, key),
      (value as Record<string, unknown>)[key],
      `is not a known key; ${hint}`,
    );
  }
}

/**
 * The known keys of a config interface, listed once beside it and checked by the compiler:
 * `const POOL_KEYS = knownKeys<PoolConfig>()(['name', 'backends', ...])` fails to compile if a
 * listed key is not in the interface (keys the interface has and the list lacks are caught by
 * the system's unknown-key test, which builds a config with every key).
 */
export function knownKeys<T>(): <K extends keyof T & string>(keys: readonly K[]) => readonly K[] {
  return (keys) => keys;
}
