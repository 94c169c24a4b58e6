// Public API of lib/random: seeded streams, distributions and special functions.
export { Xoshiro128 } from './xoshiro128';
export type { Rng } from './xoshiro128';
export { RandomStreams, deriveStream, deriveSeed, fmix32, requireSeed } from './streams';
export type { Distribution } from './distribution';
export { scvOf } from './distribution';
export { Deterministic } from './deterministic';
export { Uniform } from './uniform';
export { Exponential } from './exponential';
export { Erlang } from './erlang';
export { HyperExponential } from './hyperexponential';
export { Lognormal } from './lognormal';
export { Pareto, BoundedPareto } from './pareto';
export { Weibull } from './weibull';
export { TruncatedNormal } from './truncated-normal';
export { Empirical } from './empirical';
export { Bernoulli } from './bernoulli';
export { Categorical } from './categorical';
export { Zipf } from './zipf';
export { fitMeanScv } from './fit';
export { standardNormal } from './normal';
export { standardExponential, standardExponentialInto } from './exponential-ziggurat';
export {
  lnGamma,
  gammaFn,
  normalPdf,
  normalCdf,
  normalSurvival,
  normalQuantile,
  incompleteBeta,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
} from './special';
