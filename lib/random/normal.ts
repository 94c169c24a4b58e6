import type { Rng } from './xoshiro128';

/**
 * One standard normal draw by the Box-Muller transform (Box & Muller 1958):
 * sqrt(-2 ln U1) cos(2 pi U2). Uses two uniforms per draw and keeps no cached second value,
 * so the result depends only on the generator's state.
 */
export function standardNormal(rng: Rng): number {
  const u1 = rng.nextOpen();
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
