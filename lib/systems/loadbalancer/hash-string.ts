/**
 * The string hash the balancer's hashing schemes and the Maglev table share (a file of its own so
 * that maglev.ts and hashing.ts, which builds Maglev tables, do not require each other).
 */
import { fmix32 } from '../../random/streams';

/** 32-bit hash of a string: FNV-1a over its UTF-16 code units, then MurmurHash3's finaliser. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}
