import { ParameterError, requirePositive } from '../errors';
import { scvOf, type Distribution } from './distribution';
import type { Rng } from './xoshiro128';
import { standardExponential } from './exponential-ziggurat';

/**
 * Hyperexponential H_k: with probability p_i an exponential of rate r_i. Mean sum p_i/r_i,
 * E[X^2] = 2 sum p_i/r_i^2; scv >= 1.
 *
 * {@link HyperExponential.fit} gives the two-phase fit with balanced means (p1/r1 = p2/r2) to a
 * mean m and scv c^2 > 1 (Whitt 1982; Sauer & Chandy):
 * p1 = (1 + sqrt((c^2 - 1)/(c^2 + 1)))/2, p2 = 1 - p1, r_i = 2 p_i / m.
 */
export class HyperExponential implements Distribution {
  readonly probabilities: readonly number[];
  readonly rates: readonly number[];
  readonly mean: number;
  readonly variance: number;
  readonly scv: number;
  private readonly cumulative: Float64Array;
  private readonly means: Float64Array;

  constructor(probabilities: number[], rates: number[]) {
    if (!Array.isArray(probabilities) || probabilities.length === 0) {
      throw new ParameterError('probabilities', probabilities, 'must be a non-empty array');
    }
    if (!Array.isArray(rates) || rates.length !== probabilities.length) {
      throw new ParameterError('rates', rates, `must be an array of ${probabilities.length} rates`);
    }
    let total = 0;
    probabilities.forEach((p, i) => {
      if (typeof p !== 'number' || !(p >= 0) || !Number.isFinite(p)) {
        throw new ParameterError(`probabilities[${i}]`, p, 'must be a finite number >= 0');
      }
      total += p;
    });
    if (Math.abs(total - 1) > 1e-9)
      throw new ParameterError('probabilities', probabilities, 'must sum to 1');
    rates.forEach((r, i) => requirePositive(`rates[${i}]`, r));
    this.probabilities = probabilities.slice();
    this.rates = rates.slice();
    this.cumulative = new Float64Array(probabilities.length);
    this.means = new Float64Array(probabilities.length);
    let acc = 0;
    let m1 = 0;
    let m2 = 0;
    for (let i = 0; i < probabilities.length; i++) {
      acc += probabilities[i];
      this.cumulative[i] = acc;
      this.means[i] = 1 / rates[i];
      m1 += probabilities[i] / rates[i];
      m2 += (2 * probabilities[i]) / (rates[i] * rates[i]);
    }
    this.cumulative[probabilities.length - 1] = 1;
    this.mean = m1;
    this.variance = m2 - m1 * m1;
    this.scv = scvOf(m1, this.variance);
  }

  /** Two-phase, balanced-means fit to `mean` and `scv` > 1 (see the class comment). */
  static fit(mean: number, scv: number): HyperExponential {
    requirePositive('mean', mean);
    if (typeof scv !== 'number' || !Number.isFinite(scv) || !(scv > 1)) {
      throw new ParameterError(
        'scv',
        scv,
        'must be a finite number > 1 (use Exponential for scv = 1, Erlang below)',
      );
    }
    const p1 = (1 + Math.sqrt((scv - 1) / (scv + 1))) / 2;
    const p2 = 1 - p1;
    return new HyperExponential([p1, p2], [(2 * p1) / mean, (2 * p2) / mean]);
  }

  get label(): string {
    return `HyperExponential(p=[${this.probabilities.map((p) => +p.toPrecision(4)).join(', ')}], rates=[${this.rates.map((r) => +r.toPrecision(4)).join(', ')}])`;
  }

  sample(rng: Rng): number {
    const u = rng.next();
    let i = 0;
    const last = this.cumulative.length - 1;
    while (i < last && u >= this.cumulative[i]) i++;
    return standardExponential(rng) * this.means[i];
  }
}
