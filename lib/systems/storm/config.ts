/**
 * The Storm cluster's configuration, with Storm's own keys and defaults (conf/defaults.yaml of
 * Storm 2.x; ../shared/reference/subsystems.md §5.3-5.4), resolved and validated once. Knobs Storm
 * does not have (the simulated costs) have plain names: `supervisors` (worker nodes),
 * `transferLatency` (one network hop between workers), `ackerExecuteLatency`, `failures`.
 */
import { ParameterError, requireInteger, requireNonNegative, requirePositive } from '../../errors';
import { Deterministic } from '../../random/deterministic';
import type { Distribution } from '../../random/distribution';
import { knownKeys, keyPath, rejectUnknownKeys } from '../common/config';
import { resolveFailureSpec } from '../common/failures';
import type { FailureSpec, ResolvedFailureSpec } from '../common/failures';
import type { StormTopology } from './topology';

/** Failures per daemon: one spec for every instance (each on its own substream), or one per index. */
export interface StormFailures {
  /** Worker processes (JVMs): the supervisor restarts a dead worker after the time to repair. */
  workers?: FailureSpec | Array<FailureSpec | undefined>;
  /** Supervisor nodes: their workers die; Nimbus reassigns them after nimbus.task.timeout.secs. */
  nodes?: FailureSpec | Array<FailureSpec | undefined>;
  /** Nimbus: while down, nothing is reassigned (the topology keeps running). */
  nimbus?: FailureSpec;
  /** Acker executors alone (their pending trees are forgotten and time out). */
  ackers?: FailureSpec | Array<FailureSpec | undefined>;
}

export interface StormConfig {
  /** The topology (TopologyBuilder.createTopology()). */
  topology: StormTopology;
  /** Worker processes (default 1). */
  'topology.workers'?: number;
  /** Acker executors; null: one per worker (default); 0 turns reliability off. */
  'topology.acker.executors'?: number | null;
  /** Seconds before an incomplete tuple tree fails (default 30). */
  'topology.message.timeout.secs'?: number;
  /** Max un-acked tuples per spout task; null: unlimited (default). */
  'topology.max.spout.pending'?: number | null;
  /** Receive queue slots per executor (default 32768 in 2.x; rounded up to a power of two). */
  'topology.executor.receive.buffer.size'?: number;
  /** Throttle the spouts when a receive queue fills (default true). */
  'topology.backpressure.enable'?: boolean;
  /** Queue fill fraction that turns backpressure on (Storm 1.x's backpressure.disruptor.high.watermark, 0.9). */
  'backpressure.disruptor.high.watermark'?: number;
  /** ... and off again (backpressure.disruptor.low.watermark, 0.4). */
  'backpressure.disruptor.low.watermark'?: number;
  /** Spout sleep when nextTuple emitted nothing, ms (topology.sleep.spout.wait.strategy.time.ms, 1). */
  'topology.sleep.spout.wait.strategy.time.ms'?: number;
  /** Worker slots (ports) per supervisor (default 6700-6703). */
  'supervisor.slots.ports'?: number[];
  /** Seconds Nimbus waits for a silent worker before reassigning it (default 30). */
  'nimbus.task.timeout.secs'?: number;
  /** Supervisor nodes (default: enough for the workers). */
  supervisors?: number;
  /** Time of one hop between workers (default 0.5 ms, constant); same-worker transfers are free. */
  transferLatency?: Distribution;
  /** Time an acker executor takes per message (default 10 µs). */
  ackerExecuteLatency?: Distribution;
  failures?: StormFailures;
}

export const STORM_CONFIG_KEYS = knownKeys<StormConfig>()([
  'topology',
  'topology.workers',
  'topology.acker.executors',
  'topology.message.timeout.secs',
  'topology.max.spout.pending',
  'topology.executor.receive.buffer.size',
  'topology.backpressure.enable',
  'backpressure.disruptor.high.watermark',
  'backpressure.disruptor.low.watermark',
  'topology.sleep.spout.wait.strategy.time.ms',
  'supervisor.slots.ports',
  'nimbus.task.timeout.secs',
  'supervisors',
  'transferLatency',
  'ackerExecuteLatency',
  'failures',
]);

const FAILURE_KEYS = knownKeys<StormFailures>()(['workers', 'nodes', 'nimbus', 'ackers']);

export interface ResolvedStormConfig {
  topology: StormTopology;
  workers: number;
  ackers: number;
  timeoutSecs: number;
  maxSpoutPending: number;
  receiveBufferSize: number;
  backpressure: boolean;
  highWatermark: number;
  lowWatermark: number;
  spoutSleepSecs: number;
  slotsPerSupervisor: number;
  nimbusTaskTimeoutSecs: number;
  supervisors: number;
  transferLatency: Distribution;
  ackerExecuteLatency: Distribution;
  failures: {
    workers: ResolvedFailureSpec[];
    nodes: ResolvedFailureSpec[];
    nimbus: ResolvedFailureSpec;
    ackers: ResolvedFailureSpec[];
  };
}

function isDistribution(d: unknown): d is Distribution {
  return (
    d != null &&
    typeof (d as Distribution).sample === 'function' &&
    typeof (d as Distribution).mean === 'number'
  );
}

