/**
 * Lab 07, caching and the CDN: hit ratio vs cache size for each eviction policy against Che's
 * approximation, the top-C sum and the TTL-cache formula; response time with the database as an
 * M/M/c fed the misses; stampedes and their cures; node loss under modulo vs consistent hashing;
 * the CDN's origin offload. Every experiment runs lib/systems/cache beside its closed form; one
 * experiment per file.
 */
import { cacheHitRatio } from './hit-ratio';
import { cacheResponseTime } from './response-time';
import { cacheStampede } from './stampede';
import { cacheNodeLoss } from './node-loss';
import { cdnOffload } from './cdn-offload';

export { nodeLossLevels } from '../../systems/cache/pool';
export { popularityOf } from './shared';
export {
  cacheHitRatio,
  hitRatioPolicies,
  hitRatioPolicyChoices,
  hitRatioTheory,
} from './hit-ratio';
export { cacheResponseTime, cacheAsideResponse } from './response-time';
export { cacheStampede, stampedeProtections } from './stampede';
export { cacheNodeLoss } from './node-loss';
export { cdnOffload, cdnRegions } from './cdn-offload';

/** Every experiment of lab 07, in the notebook's order. */
export const lab07Experiments = [
  cacheHitRatio,
  cacheResponseTime,
  cacheStampede,
  cacheNodeLoss,
  cdnOffload,
] as const;
