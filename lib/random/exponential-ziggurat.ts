import type { Rng } from './xoshiro128';

/**
 * Standard exponential variates (mean 1) by the ziggurat method of Marsaglia & Tsang ("The
 * ziggurat method for generating random variables", J. Stat. Softw. 5(8), 2000), 256 layers,
 * r = 7.69711747013104972, v = 3.949659822581572e-3, with the layer index independent of the
 * position within the layer, as Doornik recommends ("An improved ziggurat method...", 2005).
 *
 * 98.9 % of draws cost one 53-bit uniform, a table look-up and a multiply (no log);
 * the rest take the exact wedge test or the exponential tail r + Exp(1). The method is exact:
 * the layers have equal area v and the tail uses memorylessness.
 */
const R = 7.69711747013105;
const V = 3.949659822581572e-3;
const X = new Float64Array(257);
const F = new Float64Array(257);
X[0] = V / Math.exp(-R);
X[1] = R;
for (let i = 2; i < 256; i++) X[i] = -Math.log(V / X[i - 1] + Math.exp(-X[i - 1]));
X[256] = 0;
for (let i = 0; i < 257; i++) F[i] = Math.exp(-X[i]);
F[256] = 1;

/**
 * One standard exponential. The layer index is the top 8 bits of a 53-bit uniform and the
 * position within the layer its remaining 45 bits (disjoint bits, so independent).
 *
 * Written for the JIT: no loops here or in the slow path (a rejected draw restarts by recursion,
 * depth geometric with mean 0.011), and no double passed to or returned from the slow path except
 * through a typed array. Either would make V8 box the result of every draw when it inlines this
 * into a caller's loop (one heap allocation per draw, measured).
 */
export function standardExponential(rng: Rng): number {
  // rng.next() spelled out: nextInt32 returns an int32, which never needs a heap box even when
  // the JIT does not inline the call (a double returned from a call would be boxed)
  const hi = rng.nextInt32() >>> 5;
  const lo = rng.nextInt32() >>> 6;
  const v = (hi * 67108864 + lo) * 2.842170943040401e-14; // 2^-53 * 256
  const i = v | 0;
  const x = (v - i) * X[i];
  if (x < X[i + 1]) return x;
  SLOW[0] = x;
  exponentialSlow(rng, i);
  return SLOW[0];
}

const SLOW = new Float64Array(1);

/** Base strip beyond r: the tail r + Exp(1) (memorylessness); other layers: the wedge test, else a fresh draw. */
function exponentialSlow(rng: Rng, i: number): void {
  if (i === 0) {
    SLOW[0] = R - Math.log(1 - rng.next());
    return;
  }
  const x = SLOW[0];
  if (F[i + 1] + rng.next() * (F[i] - F[i + 1]) < Math.exp(-x)) return;
  SLOW[0] = standardExponential(rng);
}

/**
 * `out[index] = scale * E` for a standard exponential E: the same draw as
 * {@link standardExponential}, delivered through a typed array so that no double crosses a call
 * boundary (used by {@link Exponential.sampleInto} and the kernel's `scheduleSample`).
 */
export function standardExponentialInto(
  rng: Rng,
  out: Float64Array,
  index: number,
  scale: number,
): void {
  const hi = rng.nextInt32() >>> 5;
  const lo = rng.nextInt32() >>> 6;
  const v = (hi * 67108864 + lo) * 2.842170943040401e-14;
  const i = v | 0;
  const x = (v - i) * X[i];
  if (x < X[i + 1]) {
    out[index] = x * scale;
    return;
  }
  SLOW[0] = x;
  exponentialSlow(rng, i);
  out[index] = SLOW[0] * scale;
}
