/**
 * What bolts and spouts see: the input tuple (one reused view) and the output collectors. A bolt's
 * `emit` anchors the new tuple to its input (BaseBasicBolt's behaviour), so the new tuple's random
 * 64-bit edge id joins the input's tree: the bolt's ack then carries input id XOR every child id.
 * A spout's `emit(values, msgId)` starts a tree (one edge per target task) and sends the acker
 * the XOR of its edges (ACKER_INIT). With `topology.acker.executors` 0 a spout tuple with a message
 * id is acked at once, as Storm does [S-gmp].
 */
import { ParameterError } from '../../errors';
import type { StormCluster, ComponentRuntime } from './cluster';
import { DEFAULT_STREAM } from './topology';
import type { BoltCollector, SpoutCollector, SpoutSpec, Tuple } from './topology';

const K_TUPLE = 0;

function streamIndex(c: ComponentRuntime, stream: string | undefined, values: unknown[]): number {
  const si = c.streamNames.indexOf(stream ?? DEFAULT_STREAM);
  if (si < 0)
    throw new ParameterError(
      `${c.def.id}.emit stream`,
      stream ?? DEFAULT_STREAM,
      `is not declared (${c.streamNames.join(', ') || 'no output fields'})`,
    );
  const fields = c.def.streams[c.streamNames[si]];
  if (!Array.isArray(values) || values.length !== fields.length) {
    throw new ParameterError(
      `${c.def.id}.emit values`,
      values,
      `must be a list of ${fields.length} values (${fields.join(', ')})`,
    );
  }
  return si;
}

/** The input tuple of the bolt being executed. */
export class TupleView implements Tuple {
  values: readonly unknown[] = [];
  fields: readonly string[] = [];
  sourceComponent = '';
  sourceStreamId = '';
  sourceTask = 0;
  private readonly cluster: StormCluster;

  constructor(cluster: StormCluster) {
    this.cluster = cluster;
  }

  bind(job: number, _c: ComponentRuntime): void {
    const cl = this.cluster;
    const src = cl.components[cl.taskComp[cl.jSrc[job]]];
    this.values = cl.jValues[job] as unknown[];
    this.sourceStreamId = src.streamNames[cl.jStream[job]];
    this.fields = src.def.streams[this.sourceStreamId];
    this.sourceComponent = src.def.id;
    this.sourceTask = cl.jSrc[job];
  }

  getValue(i: number): unknown {
    return this.values[i];
  }
  getValueByField(field: string): unknown {
    const i = this.fields.indexOf(field);
    if (i < 0)
      throw new ParameterError(
        'getValueByField',
        field,
        `is not a field of ${this.sourceComponent}:${this.sourceStreamId} (${this.fields.join(', ')})`,
      );
    return this.values[i];
  }
  getString(i: number): string {
    return this.values[i] as string;
  }
  getStringByField(field: string): string {
    return this.getValueByField(field) as string;
  }
}

/** Emits one tuple to one target task; returns its edge id's two halves through the emitter. */
function emitTo(
  cl: StormCluster,
  from: number,
  worker: number,
  target: number,
  values: unknown[],
  si: number,
  slot: number,
  acc: { xorHi: number; xorLo: number },
): void {
  const job = cl.allocJob();
  cl.jKind[job] = K_TUPLE;
  cl.jTask[job] = target;
  cl.jSrc[job] = from;
  cl.jStream[job] = si;
  cl.jValues[job] = values;
  if (slot >= 0) {
    const hi = cl.ids.nextInt32();
    const lo = cl.ids.nextInt32();
    cl.jHi[job] = hi;
    cl.jLo[job] = lo;
    acc.xorHi ^= hi;
    acc.xorLo ^= lo;
    cl.jTree[job] = slot;
    cl.jSerial[job] = cl.spouts.tSerial[slot];
  } else {
    cl.jTree[job] = -1;
  }
  cl.taskEmitted[from]++;
  cl.send(job, worker);
}

