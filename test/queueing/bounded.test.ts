/** Issue 23, points 4 and 5: closed forms in bounded time, results finite and right or refused. */
import { ParameterError } from '../../lib/errors';
import { erlangB } from '../../lib/queueing/erlang-b';
import { erlangBRecurrence } from '../../lib/queueing/erlang';
import { mm1k } from '../../lib/queueing/mm1k';
import { mmck } from '../../lib/queueing/mmck';
import { mva } from '../../lib/queueing/mva';
import { maxUsersFor } from '../../lib/queueing/max-users-for';
import { mmc } from '../../lib/queueing/mmc';
import { jsonWithInfinity, modelCommand } from '../../lib/cli/model';

function model(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  return modelCommand(argv, { out: (s) => out.push(s), err: (s) => err.push(s) }).then((code) => ({
    code,
    out: out.join('\n'),
    err: err.join('\n'),
  }));
}

describe('M/M/c/K far past saturation (point 5)', () => {
  test('lambda = 1e20, mu = 1, K = 15: X = mu, W = K / mu, every field finite', () => {
    const q = mm1k({ lambda: 1e20, mu: 1, K: 15 });
    // p_n ∝ r^n with r = 1e20: every admitted arrival finds 14 ahead, so X = μ, L = 15 − O(1/r)
    expect(q.X).toBeCloseTo(1, 12);
    expect(q.L).toBeCloseTo(15, 12);
    expect(q.W).toBeCloseTo(15, 10);
    expect(q.Pwait).toBeCloseTo(1, 12);
    for (const v of Object.values(q))
      if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
  });
  test('the busy-server form agrees with lambda (1 - PK) where both are exact', () => {
    for (const lambda of [0.5, 2, 30, 1e3]) {
      const q = mmck({ lambda: lambda, mu: 1, c: 3, K: 10 });
      expect(q.X).toBeCloseTo(q.mu * (q.L - q.Lq), 10);
    }
  });
});

describe('bounded time (point 4)', () => {
  test('Erlang B for c = 1e15 answers at once by the Poisson tail, and agrees with the recurrence where both apply', () => {
    expect(erlangB(12, 1e15).B).toBe(0);
    // c = 2e7 is past the recurrence's domain; at c = 1e7 + 1 and A = 1e7 − 1e5 check the form against the recurrence
    const A = 9_000_000;
    const c = 10_000_001;
    const tail = erlangB(A, c).B;
    expect(tail).toBeLessThan(1e-300 + 1e-300);
    expect(erlangBRecurrence(A, c).B).toBeLessThan(1e-300);
  });
  test('beyond the stated domain the answer is a ParameterError naming c', () => {
    expect(() => erlangB(2e7, 2e7 + 10)).toThrow(ParameterError);
    expect(() => erlangB(2e7, 2e7 + 10)).toThrow(/^c = 20000010 is out of range/);
    expect(() => mmc({ lambda: 1, mu: 1, c: 1e15 })).toThrow(
      /c = 1000000000000000 is out of range: must be an integer >= 1 and <= 10000000/,
    );
  });
  test('MVA: users bounded (1e9 users refused at once, not 4 GB later)', () => {
    expect(() => mva({ stations: [{ demand: 1 }], users: 1e9 })).toThrow(/users = 1000000000/);
    expect(() =>
      mva({ stations: [{ demand: 1 }, { demand: 1 }, { demand: 1 }], users: 1e6 / 0.1 }),
    ).toThrow(ParameterError);
    expect(mva({ stations: [{ demand: 1 }], users: 1000 }).throughput).toBeCloseTo(1, 10);
    expect(() =>
      maxUsersFor({ stations: [{ demand: 0.1 }], thinkTime: 15, maxResponseTime: 1e15 }),
    ).toThrow(/maxResponseTime/);
  });
});

describe('the model command (points 5, 7)', () => {
  test('JSON keeps Infinity distinct from null', () => {
    expect(jsonWithInfinity({ a: Infinity, b: -Infinity, c: null, d: 1 })).toBe(
      '{"a":"Infinity","b":"-Infinity","c":null,"d":1}',
    );
  });
  test('mm1k at lambda = 1e20 reports X = mu with exit 0; a NaN result is refused with exit 2', async () => {
    const ok = await model('mm1k', '--lambda', '1e20', '--mu', '1', '--k', '15', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).X).toBeCloseTo(1, 10);
    const over = await model(
      'gg1',
      '--lambda',
      '0.9',
      '--mu',
      '1',
      '--ca2',
      '1e308',
      '--cs2',
      '0.5',
      '--json',
    );
    expect(over.code).toBe(2);
    expect(over.err).toMatch(/ca2 = 1e\+308 is out of range: must be in \[0, 1e\+100\]/);
  });
  test('subnormal inputs and empty list entries are refused; erlangb --c 1e15 answers', async () => {
    expect((await model('mm1', '--lambda', '1e-320', '--mu', '1')).code).toBe(2);
    const r = await model('mva', '--users', '3', '--demands', '1,,2');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/demands\[1\]/);
    expect((await model('erlangb', '--a', '12', '--c', '1e15', '--json')).code).toBe(0);
  });
});
