/**
 * The architecture description: every step file validates against the shipped JSON Schema, and a
 * bad file's error names the JSON path of the bad field (with did-you-mean for unknown keys).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ParameterError } from '../../../lib/errors';
import {
  architectureSchema,
  parseArchitecture,
  resolveArchitecture,
} from '../../../lib/systems/architecture/validate';
import { scalingSteps, architecturesDir } from '../../../lib/labs/lab12/steps';

const step3 = (): Record<string, any> =>
  JSON.parse(fs.readFileSync(path.join(architecturesDir, '03-load-balancer.json'), 'utf8'));

function errorOf(input: unknown): ParameterError {
  try {
    resolveArchitecture(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ParameterError);
    return e as ParameterError;
  }
  throw new Error('no error');
}

describe('architecture schema', () => {
  test('the eight step files validate, in order, with defaults filled in', () => {
    const steps = scalingSteps();
    expect(steps.map((a) => a.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const a of steps) {
      expect(a.balancer === undefined || a.balancer.balance === 'random').toBe(true);
      expect(a.mix.static).toBeGreaterThanOrEqual(0);
    }
    expect(steps[6].web.autoscaling?.targetCPUUtilizationPercentage).toBe(70);
    expect(steps[7].geodns?.datacenters).toBe(2);
  });

  test('the schema is draft-07 JSON Schema shipped beside the code, closed to unknown keys', () => {
    expect((architectureSchema as Record<string, unknown>)['$schema']).toMatch(/draft-07/);
    expect(architectureSchema.additionalProperties).toBe(false);
    expect(
      fs.existsSync(path.join(__dirname, '../../../lib/systems/architecture/schema.json')),
    ).toBe(true);
  });

  test('a bad value names its JSON path, value and range', () => {
    const a = step3();
    a.web.servers = 0;
    expect(errorOf(a).message).toBe(
      'web.servers = 0 is out of range: must be an integer >= 1 and <= 1000',
    );
    const b = step3();
    b.database.replicas = 1.5;
    expect(errorOf(b).parameter).toBe('database.replicas');
    const c = step3();
    c.mix.static = 'half';
    expect(errorOf(c).parameter).toBe('mix.static');
    const d = step3();
    d.balancer.pair = 'yes';
    expect(errorOf(d).message).toMatch(
      /^balancer\.pair = "yes" is out of range: must be true or false/,
    );
  });

  test('an unknown key at any depth names its path and the nearest known key', () => {
    const a = step3();
    a.web.sevrers = 3;
    expect(errorOf(a).message).toBe(
      'web.sevrers = 3 is out of range: is not a known key; did you mean "servers"?',
    );
    const b = step3();
    b.databse = {};
    expect(errorOf(b).message).toMatch(
      /^databse = \{\} is out of range: is not a known key; did you mean "database"\?/,
    );
  });

  test('rules across fields: exactly one load, colocation on one server, a balancer for several servers', () => {
    const a = step3();
    a.arrivalRate = 10;
    expect(errorOf(a).parameter).toBe('users');
    const b = step3();
    b.database.colocated = true;
    expect(errorOf(b).parameter).toBe('database.colocated');
    const c = step3();
    delete c.balancer;
    expect(errorOf(c).parameter).toBe('balancer');
    const d = step3();
    d.web.autoscaling = { minReplicas: 5, maxReplicas: 2 };
    expect(errorOf(d).parameter).toBe('web.autoscaling.minReplicas');
    expect(errorOf({}).parameter).toBe('name');
  });

  test("the CDN's edge: capacity or hitRatio, not both; a ratio no capacity reaches; hitRatio 0.9 by default", () => {
    const six = (): Record<string, any> =>
      JSON.parse(fs.readFileSync(path.join(architecturesDir, '06-cdn.json'), 'utf8'));
    const both = six();
    both.cdn.capacity = 5000;
    const e = errorOf(both);
    expect(e.parameter).toBe('cdn.hitRatio');
    expect(e.message).toMatch(/not both/);
    const far = six();
    far.cdn.alpha = 2; // an edge of one object already hits 36 % (Che)
    far.cdn.hitRatio = 0.1;
    expect(errorOf(far).message).toMatch(/cdn\.hitRatio = 0\.1 .*no edge capacity reaches it/);
    const big = six();
    delete big.cdn.hitRatio;
    big.cdn.capacity = 20000;
    expect(errorOf(big).parameter).toBe('cdn.capacity');
    const bad = six();
    bad.cdn.maxAge = 0;
    expect(errorOf(bad).parameter).toBe('cdn.maxAge');
    const none = six();
    none.cdn = {};
    const r = resolveArchitecture(none);
    expect(r.cdn).toEqual({
      hitRatio: 0.9,
      objects: 10000,
      alpha: 0.8,
      maxAge: 31536000,
      latency: 0.02,
    });
    const cached = step3();
    cached.database.colocated = true;
    cached.web.servers = 1;
    cached.cache = {};
    delete cached.balancer;
    cached.database.replicas = 0;
    expect(errorOf(cached).parameter).toBe('cache');
  });

  test('bad JSON names the file', () => {
    expect(() => parseArchitecture('{"name": ', 'x.json')).toThrow(
      /^x\.json = .* must be valid JSON/,
    );
  });
});
