/**
 * A Storm topology built as Storm builds it (org.apache.storm.topology.TopologyBuilder):
 * `setSpout(id, spout, parallelismHint)` and `setBolt(id, bolt, parallelismHint)` return a
 * declarer on which `setNumTasks(n)` and, for bolts, the subscriptions
 * (`shuffleGrouping(source, stream?)`, `fieldsGrouping(source, fields | stream, fields?)`,
 * `allGrouping`, `globalGrouping`, `noneGrouping`, `directGrouping`, `localOrShuffleGrouping`,
 * `partialKeyGrouping`) are chained. `createTopology()` checks it: unknown source components or
 * streams, unknown grouping fields, cycles, parallelism above the task count, each a
 * ParameterError naming the component.
 *
 * Bolts and spouts are small TypeScript objects over tuples (see {@link BoltSpec}, {@link SpoutSpec}):
 * the simulated topology computes its real result. Parallelism [S-par]: executors (threads) =
 * the parallelism hint (default 1), tasks = `setNumTasks` (default = executors), executors ≤ tasks.
 * Task ids are numbered from 1 in the sorted order of component ids, as Storm numbers them.
 */
import { ParameterError } from '../../errors';
import type { Distribution } from '../../random/distribution';
import type { GroupingType } from './groupings';

export const DEFAULT_STREAM = 'default';

/** An input tuple as a bolt sees it (one object reused by the cluster: read it, do not keep it). */
export interface Tuple {
  values: readonly unknown[];
  fields: readonly string[];
  sourceComponent: string;
  sourceStreamId: string;
  sourceTask: number;
  getValue(i: number): unknown;
  getValueByField(field: string): unknown;
  getString(i: number): string;
  getStringByField(field: string): string;
}

/** What a bolt's execute may do: emit (anchored to its input by default), emitDirect, fail. */
export interface BoltCollector {
  /** Emits anchored to the input tuple (it joins the input's tuple tree). Returns the target task ids count. */
  emit(values: unknown[], streamId?: string): number;
  /** Emits without an anchor: the new tuple is not tracked (a loss downstream is never replayed). */
  emitUnanchored(values: unknown[], streamId?: string): number;
  /** Emits to one task of a direct-grouping subscriber. */
  emitDirect(taskId: number, values: unknown[], streamId?: string): void;
  /** Fails the input tuple's tree now (the spout's fail(msgId) follows). */
  fail(): void;
}

/** What a spout's nextTuple may do. */
export interface SpoutCollector {
  /** Emits a spout tuple; with a message id it is tracked and replayed on failure. */
  emit(values: unknown[], messageId?: unknown, streamId?: string): number;
}

/** Per task context. */
export interface TopologyContext {
  componentId: string;
  taskId: number;
  /** Index of the task among its component's tasks (0-based). */
  taskIndex: number;
  componentTasks: readonly number[];
}

/**
 * A bolt: output fields per stream, per-task state from `prepare`, and `execute` per input.
 * Bolts ack their input automatically after execute (BaseBasicBolt), unless it called fail().
 */
export interface BoltSpec<S = any> {
  /** Output fields of the default stream, or of each named stream. */
  outputFields?: readonly string[] | Record<string, readonly string[]>;
  prepare?(context: TopologyContext): S;
  execute(tuple: Tuple, collector: BoltCollector, state: S): void;
  /** Simulated time one execute takes on its executor (Storm UI's "execute latency"); default 0.1 ms. */
  executeLatency?: Distribution;
}

/** A spout: `nextTuple` emits zero or more tuples each call (none: nothing to send now). */
export interface SpoutSpec<S = any> {
  outputFields?: readonly string[] | Record<string, readonly string[]>;
  open?(context: TopologyContext): S;
  /** Called when the spout may emit (not while max.spout.pending is reached or backpressure is on). */
  nextTuple(collector: SpoutCollector, state: S): void;
  /** Tree of `messageId` complete. */
  ack?(messageId: unknown, state: S): void;
  /** Tree of `messageId` failed or timed out. Without `fail`, the cluster replays the tuple (a reliable spout). */
  fail?(messageId: unknown, state: S): void;
  /** Simulated time between nextTuple calls of one task (default 0: as fast as allowed). */
  nextTupleInterval?: Distribution;
}

