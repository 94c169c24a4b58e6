/**
 * The string hash the balancer's hashing schemes and the Maglev table share (a file of its own so
 * that maglev.ts and hashing.ts, which builds Maglev tables, do not require each other).
 */
import { fmix32 } from '../../random/streams';

// Math through a module constant: jest's sandbox makes every lookup of a global such as Math
// about 50 times slower, and this sits in simulation hot paths (no cost in plain Node).
const math = Math;

/** 32-bit hash of a string: FNV-1a over its UTF-16 code units, then MurmurHash3's finaliser. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = math.imul(h, 0x01000193);
  }
  return fmix32(h);
}
