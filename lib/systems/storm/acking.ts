/**
 * The bolt and acker side of Storm's reliability [S-gmp]: a bolt task executes a tuple and, when
 * the tuple belongs to a tracked tree, acks (or fails) it to the tree's acker with the XOR of the
 * input's edge id and every anchored child's edge id; the acker XORs every edge id it is sent into
 * the tree's value, and the tree is complete exactly when that value returns to 0 after the
 * spout's init (then the spout task is told `complete`; on a fail, `failed`). A stale message (the
 * tree's slot released since), or a tree whose acker died since (its XOR state is lost), is ignored.
 * The spout side (trees, emits, timeouts, replays) is ./spouts.ts.
 */
import type { StormCluster } from './cluster';
import { K_ACK, K_COMPLETE, K_FAIL, K_FAILED, K_INIT } from './runtime';
import type { BoltSpec } from './topology';
import { T_DONE, T_PENDING } from './spouts';

/** Runs task `task`'s bolt on tuple job `job`, then acks or fails it to its tree's acker when tracked. */
export function runBolt(cl: StormCluster, job: number, task: number): void {
  const c = cl.components[cl.taskComp[task]];
  cl.taskExecuted[task]++;
  const slot = cl.jTree[job];
  const tracked =
    slot >= 0 &&
    cl.spouts.tSerial[slot] === cl.jSerial[job] &&
    cl.spouts.tState[slot] === T_PENDING;
  if (tracked) cl.spouts.tExecuted[slot]++;
  const em = cl.boltEmitter;
  em.begin(job, task, tracked ? slot : -1, cl.workerOf(task));
  cl.tuple.bind(job, c);
  (c.def.spec as BoltSpec).execute(cl.tuple, em, cl.taskState[task]);
  if (!tracked) return;
  // ack (or fail) the input: XOR of its edge id and every anchored child's edge id
  const msg = cl.allocJob();
  cl.jKind[msg] = em.failed ? K_FAIL : K_ACK;
  cl.jTask[msg] = cl.spouts.tAcker[slot];
  cl.jTree[msg] = slot;
  cl.jSerial[msg] = cl.spouts.tSerial[slot];
  cl.jHi[msg] = cl.jHi[job] ^ em.xorHi;
  cl.jLo[msg] = cl.jLo[job] ^ em.xorLo;
  cl.send(msg, em.worker);
}

/** The acker task `task` takes an init, ack or fail message `job` for its tree. */
export function atAcker(cl: StormCluster, job: number, task: number): void {
  cl.taskExecuted[task]++;
  const slot = cl.jTree[job];
  // a stale message (tree gone), or a tree whose acker died since: its XOR state is lost
  if (
    cl.spouts.tSerial[slot] !== cl.jSerial[job] ||
    cl.spouts.tState[slot] !== T_PENDING ||
    cl.spouts.tAcker[slot] !== task ||
    cl.spouts.tInit[slot] < 0
  )
    return;
  const kind = cl.jKind[job];
  if (kind === K_FAIL) {
    cl.spouts.tState[slot] = T_DONE;
    toSpout(cl, slot, K_FAILED, task);
    return;
  }
  if (kind === K_INIT) cl.spouts.tInit[slot] = 1;
  cl.spouts.tHi[slot] ^= cl.jHi[job];
  cl.spouts.tLo[slot] ^= cl.jLo[job];
  if (cl.spouts.tInit[slot] === 1 && cl.spouts.tHi[slot] === 0 && cl.spouts.tLo[slot] === 0) {
    cl.spouts.tState[slot] = T_DONE;
    toSpout(cl, slot, K_COMPLETE, task);
  }
}

/** Tells the tree's spout task that the tree completed (K_COMPLETE) or failed (K_FAILED). */
function toSpout(cl: StormCluster, slot: number, kind: number, ackerTask: number): void {
  const msg = cl.allocJob();
  cl.jKind[msg] = kind;
  cl.jTask[msg] = cl.spouts.tSpoutTask[slot];
  cl.jTree[msg] = slot;
  cl.jSerial[msg] = cl.spouts.tSerial[slot];
  cl.send(msg, cl.workerOf(ackerTask));
}