function perInstance(
  spec: FailureSpec | Array<FailureSpec | undefined> | undefined,
  n: number,
  path: string,
): ResolvedFailureSpec[] {
  if (Array.isArray(spec)) {
    if (spec.length > n)
      throw new ParameterError(
        path,
        spec.length,
        `must have at most ${n} entries (one per instance)`,
      );
    return Array.from({ length: n }, (_, i) => resolveFailureSpec(spec[i], keyPath(path, i)));
  }
  const r = resolveFailureSpec(spec, path);
  return Array.from({ length: n }, () => r);
}

/** Validates a config; every bad value is a ParameterError naming its key. */
export function resolveStormConfig(config: StormConfig): ResolvedStormConfig {
  rejectUnknownKeys(config, STORM_CONFIG_KEYS, '');
  const topo = config.topology;
  if (topo == null || !Array.isArray(topo.components) || typeof topo.tasks !== 'object') {
    throw new ParameterError(
      'topology',
      topo,
      'must be a StormTopology from TopologyBuilder.createTopology()',
    );
  }
  const workers = requireInteger('topology.workers', config['topology.workers'] ?? 1, 1, 10000);
  const ackersIn = config['topology.acker.executors'];
  const ackers =
    ackersIn === null || ackersIn === undefined
      ? workers
      : requireInteger('topology.acker.executors', ackersIn, 0, 10000);
  const pendingIn = config['topology.max.spout.pending'];
  const maxSpoutPending =
    pendingIn === null || pendingIn === undefined
      ? Infinity
      : requireInteger('topology.max.spout.pending', pendingIn, 1, 1e9);
  const buf = requireInteger(
    'topology.executor.receive.buffer.size',
    config['topology.executor.receive.buffer.size'] ?? 32768,
    1,
    1 << 24,
  );
  const high = config['backpressure.disruptor.high.watermark'] ?? 0.9;
  const low = config['backpressure.disruptor.low.watermark'] ?? 0.4;
  if (!(high > 0 && high <= 1))
    throw new ParameterError('backpressure.disruptor.high.watermark', high, 'must be in (0, 1]');
  if (!(low >= 0 && low < high))
    throw new ParameterError(
      'backpressure.disruptor.low.watermark',
      low,
      `must be in [0, high watermark ${high})`,
    );
  const bp = config['topology.backpressure.enable'] ?? true;
  if (typeof bp !== 'boolean')
    throw new ParameterError('topology.backpressure.enable', bp, 'must be true or false');
  const ports = config['supervisor.slots.ports'] ?? [6700, 6701, 6702, 6703];
  if (
    !Array.isArray(ports) ||
    ports.length < 1 ||
    ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535) ||
    new Set(ports).size !== ports.length
  ) {
    throw new ParameterError(
      'supervisor.slots.ports',
      ports,
      'must be a non-empty list of distinct ports 1..65535',
    );
  }
  const needed = Math.ceil(workers / ports.length);
  const supervisors = requireInteger('supervisors', config.supervisors ?? needed, 1, 10000);
  if (supervisors * ports.length < workers) {
    throw new ParameterError(
      'supervisors',
      supervisors,
      `must offer at least topology.workers = ${workers} slots (${ports.length} per supervisor: >= ${needed})`,
    );
  }
  const transfer = config.transferLatency ?? new Deterministic(0.0005);
  if (!isDistribution(transfer))
    throw new ParameterError('transferLatency', transfer, 'must be a Distribution (seconds)');
  const ackerLat = config.ackerExecuteLatency ?? new Deterministic(0.00001);
  if (!isDistribution(ackerLat))
    throw new ParameterError('ackerExecuteLatency', ackerLat, 'must be a Distribution (seconds)');
  const f = config.failures ?? {};
  rejectUnknownKeys(f, FAILURE_KEYS, 'failures');
  for (const c of topo.components) {
    const lat =
      c.kind === 'bolt'
        ? (c.spec as { executeLatency?: unknown }).executeLatency
        : (c.spec as { nextTupleInterval?: unknown }).nextTupleInterval;
    if (lat !== undefined && !isDistribution(lat))
      throw new ParameterError(
        `${c.id}.${c.kind === 'bolt' ? 'executeLatency' : 'nextTupleInterval'}`,
        lat,
        'must be a Distribution (seconds)',
      );
  }
  return {
    topology: topo,
    workers,
    ackers,
    timeoutSecs: requirePositive(
      'topology.message.timeout.secs',
      config['topology.message.timeout.secs'] ?? 30,
    ),
    maxSpoutPending,
    receiveBufferSize: 2 ** Math.ceil(Math.log2(buf)),
    backpressure: bp,
    highWatermark: high,
    lowWatermark: low,
    spoutSleepSecs:
      requireNonNegative(
        'topology.sleep.spout.wait.strategy.time.ms',
        config['topology.sleep.spout.wait.strategy.time.ms'] ?? 1,
      ) / 1000,
    slotsPerSupervisor: ports.length,
    nimbusTaskTimeoutSecs: requirePositive(
      'nimbus.task.timeout.secs',
      config['nimbus.task.timeout.secs'] ?? 30,
    ),
    supervisors,
    transferLatency: transfer,
    ackerExecuteLatency: ackerLat,
    failures: {
      workers: perInstance(f.workers, workers, 'failures.workers'),
      nodes: perInstance(f.nodes, supervisors, 'failures.nodes'),
      nimbus: resolveFailureSpec(f.nimbus, 'failures.nimbus'),
      ackers: perInstance(f.ackers, ackers, 'failures.ackers'),
    },
  };
}
