/**
 * Issue 23, point 9: property-based fuzzing of the public API (fast-check). Every input either
 * gives a finite answer or a typed user error (ParameterError, UnstableSystemError,
 * StalledTimeError, WorkBudgetError) — never NaN/Infinity in a result, never another exception,
 * never a hang (each case has a time limit; fast-check's `timeout` fails a case that overruns).
 *
 * `npm test` runs FUZZ_RUNS = 40 cases per property; `npm run fuzz` runs 2000.
 */
import fc from 'fast-check';
import { isUserError } from '../../lib/errors';
import * as q from '../../lib/queueing';
import {
  Deterministic,
  Empirical,
  Erlang,
  Exponential,
  HyperExponential,
  Lognormal,
  Pareto,
  Weibull,
} from '../../lib/random';
import { RandomStreams } from '../../lib/random/streams';
import { Population, Simulation, Sink, Source, Station } from '../../lib/sim';
import { modelCommand } from '../../lib/cli/model';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 23);
const settings = { numRuns: RUNS, seed: SEED };

/** Any number a user might type, hostile ones included. */
const hostileNumber = fc.oneof(
  fc.double({ noNaN: false }),
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    1e-320,
    5e-324,
    1e308,
    1e15,
    1e20,
    1e9,
    Infinity,
    -Infinity,
    NaN,
    0.5,
    2,
    10,
  ),
  fc.integer({ min: -10, max: 1000 }),
);
const count = fc.oneof(
  fc.integer({ min: -2, max: 50 }),
  fc.constantFrom(1e6, 1e7, 1e9, 1e15, 1.5, NaN),
);

function finiteDeep(v: unknown, path = ''): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : path;
  if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'percentiles' || k === 'throughputByN' || k === 'responseTimeByN') continue;
      const bad = finiteDeep(x, `${path}.${k}`);
      if (bad) return bad;
    }
  }
  return null;
}

/** Runs `f`: a finite result or a user error passes; anything else fails the property. */
function finiteOrRefused(f: () => unknown, allowNonFinite = false): void {
  let out: unknown;
  try {
    out = f();
  } catch (e) {
    if (isUserError(e)) return;
    throw e;
  }
  if (!allowNonFinite) {
    const bad = finiteDeep(out);
    if (bad) throw new Error(`non-finite result at ${bad}: ${JSON.stringify(out)?.slice(0, 200)}`);
  }
}

describe('closed forms: finite answer or a typed refusal', () => {
  test('M/M/1, M/M/c, M/M/c/K, Erlang B/C, M/G/1', () => {
    fc.assert(
      fc.property(hostileNumber, hostileNumber, count, count, (lambda, mu, c, K) => {
        finiteOrRefused(() => q.mm1({ lambda, mu }));
        finiteOrRefused(() => q.mmc({ lambda, mu, c }));
        finiteOrRefused(() => q.mmck({ lambda, mu, c, K: (c as number) + (K as number) }));
        finiteOrRefused(() => q.erlangB(lambda, c));
        finiteOrRefused(() => q.mg1({ lambda, mean: mu, scv: 1 }));
      }),
      settings,
    );
  });
  test('MVA and bounds', () => {
    fc.assert(
      fc.property(
        count,
        hostileNumber,
        fc.array(hostileNumber, { minLength: 0, maxLength: 4 }),
        (users, thinkTime, demands) => {
          finiteOrRefused(() =>
            q.mva({ stations: demands.map((d) => ({ demand: d })), users, thinkTime }),
          );
        },
      ),
      settings,
    );
  });
});

describe('distributions: constructed and sampled, or refused', () => {
  test('constructors with hostile parameters', () => {
    const rng = new RandomStreams(1).get('fuzz');
    fc.assert(
      fc.property(
        hostileNumber,
        hostileNumber,
        fc.array(
          fc.oneof(
            hostileNumber,
            fc.constant(null as unknown as number),
            fc.constant('7' as unknown as number),
          ),
          { maxLength: 5 },
        ),
        (a, b, data) => {
          const makers = [
            () => new Exponential(a),
            () => new Deterministic(a),
            () => new Erlang(Math.round(b), a),
            () => new Lognormal(a, b),
            () => new Pareto(a, b),
            () => new Weibull(a, b),
            () => new HyperExponential([0.5, 0.5], [a, b]),
            () => new Empirical(data),
          ];
          for (const make of makers) {
            let d;
            try {
              d = make();
            } catch (e) {
              if (isUserError(e)) continue;
              throw e;
            }
            for (let i = 0; i < 5; i++) {
              const x = d.sample(rng);
              if (Number.isNaN(x)) throw new Error(`${d.label} sampled NaN`);
            }
          }
        },
      ),
      settings,
    );
  });
});

