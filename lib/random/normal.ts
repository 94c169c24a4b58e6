import type { Rng } from './xoshiro128';

// Math through a module constant: jest's sandbox makes every lookup of a global such as Math
// about 50 times slower, and these functions sit in simulation hot paths (no cost in plain Node).
const math = Math;

/**
 * One standard normal draw by the Box-Muller transform (Box & Muller 1958):
 * sqrt(-2 ln U1) cos(2 pi U2). Uses two uniforms per draw and keeps no cached second value,
 * so the result depends only on the generator's state.
 */
export function standardNormal(rng: Rng): number {
  const u1 = rng.nextOpen();
  const u2 = rng.next();
  return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.PI * u2);
}
