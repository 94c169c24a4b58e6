/**
 * The CDN's per-job attributes (cdn.ts), typed arrays indexed by job id and grown with the job
 * table: the object, the cache handling the job, the cache that asked (a fetch) or NONE (a
 * client's request), the client region, when a fetch was sent and the Age its answer carried, the
 * outcome of a client's request, the next request waiting for the same fetch (collapsed misses),
 * the half round trip of a fetch, and for called mode whether the request is a caller's, what the
 * caller set (1 key, 2 region) and when it came in.
 */
import { grownFloat64, grownInt32, grownUint8 } from '../../sim/grown';

export class CdnJobs {
  keyOf: Int32Array;
  atOf: Int32Array;
  fromOf: Int32Array;
  regionOf: Int32Array;
  sentAt: Float64Array;
  ageOf: Float64Array;
  outcomeOf: Uint8Array;
  nextWaiter: Int32Array;
  halfRttOf: Float64Array;
  calledOf: Uint8Array;
  givenOf: Uint8Array;
  enteredAt: Float64Array;

  constructor(cap: number) {
    this.keyOf = new Int32Array(cap);
    this.atOf = new Int32Array(cap);
    this.fromOf = new Int32Array(cap);
    this.regionOf = new Int32Array(cap);
    this.sentAt = new Float64Array(cap);
    this.ageOf = new Float64Array(cap);
    this.outcomeOf = new Uint8Array(cap);
    this.nextWaiter = new Int32Array(cap);
    this.halfRttOf = new Float64Array(cap);
    this.calledOf = new Uint8Array(cap);
    this.givenOf = new Uint8Array(cap);
    this.enteredAt = new Float64Array(cap);
  }

  /** Room for job ids below `cap`. */
  grow(cap: number): void {
    if (cap <= this.keyOf.length) return;
    this.keyOf = grownInt32(this.keyOf, cap);
    this.atOf = grownInt32(this.atOf, cap);
    this.fromOf = grownInt32(this.fromOf, cap);
    this.regionOf = grownInt32(this.regionOf, cap);
    this.sentAt = grownFloat64(this.sentAt, cap);
    this.ageOf = grownFloat64(this.ageOf, cap);
    this.outcomeOf = grownUint8(this.outcomeOf, cap);
    this.nextWaiter = grownInt32(this.nextWaiter, cap);
    this.halfRttOf = grownFloat64(this.halfRttOf, cap);
    this.calledOf = grownUint8(this.calledOf, cap);
    this.givenOf = grownUint8(this.givenOf, cap);
    this.enteredAt = grownFloat64(this.enteredAt, cap);
  }
}