export interface Subscription {
  source: string;
  stream: string;
  grouping: GroupingType;
  fields: readonly string[];
}

export interface ComponentDef {
  id: string;
  kind: 'spout' | 'bolt';
  spec: SpoutSpec | BoltSpec;
  parallelism: number;
  numTasks: number;
  inputs: Subscription[];
  /** Output fields by stream. */
  streams: Record<string, readonly string[]>;
}

function requireId(what: string, id: unknown): string {
  if (typeof id !== 'string' || id.length === 0)
    throw new ParameterError(what, id, 'must be a non-empty string');
  if (id.startsWith('__'))
    throw new ParameterError(what, id, "must not start with '__' (Storm's system components)");
  return id;
}

function streamsOf(
  f: readonly string[] | Record<string, readonly string[]> | undefined,
): Record<string, readonly string[]> {
  if (f === undefined) return {};
  if (Array.isArray(f)) return { [DEFAULT_STREAM]: f as readonly string[] };
  return { ...(f as Record<string, readonly string[]>) };
}

/** setSpout's declarer. */
export class SpoutDeclarer {
  constructor(protected readonly def: ComponentDef) {}
  /** setNumTasks: tasks of the component (fixed for the topology's life). */
  setNumTasks(n: number): this {
    if (!Number.isInteger(n) || n < 1)
      throw new ParameterError(`${this.def.id}.numTasks`, n, 'must be an integer >= 1');
    this.def.numTasks = n;
    return this;
  }
}

/** setBolt's declarer: the subscriptions. */
export class BoltDeclarer extends SpoutDeclarer {
  private sub(
    source: string,
    stream: string | undefined,
    grouping: GroupingType,
    fields: readonly string[] = [],
  ): this {
    if (typeof source !== 'string')
      throw new ParameterError(`${this.def.id}.inputs`, source, 'must name a component');
    this.def.inputs.push({
      source,
      stream: stream ?? DEFAULT_STREAM,
      grouping,
      fields: [...fields],
    });
    return this;
  }
  shuffleGrouping(source: string, stream?: string): this {
    return this.sub(source, stream, 'shuffle');
  }
  noneGrouping(source: string, stream?: string): this {
    return this.sub(source, stream, 'none');
  }
  localOrShuffleGrouping(source: string, stream?: string): this {
    return this.sub(source, stream, 'localOrShuffle');
  }
  allGrouping(source: string, stream?: string): this {
    return this.sub(source, stream, 'all');
  }
  globalGrouping(source: string, stream?: string): this {
    return this.sub(source, stream, 'global');
  }
  directGrouping(source: string, stream?: string): this {
    return this.sub(source, stream, 'direct');
  }
  /** fieldsGrouping(source, fields) or fieldsGrouping(source, stream, fields). */
  fieldsGrouping(
    source: string,
    streamOrFields: string | readonly string[],
    fields?: readonly string[],
  ): this {
    return typeof streamOrFields === 'string'
      ? this.sub(source, streamOrFields, 'fields', fields ?? [])
      : this.sub(source, undefined, 'fields', streamOrFields);
  }
  partialKeyGrouping(
    source: string,
    streamOrFields: string | readonly string[],
    fields?: readonly string[],
  ): this {
    return typeof streamOrFields === 'string'
      ? this.sub(source, streamOrFields, 'partialKey', fields ?? [])
      : this.sub(source, undefined, 'partialKey', streamOrFields);
  }
}

/** A checked topology: components sorted by id with their task ids. */
export interface StormTopology {
  readonly components: readonly ComponentDef[];
  /** Task ids of each component, from 1, in sorted component-id order. */
  readonly tasks: Readonly<Record<string, readonly number[]>>;
  /** Component of each task id (index 0 unused). */
  readonly taskComponent: readonly string[];
  /** Components in topological order (spouts first). */
  readonly order: readonly string[];
  readonly totalTasks: number;
}

export class TopologyBuilder {
  private readonly defs = new Map<string, ComponentDef>();

