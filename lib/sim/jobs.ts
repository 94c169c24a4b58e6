import { ParameterError, WorkBudgetError } from '../errors';
import { grownFloat64, grownInt32, grownUint8 } from './grown';

/**
 * The job (customer) table shared by every component of a simulation: a job is an integer id
 * whose attributes live in typed arrays indexed by the id, so moving a job between stations
 * moves one integer and allocates nothing. Ids are recycled through a free list.
 *
 * Built-in attributes (read and write them directly, e.g. `sim.jobs.priority[job] = 2`):
 * - `born`: time the job entered the system (set by Source/Population; response time = now - born)
 * - `arrived`: time it arrived at its current station (set by stations)
 * - `serviceStart`: time its current service started
 * - `priority`: integer class/priority (smaller is served first by priority stations)
 * - `origin`: integer tag, e.g. the user index in a closed population or a source id
 * - `size`: a job size or service requirement, NaN unless set (stations can read it)
 *
 * Further attributes: `defineAttribute('bytes')` returns an index k; values are in
 * `jobs.attributes[k][job]`. Arrays are replaced when the table grows, so always read them
 * through `jobs.` at use rather than caching an array across allocations.
 */
export class Jobs {
  /**
   * Most jobs alive at once in one simulation (default 2^23, about 400 MB of attributes): a queue
   * that grows without bound stops with a WorkBudgetError instead of exhausting the machine.
   */
  static maxLive = 1 << 23;
  born: Float64Array;
  arrived: Float64Array;
  serviceStart: Float64Array;
  size: Float64Array;
  priority: Int32Array;
  origin: Int32Array;
  /** Extra float attributes from {@link defineAttribute}. */
  attributes: Float64Array[] = [];
  private readonly attributeNames: string[] = [];
  private alive: Uint8Array;
  private freeIds: Int32Array;
  private freeTop: number;
  private cap: number;
  /** Jobs currently allocated. */
  live = 0;
  /** Largest number of jobs allocated at once. */
  peakLive = 0;

  /**
   * `capacity` is the initial size (it doubles when full). The default of 1024 jobs (about 45 KB)
   * keeps most models from ever growing: the first growth replaces the arrays, and V8 then throws
   * away the optimised code of every handler that had them as constants (recompiling it cost 6 %
   * of a cold 2M-customer M/M/1 run).
   */
  constructor(capacity: number = 1024) {
    this.cap = capacity;
    this.born = new Float64Array(capacity);
    this.arrived = new Float64Array(capacity);
    this.serviceStart = new Float64Array(capacity);
    this.size = new Float64Array(capacity).fill(NaN);
    this.priority = new Int32Array(capacity);
    this.origin = new Int32Array(capacity);
    this.alive = new Uint8Array(capacity);
    this.freeIds = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.freeIds[i] = capacity - 1 - i;
    this.freeTop = capacity;
  }

  /** Capacity of the arrays (grows by doubling). */
  get capacity(): number {
    return this.cap;
  }

  /** Allocates a job id with priority 0, origin 0, size NaN and times 0. */
  alloc(): number {
    if (this.freeTop === 0) this.grow();
    const id = this.freeIds[--this.freeTop];
    this.alive[id] = 1;
    this.priority[id] = 0;
    this.origin[id] = 0;
    this.size[id] = NaN;
    if (++this.live > this.peakLive) this.peakLive = this.live;
    return id;
  }

  /** Returns a job id to the pool. */
  free(id: number): void {
    if (this.alive[id] !== 1)
      throw new ParameterError('job', id, 'must be a live job id (double free?)');
    this.alive[id] = 0;
    this.freeIds[this.freeTop++] = id;
    this.live--;
  }

  /** True if `id` is allocated. */
  isLive(id: number): boolean {
    return id >= 0 && id < this.cap && this.alive[id] === 1;
  }

  /** Defines (or finds) a float attribute; returns its index into {@link attributes}. */
  defineAttribute(name: string): number {
    const i = this.attributeNames.indexOf(name);
    if (i >= 0) return i;
    this.attributeNames.push(name);
    this.attributes.push(new Float64Array(this.cap).fill(NaN));
    return this.attributes.length - 1;
  }

  private grow(): void {
    if (this.cap >= Jobs.maxLive) {
      throw new WorkBudgetError(
        'jobs',
        this.cap + 1,
        Jobs.maxLive,
        'jobs alive at once (a queue that grows without bound?)',
        'jobs alive',
      );
    }
    const old = this.cap;
    const cap = old * 2;
    this.born = grownFloat64(this.born, cap);
    this.arrived = grownFloat64(this.arrived, cap);
    this.serviceStart = grownFloat64(this.serviceStart, cap);
    this.size = grownFloat64(this.size, cap, NaN);
    this.priority = grownInt32(this.priority, cap);
    this.origin = grownInt32(this.origin, cap);
    this.attributes = this.attributes.map((a) => grownFloat64(a, cap, NaN));
    this.alive = grownUint8(this.alive, cap);
    const free = new Int32Array(cap);
    for (let k = cap - 1; k >= old; k--) free[this.freeTop++] = k;
    this.freeIds = free;
    this.cap = cap;
  }
}