function route(
  cl: StormCluster,
  c: ComponentRuntime,
  task: number,
  worker: number,
  values: unknown[],
  si: number,
  slot: number,
  acc: { xorHi: number; xorLo: number },
): number {
  const routes = c.routes[si][cl.taskPos[task]];
  const out = cl.out;
  let total = 0;
  for (let r = 0; r < routes.length; r++) {
    const g = routes[r].grouper;
    if (g === null) continue;
    const n = g.choose(values, out);
    for (let i = 0; i < n; i++) emitTo(cl, task, worker, out[i], values, si, slot, acc);
    total += n;
  }
  return total;
}

export class BoltEmitter implements BoltCollector {
  xorHi = 0;
  xorLo = 0;
  failed = false;
  worker = 0;
  private task = 0;
  private slot = -1;
  private readonly cl: StormCluster;

  constructor(cluster: StormCluster) {
    this.cl = cluster;
  }

  begin(_job: number, task: number, slot: number, worker: number): void {
    this.task = task;
    this.slot = slot;
    this.worker = worker;
    this.xorHi = 0;
    this.xorLo = 0;
    this.failed = false;
  }

  emit(values: unknown[], streamId?: string): number {
    const c = this.cl.components[this.cl.taskComp[this.task]];
    return route(
      this.cl,
      c,
      this.task,
      this.worker,
      values,
      streamIndex(c, streamId, values),
      this.slot,
      this,
    );
  }

  emitUnanchored(values: unknown[], streamId?: string): number {
    const c = this.cl.components[this.cl.taskComp[this.task]];
    return route(
      this.cl,
      c,
      this.task,
      this.worker,
      values,
      streamIndex(c, streamId, values),
      -1,
      this,
    );
  }

  emitDirect(taskId: number, values: unknown[], streamId?: string): void {
    const cl = this.cl;
    const c = cl.components[cl.taskComp[this.task]];
    const si = streamIndex(c, streamId, values);
    const ok = c.routes[si][cl.taskPos[this.task]].some(
      (r) => r.grouper === null && cl.components[r.component].tasks.includes(taskId),
    );
    if (!ok)
      throw new ParameterError(
        `${c.def.id}.emitDirect taskId`,
        taskId,
        `is not a task of a bolt subscribed with directGrouping to ${c.def.id}:${c.streamNames[si]}`,
      );
    emitTo(cl, this.task, this.worker, taskId, values, si, this.slot, this);
  }

  fail(): void {
    this.failed = true;
  }
}

export class SpoutEmitter implements SpoutCollector {
  xorHi = 0;
  xorLo = 0;
  /** Spout tuples emitted in the current nextTuple call. */
  emitted = 0;
  attempt = 1;
  private task = 0;
  private worker = 0;
  private readonly cl: StormCluster;

  constructor(cluster: StormCluster) {
    this.cl = cluster;
  }

  begin(task: number, worker: number): void {
    this.task = task;
    this.worker = worker;
    this.emitted = 0;
  }

  emit(values: unknown[], messageId?: unknown, streamId?: string): number {
    const cl = this.cl;
    const c = cl.components[cl.taskComp[this.task]];
    const si = streamIndex(c, streamId, values);
    this.emitted++;
    cl.spoutEmitted++;
    const tracked = messageId !== undefined && cl.ackerTasks.length > 0;
    const slot = tracked
      ? cl.spouts.newTree(this.task, messageId, values, c.streamNames[si], this.attempt)
      : -1;
    this.xorHi = 0;
    this.xorLo = 0;
    const n = route(cl, c, this.task, this.worker, values, si, slot, this);
    if (tracked) cl.spouts.sendInit(slot, this.xorHi, this.xorLo, this.worker);
    else if (messageId !== undefined) {
      // reliability off (no ackers): the spout tuple is acked on emit
      cl.acked++;
      const spec = c.def.spec as SpoutSpec;
      if (spec.ack) spec.ack(messageId, cl.taskState[this.task]);
    }
    return n;
  }
}
