import {
  describeRange,
  parseValue,
  resolveParams,
  validateValue,
} from '../../lib/experiment/params';
import type { ParamSpecs } from '../../lib/experiment/params';
import { ParameterError } from '../../lib/errors';

const specs = {
  rho: { type: 'number', default: 0.5, min: 0, max: 1, maxOpen: true, doc: 'utilisation' },
  servers: { type: 'integer', default: 2, min: 1, max: 64, doc: 'servers' },
  pooled: { type: 'boolean', default: true, doc: 'pool the servers' },
  model: { type: 'choice', default: 'mm1', choices: ['mm1', 'md1'], doc: 'model' },
  loads: { type: 'numbers', default: [0.5, 0.9], min: 0, max: 1, maxOpen: true, doc: 'sweep' },
  models: { type: 'choices', default: ['mm1'], choices: ['mm1', 'md1', 'mmc'], doc: 'compare' },
} satisfies ParamSpecs;

describe('experiment parameters', () => {
  it('fills defaults and keeps valid overrides', () => {
    expect(resolveParams(specs, { rho: 0.9, loads: [0.1] })).toEqual({
      rho: 0.9,
      servers: 2,
      pooled: true,
      model: 'mm1',
      loads: [0.1],
      models: ['mm1'],
    });
  });

  it('names the parameter, the value and what is allowed', () => {
    expect(() => resolveParams(specs, { rho: 1 })).toThrow(
      'rho = 1 is out of range: must be a number in [0, 1)',
    );
    expect(() => resolveParams(specs, { servers: 2.5 })).toThrow(
      'servers = 2.5 is out of range: must be an integer in [1, 64]',
    );
    expect(() => resolveParams(specs, { model: 'mg1' })).toThrow(
      'model = "mg1" is out of range: must be one of mm1, md1',
    );
    expect(() => resolveParams(specs, { loads: [0.5, 1.2] })).toThrow(
      /loads = \[0.5,1.2\] is out of range: must be a comma-separated list of numbers in \[0, 1\)/,
    );
    expect(() => resolveParams(specs, { loads: [] })).toThrow(
      /must be a list of 1 to 1000 entries/,
    );
    expect(() => resolveParams(specs, { models: ['mm1', 'x'] })).toThrow(ParameterError);
    expect(() => resolveParams(specs, { rho: NaN })).toThrow(ParameterError);
  });

  it('rejects an unknown parameter, listing the valid ones', () => {
    expect(() => resolveParams(specs, { lambda: 1 }, 'latency-vs-utilization')).toThrow(
      'lambda = 1 is out of range: is not a parameter of latency-vs-utilization (valid: rho, servers, pooled, model, loads, models)',
    );
  });

  it('parses command-line text into typed values', () => {
    expect(parseValue('rho', specs.rho, '0.75')).toBe(0.75);
    expect(parseValue('pooled', specs.pooled, 'false')).toBe(false);
    expect(parseValue('loads', specs.loads, '0.1, 0.2,0.3')).toEqual([0.1, 0.2, 0.3]);
    expect(parseValue('loads', specs.loads, '[0.1,0.2]')).toEqual([0.1, 0.2]);
    expect(parseValue('models', specs.models, 'mm1,md1')).toEqual(['mm1', 'md1']);
    expect(() => parseValue('rho', specs.rho, 'abc')).toThrow(
      'rho = "abc" is out of range: must be a number in [0, 1)',
    );
    expect(() => parseValue('rho', specs.rho, '')).toThrow(ParameterError);
    expect(() => parseValue('pooled', specs.pooled, 'maybe')).toThrow(
      'pooled = "maybe" is out of range: must be true or false',
    );
    expect(() => parseValue('servers', specs.servers, '1e3')).toThrow(/servers = 1000/);
  });

  it('describes ranges in words', () => {
    expect(describeRange(specs.rho)).toBe('a number in [0, 1)');
    expect(describeRange({ type: 'number', default: 1, min: 0, minOpen: true, doc: '' })).toBe(
      'a number in (0, inf)',
    );
    expect(validateValue('x', specs.models, ['md1'])).toEqual(['md1']);
  });
});
