import {
  ParameterError,
  UnstableSystemError,
  requireInteger,
  requirePositive,
  requireInRange,
} from '../lib/errors';

describe('typed parameter errors', () => {
  it('names the parameter, the value and the valid range', () => {
    expect(() => requirePositive('mu', -1)).toThrow(ParameterError);
    expect(() => requirePositive('mu', -1)).toThrow(
      'mu = -1 is out of range: must be a finite number > 0',
    );
    try {
      requireInteger('c', 2.5, 1);
    } catch (e) {
      expect(e).toBeInstanceOf(ParameterError);
      const pe = e as ParameterError;
      expect([pe.parameter, pe.value, pe.expected]).toEqual(['c', 2.5, 'must be an integer >= 1']);
    }
    expect(() => requireInRange('p', 1.5, 0, 1)).toThrow(
      'p = 1.5 is out of range: must be a number in [0, 1]',
    );
    expect(() => requirePositive('lambda', NaN)).toThrow('lambda = NaN');
  });
  it('reports unstable systems as such', () => {
    const e = new UnstableSystemError(1.2, 'lambda = 1.2, mu = 1');
    expect(e.message).toMatch(/unstable system: utilisation 1.2 >= 1/);
    expect(e).toBeInstanceOf(RangeError);
  });
});
