/**
 * The per-job attributes the microservices system keeps, as typed arrays indexed by job id (grown
 * with the kernel's job table): the job's current step, visits left, try number, pending hedge
 * event, calls launched in its wait, its service and replica, whether it is a cancellable hedge
 * copy, whether it is a root request, when it reached its service and when its wait began.
 */
import { grownFloat64, grownInt32, grownUint8 } from '../../sim/grown';

export class JobState {
  cap = 0;
  stepOf: Int32Array = new Int32Array(0);
  visitsLeft: Int32Array = new Int32Array(0);
  attempt: Int32Array = new Int32Array(0);
  hedgeEvent: Int32Array = new Int32Array(0);
  launched: Int32Array = new Int32Array(0);
  svcOf: Int32Array = new Int32Array(0);
  replicaOf: Int32Array = new Int32Array(0);
  cancellable: Uint8Array = new Uint8Array(0);
  isRoot: Uint8Array = new Uint8Array(0);
  arrivedAt: Float64Array = new Float64Array(0);
  waitStart: Float64Array = new Float64Array(0);

  ensure(capacity: number): void {
    if (capacity <= this.cap) return;
    this.stepOf = grownInt32(this.stepOf, capacity);
    this.visitsLeft = grownInt32(this.visitsLeft, capacity);
    this.attempt = grownInt32(this.attempt, capacity);
    this.hedgeEvent = grownInt32(this.hedgeEvent, capacity);
    this.launched = grownInt32(this.launched, capacity);
    this.svcOf = grownInt32(this.svcOf, capacity);
    this.replicaOf = grownInt32(this.replicaOf, capacity);
    this.cancellable = grownUint8(this.cancellable, capacity);
    this.isRoot = grownUint8(this.isRoot, capacity);
    this.arrivedAt = grownFloat64(this.arrivedAt, capacity);
    this.waitStart = grownFloat64(this.waitStart, capacity);
    for (let i = this.cap; i < capacity; i++) this.hedgeEvent[i] = -1;
    this.cap = capacity;
  }
}
