import { ParameterError } from '../../../lib/errors';
import { keyPath, nearestKey, rejectUnknownKeys } from '../../../lib/systems/common/config';

describe('unknown configuration keys', () => {
  const HEALTH = ['inter', 'fastinter', 'downinter', 'rise', 'fall', 'timeout'] as const;

  it('names the full path of a misspelled key and suggests the nearest known one', () => {
    let error: unknown;
    try {
      rejectUnknownKeys({ inetr: 5 }, HEALTH, 'pools[0].health_check');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParameterError);
    const p = error as ParameterError;
    expect(p.parameter).toBe('pools[0].health_check.inetr');
    expect(p.value).toBe(5);
    expect(p.message).toContain('did you mean "inter"?');
  });

  it('lists the known keys when nothing is close', () => {
    expect(() => rejectUnknownKeys({ zzzzzzzzzz: 1 }, HEALTH, '')).toThrow(
      /zzzzzzzzzz = 1 .*known keys: inter, fastinter/,
    );
  });

  it('accepts known keys and keys set to undefined is not special: only known names pass', () => {
    expect(() => rejectUnknownKeys({ inter: 1, rise: undefined }, HEALTH, 'hc')).not.toThrow();
    expect(() => rejectUnknownKeys({ Inter: 1 }, HEALTH, 'hc')).toThrow(/did you mean "inter"/);
  });

  it('refuses what is not a plain object', () => {
    expect(() => rejectUnknownKeys([1], HEALTH, 'hc')).toThrow(ParameterError);
    expect(() => rejectUnknownKeys(null, HEALTH, 'hc')).toThrow(/hc = null .*must be an object/);
    expect(() => rejectUnknownKeys(3, HEALTH, '')).toThrow(/config = 3/);
  });

  it('nearest key: edit distance within a third of the length, ties to the first listed', () => {
    expect(nearestKey('linger_ms', ['linger.ms', 'batch.size'])).toBe('linger.ms');
    expect(nearestKey('acks', ['acks', 'retries'])).toBe('acks');
    expect(nearestKey('completely-different', ['acks', 'retries'])).toBeNull();
    expect(nearestKey('ab', ['ax', 'ay'])).toBe('ax');
  });

  it('paths', () => {
    expect(keyPath('', 'a')).toBe('a');
    expect(keyPath('a', 'b')).toBe('a.b');
    expect(keyPath('a', 3)).toBe('a[3]');
  });
});