  private add(
    kind: 'spout' | 'bolt',
    id: string,
    spec: SpoutSpec | BoltSpec,
    parallelismHint: number,
  ): ComponentDef {
    requireId(kind === 'spout' ? 'setSpout id' : 'setBolt id', id);
    if (this.defs.has(id))
      throw new ParameterError(id, id, 'is already a component of this topology');
    if (
      spec == null ||
      (kind === 'bolt'
        ? typeof (spec as BoltSpec).execute !== 'function'
        : typeof (spec as SpoutSpec).nextTuple !== 'function')
    ) {
      throw new ParameterError(
        `${id}.${kind}`,
        spec,
        kind === 'bolt'
          ? 'must have execute(tuple, collector, state)'
          : 'must have nextTuple(collector, state)',
      );
    }
    if (!Number.isInteger(parallelismHint) || parallelismHint < 1)
      throw new ParameterError(
        `${id}.parallelism_hint`,
        parallelismHint,
        'must be an integer >= 1',
      );
    const def: ComponentDef = {
      id,
      kind,
      spec,
      parallelism: parallelismHint,
      numTasks: NaN,
      inputs: [],
      streams: streamsOf(spec.outputFields),
    };
    this.defs.set(id, def);
    return def;
  }

  setSpout(id: string, spout: SpoutSpec, parallelismHint: number = 1): SpoutDeclarer {
    return new SpoutDeclarer(this.add('spout', id, spout, parallelismHint));
  }

  setBolt(id: string, bolt: BoltSpec, parallelismHint: number = 1): BoltDeclarer {
    return new BoltDeclarer(this.add('bolt', id, bolt, parallelismHint));
  }

  createTopology(): StormTopology {
    const defs = [...this.defs.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (!defs.some((d) => d.kind === 'spout'))
      throw new ParameterError(
        'topology',
        defs.map((d) => d.id),
        'needs at least one spout',
      );
    for (const d of defs) {
      if (Number.isNaN(d.numTasks)) d.numTasks = d.parallelism;
      if (d.parallelism > d.numTasks)
        throw new ParameterError(
          `${d.id}.parallelism_hint`,
          d.parallelism,
          `must be <= its task count setNumTasks(${d.numTasks})`,
        );
      for (const s of d.inputs) {
        const src = this.defs.get(s.source);
        if (src === undefined)
          throw new ParameterError(
            `${d.id}.inputs`,
            s.source,
            `is not a component of this topology (known: ${defs.map((x) => x.id).join(', ')})`,
          );
        const out = src.streams[s.stream];
        if (out === undefined)
          throw new ParameterError(
            `${d.id}.inputs`,
            `${s.source}:${s.stream}`,
            `is not a stream that ${s.source} declares (${Object.keys(src.streams).join(', ') || 'none'})`,
          );
        if (s.grouping === 'fields' || s.grouping === 'partialKey') {
          if (s.fields.length === 0)
            throw new ParameterError(
              `${d.id}.${s.grouping}Grouping`,
              s.fields,
              'needs at least one field',
            );
          for (const f of s.fields)
            if (!out.includes(f))
              throw new ParameterError(
                `${d.id}.${s.grouping}Grouping`,
                f,
                `is not a field of ${s.source}:${s.stream} (${out.join(', ')})`,
              );
        }
      }
    }
    // topological order (Kahn); what is left is on a cycle
    const indeg = new Map(defs.map((d) => [d.id, d.inputs.length]));
    const order: string[] = [];
    const ready = defs.filter((d) => d.inputs.length === 0).map((d) => d.id);
    while (ready.length > 0) {
      const id = ready.shift() as string;
      order.push(id);
      for (const d of defs)
        for (const s of d.inputs)
          if (s.source === id) {
            const n = (indeg.get(d.id) as number) - 1;
            indeg.set(d.id, n);
            if (n === 0) ready.push(d.id);
          }
    }
    if (order.length < defs.length) {
      const cyc = defs.filter((d) => !order.includes(d.id)).map((d) => d.id);
      throw new ParameterError('topology', cyc.join(' -> '), 'has a cycle: a topology is a DAG');
    }
    const tasks: Record<string, number[]> = {};
    const taskComponent: string[] = [''];
    let next = 1;
    for (const d of defs) {
      tasks[d.id] = [];
      for (let i = 0; i < d.numTasks; i++) {
        tasks[d.id].push(next++);
        taskComponent.push(d.id);
      }
    }
    return { components: defs, tasks, taskComponent, order, totalTasks: next - 1 };
  }
}