describe('kernel blocks: every run ends, in bounded work, or stops with a typed error', () => {
  test('a source into a station, and a closed population', () => {
    const dist = fc.oneof(
      fc.oneof(fc.double({ min: 0, max: 1e3, noNaN: true }), fc.constant(1e-320)).map((m) => {
        try {
          return m > 0 ? Exponential.withMean(m) : new Deterministic(0);
        } catch {
          return new Deterministic(1);
        }
      }),
      fc.constantFrom(
        new Deterministic(0),
        new Empirical([0, 0]),
        new Empirical([1, -1]),
        new Deterministic(1e-9),
      ),
    );
    fc.assert(
      fc.property(
        dist,
        dist,
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 50 }),
        (a, s, c, n) => {
          for (const closed of [false, true]) {
            finiteOrRefused(() => {
              const sim = new Simulation({
                seed: 1,
                eventBudget: 20000,
                maxEventsPerInstant: 5000,
              });
              const st = new Station(sim, { name: 'st', service: s, servers: c });
              if (closed) {
                const p = new Population(sim, { name: 'users', size: n, think: a, to: st });
                st.to = p;
              } else {
                st.to = new Sink(sim, { name: 'out' });
                new Source(sim, { name: 'src', interarrival: a, to: st });
              }
              sim.run({ until: 100 });
              const sum = st.summary();
              return { arrivals: sum.arrivals, growth: sum.overloaded ? 1 : 0 };
            });
          }
        },
      ),
      settings,
    );
  });
});

describe('the model command: exit 0 with finite numbers, or exit 2 with one line', () => {
  const models = [
    'mm1',
    'mmc',
    'mm1k',
    'mmck',
    'mmcc',
    'erlangb',
    'erlangc',
    'finite',
    'mminf',
    'mg1',
    'md1',
    'gg1',
    'ggc',
    'mva',
    'bounds',
    'amdahl',
    'gustafson',
    'little',
    'laws',
    'max-rate-for',
  ];
  const keys = [
    'lambda',
    'mu',
    'c',
    'k',
    'a',
    'n',
    'mean',
    'scv',
    'ca2',
    'cs2',
    'users',
    'think',
    'demands',
    'p',
    'x',
    'w',
    'l',
    'v',
    's',
    't',
  ];
  const value = fc.oneof(
    hostileNumber.map(String),
    fc.constantFrom('', '1,,2', 'abc', '1e-320', '0.5,0.5', 'inf', '-1'),
  );
  test('random argv', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...models),
        fc.uniqueArray(fc.constantFrom(...keys), { maxLength: 5 }),
        fc.array(value, { minLength: 5, maxLength: 5 }),
        fc.boolean(),
        async (m, ks, vs, json) => {
          const argv = [m, ...ks.flatMap((k, i) => [`--${k}`, vs[i]]), ...(json ? ['--json'] : [])];
          const out: string[] = [];
          const err: string[] = [];
          const code = await modelCommand(argv, {
            out: (s) => out.push(s),
            err: (s) => err.push(s),
          });
          if (code === 2) {
            if (err.length !== 1 || err[0].includes('\n') || /\bat .*\.ts:\d+/.test(err[0]))
              throw new Error(`not one line: ${err.join('|')}`);
            return;
          }
          if (code !== 0) throw new Error(`exit ${code} for ${argv.join(' ')}: ${err.join('|')}`);
          if (json && /null|NaN|Infinity/.test(out.join('').replace(/"limit":null/, '')))
            throw new Error(`non-finite JSON for ${argv.join(' ')}: ${out.join('')}`);
        },
      ),
      { ...settings, timeout: 5000 },
    );
  });
});
