/**
 * Which warm-up rule the labs use (issue 17 point 3), by measurement: K trials of R replications
 * of the M/M/1 queue (μ = 1) at load ρ, each replication 1.1·n customers started empty (Lindley
 * recursion on the kernel's streams, as test/experiment/coverage.test.ts, which checks it against
 * Source → Station), with two deletion rules on the same series:
 * - 'fixed': the first tenth (n/10 customers) deleted, as lab 01 and lab 02 do (runLength);
 * - 'mser5': MSER-5 on the response times averaged in batches of 10 customers, as lab 01's check
 *   computes it (lib/labs/lab01/checked-queue.ts).
 * Printed per rule: the coverage of W = 1/(1 − ρ) and p99 = ln(100)/(1 − ρ) by the labs' 95%
 * intervals (log-normal over replications; replications as batches for the p99), the mean
 * relative bias of the estimates, the mean relative half-width, and the median deletion.
 * Not a test (too long for npm test); run it by hand:
 *
 *   node -r ts-node/register/transpile-only test/experiment/warmup-study.ts RHO N K R SEED
 *
 * Measured (seed 1, R = 5, lab 01's default run lengths):
 * | ρ    | n       | K   | rule   | cover W | cover p99 | bias W  | bias p99 | deleted |
 * |------|---------|-----|--------|---------|-----------|---------|----------|---------|
 * | 0.5  | 20,000  | 200 | fixed  | 0.955   | 0.965     | +0.05 % | −0.00 %  | 2000    |
 * | 0.5  | 20,000  | 200 | MSER-5 | 0.975   | 0.940     | −0.21 % | −0.60 %  | 0       |
 * | 0.95 | 320,000 | 100 | fixed  | 0.930   | 0.920     | +0.20 % | +0.56 %  | 32,000  |
 * | 0.95 | 320,000 | 100 | MSER-5 | 0.930   | 0.890     | −1.11 % | −2.19 %  | 0       |
 * and at the old 20,000 customers at ρ 0.95 (K = 200): fixed W 0.950, p99 0.710 (p99 bias −16 %);
 * MSER-5 W 0.855, p99 0.595 (W bias −7.4 %, p99 −24 %). MSER-5's median deletion is 0: it keeps the
 * empty start, which is low, and when it truncates it cuts a high stretch; both bias low. The labs
 * keep the fixed tenth and report MSER-5's point in the provenance.
 */
import { metricInterval } from '../../lib/experiment/intervals';
import { Exponential } from '../../lib/random/exponential';
import { RandomStreams, deriveSeed } from '../../lib/random/streams';
import { mm1 } from '../../lib/queueing/mm1';
import { mser5, select } from '../../lib/sim/warmup';

let buffer = new Float64Array(1 << 17);
function lindley(lambda: number, n: number, seed: number): Float64Array {
  if (buffer.length < n) buffer = new Float64Array(n);
  const streams = new RandomStreams(seed);
  const arrivals = streams.get('clients.arrivals');
  const service = streams.get('server.service');
  const A = new Exponential(lambda);
  const S = new Exponential(1);
  A.sample(arrivals);
  let w = 0;
  for (let i = 0; i < n; i++) {
    const s = S.sample(service);
    buffer[i] = w + s;
    w = Math.max(0, w + s - A.sample(arrivals));
  }
  return buffer;
}
const [rho, n, K, R, seed] = process.argv.slice(2).map(Number);
const th = mm1({ lambda: rho, mu: 1 });
const W = th.W,
  P = th.percentiles.W.p99;
const total = Math.round(1.1 * n);
const res: Record<
  string,
  { cw: number; cp: number; hw: number; hp: number; bw: number; bp: number; del: number[] }
> = {};
for (const rule of ['fixed', 'mser5'])
  res[rule] = { cw: 0, cp: 0, hw: 0, hp: 0, bw: 0, bp: 0, del: [] };
for (let k = 0; k < K; k++) {
  const m: Record<string, number[]> = { fixed: [], mser5: [] };
  const q: Record<string, number[]> = { fixed: [], mser5: [] };
  for (let r = 0; r < R; r++) {
    const s = lindley(rho, total, deriveSeed(deriveSeed(seed, `trial:${k}`), `replication:${r}`));
    const batches: number[] = [];
    for (let i = 0; i + 10 <= total; i += 10) {
      let t = 0;
      for (let j = 0; j < 10; j++) t += s[i + j];
      batches.push(t / 10);
    }
    const dm = mser5(batches).truncate * 10;
    for (const [rule, d] of [
      ['fixed', total - n],
      ['mser5', dm],
    ] as Array<[string, number]>) {
      const kept = s.slice(d, total);
      let sum = 0;
      for (let i = 0; i < kept.length; i++) sum += kept[i];
      m[rule].push(sum / kept.length);
      q[rule].push(select(kept, Math.ceil(0.99 * kept.length) - 1));
      res[rule].del.push(d);
    }
  }
  for (const rule of ['fixed', 'mser5']) {
    const w = metricInterval('W', 'nonNegative', m[rule], 0.95);
    const p = metricInterval('p99', 'quantile', q[rule], 0.95);
    const o = res[rule];
    if (w.lo! <= W && W <= w.hi!) o.cw++;
    if (p.lo! <= P && P <= p.hi!) o.cp++;
    o.hw += (w.hi! - w.lo!) / 2 / w.mean! / K;
    o.hp += (p.hi! - p.lo!) / 2 / p.mean! / K;
    o.bw += (w.mean! / W - 1) / K;
    o.bp += (p.mean! / P - 1) / K;
  }
}
for (const rule of ['fixed', 'mser5']) {
  const o = res[rule];
  o.del.sort((a, b) => a - b);
  console.log(
    `rho ${rho} n ${n} K ${K} R ${R} ${rule}: cover W ${(o.cw / K).toFixed(3)} p99 ${(o.cp / K).toFixed(3)}; bias W ${(100 * o.bw).toFixed(2)}% p99 ${(100 * o.bp).toFixed(2)}%; mean rel half-width W ${(100 * o.hw).toFixed(1)}% p99 ${(100 * o.hp).toFixed(1)}%; median deleted ${o.del[o.del.length >> 1]}`,
  );
}
