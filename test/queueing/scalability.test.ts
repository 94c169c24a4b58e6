/** Amdahl, Gustafson and the Universal Scalability Law, with the USL fit against R `usl`. */
import {
  allenCunneen,
  amdahl,
  fitUsl,
  ggc,
  gg1,
  gustafson,
  kingman,
  levenbergMarquardt,
  uslPeak,
  uslThroughput,
} from '../../lib/queueing';
import { ParameterError } from '../../lib/errors';

const close = (actual: number, expected: number, tol: number) =>
  expect(Math.abs(actual - expected)).toBeLessThan(tol);

describe('USL fit', () => {
  // smoeding/usl tests/coef.Rout.save (quoted in shared/reference/queueing.md 5.3)
  const load = [1, 2, 4, 6, 8, 10];
  const tput = [1, 1.8868, 3.0769, 3.5294, 3.5398, 3.3557];

  test('R usl tests/coef.Rout.save: alpha 0.02, beta 0.02, gamma 1.00', () => {
    const fit = fitUsl(load.map((N, i) => ({ N, X: tput[i] })));
    close(fit.alpha, 0.02, 5e-4);
    close(fit.beta, 0.02, 5e-4);
    close(fit.gamma, 1.0, 5e-4);
    // peak of the fitted curve: sqrt((1 - 0.02) / 0.02) = 7
    close(fit.peakN!, 7, 0.01);
    close(fit.peakX!, uslThroughput({ alpha: 0.02, beta: 0.02, gamma: 1 }, 7), 1e-3);
    expect(fit.rss).toBeLessThan(1e-8); // data rounded to 4 decimals
    expect(fit.residualStandardError).not.toBeNull();
    expect(fit.rSquared).toBeGreaterThan(0.999999);
  });

  test('recovers known parameters from noisy synthetic data', () => {
    const truth = { alpha: 0.05, beta: 0.0008, gamma: 120 };
    const points = [1, 2, 4, 8, 16, 24, 32, 48, 64].map((N, i) => ({
      N,
      X: uslThroughput(truth, N) * (1 + 0.005 * Math.sin(7 * i)),
    }));
    const fit = fitUsl(points);
    close(fit.alpha, truth.alpha, 0.01);
    close(fit.beta, truth.beta, 2e-4);
    close(fit.gamma / truth.gamma, 1, 0.02);
  });

  test('linear scaling gives alpha = beta = 0 and no peak', () => {
    const fit = fitUsl([1, 2, 3, 4].map((N) => ({ N, X: 10 * N })));
    close(fit.alpha, 0, 1e-6);
    close(fit.beta, 0, 1e-8);
    close(fit.gamma, 10, 1e-5);
    expect(fit.peakN).toBeNull();
  });

  test('too few points or distinct loads throw ParameterError', () => {
    expect(() =>
      fitUsl([
        { N: 1, X: 1 },
        { N: 2, X: 2 },
      ]),
    ).toThrow(ParameterError);
    expect(() =>
      fitUsl([
        { N: 1, X: 1 },
        { N: 1, X: 1.1 },
        { N: 2, X: 2 },
      ]),
    ).toThrow(ParameterError);
    expect(() =>
      fitUsl([
        { N: -1, X: 1 },
        { N: 1, X: 1.1 },
        { N: 2, X: 2 },
      ]),
    ).toThrow(/points\[0\]\.N/);
  });
});

describe('USL, Amdahl and Gustafson', () => {
  test('USL peak N* = sqrt((1 - alpha) / beta) (Gunther 2007, chapter 4)', () => {
    const peak = uslPeak({ alpha: 0.1, beta: 0.001, gamma: 2 });
    close(peak.peakN!, Math.sqrt(0.9 / 0.001), 1e-12);
    const X = (N: number) => uslThroughput({ alpha: 0.1, beta: 0.001, gamma: 2 }, N);
    expect(X(peak.peakN!)).toBeGreaterThan(X(peak.peakN! - 1));
    expect(X(peak.peakN!)).toBeGreaterThan(X(peak.peakN! + 1));
    expect(uslPeak({ alpha: 0.25, beta: 0, gamma: 1 }).asymptoteX).toBe(4);
  });

  test('Amdahl: p 0.95 on 16 processors -> 1 / (0.05 + 0.95 / 16) = 9.1429, limit 20', () => {
    const r = amdahl(0.95, 16);
    close(r.speedup, 9.142857, 1e-6);
    close(r.limit!, 20, 1e-12);
    // Amdahl is the USL with beta = 0, alpha = 1 - p
    close(r.speedup, uslThroughput({ alpha: 0.05, beta: 0, gamma: 1 }, 16), 1e-12);
  });

  test('Gustafson: p 0.95 on 16 processors -> 0.05 + 0.95 x 16 = 15.25', () => {
    close(gustafson(0.95, 16).speedup, 15.25, 1e-12);
    expect(() => gustafson(1.5, 4)).toThrow(ParameterError);
  });

  test('Levenberg-Marquardt fits an exponential decay exactly', () => {
    const t = [0, 1, 2, 3, 4, 5];
    const y = t.map((v) => 3 * Math.exp(-0.7 * v));
    const fit = levenbergMarquardt({
      residuals: (p) => Float64Array.from(t, (v, i) => y[i] - p[0] * Math.exp(-p[1] * v)),
      initial: [1, 0.1],
    });
    close(fit.params[0], 3, 1e-6);
    close(fit.params[1], 0.7, 1e-6);
  });
});

describe('aliases', () => {
  test('kingman and allenCunneen name gg1 and ggc', () => {
    expect(kingman).toBe(gg1);
    expect(allenCunneen).toBe(ggc);
  });
});
