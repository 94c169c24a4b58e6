/** One constructor for every eviction policy: `createStore('lru', { capacity: 100 })`. */
import { ParameterError } from '../../errors';
import { LfuStore } from './lfu';
import {
  CacheStore,
  EVICTION_POLICIES,
  FifoStore,
  LruStore,
  RandomStore,
  type EvictionPolicy,
  type StoreOptions,
} from './store';
import { WTinyLfuStore } from './tinylfu';
import { SegmentedLruStore } from './segmented';

export function createStore(policy: EvictionPolicy, options: StoreOptions): CacheStore {
  switch (policy) {
    case 'lru':
      return new LruStore(options);
    case 'fifo':
      return new FifoStore(options);
    case 'random':
      return new RandomStore(options);
    case 'lfu':
      return new LfuStore(options);
    case 'wtinylfu':
      return new WTinyLfuStore(options);
    case 'segmented':
      return new SegmentedLruStore(options);
    default:
      throw new ParameterError('policy', policy, `must be one of ${EVICTION_POLICIES.join(', ')}`);
  }
}
