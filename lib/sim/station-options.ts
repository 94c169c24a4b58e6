/**
 * The kernel Station's configuration and result types: disciplines, service specs, crash modes,
 * the options a station is built with (and their validation, {@link resolveStationOptions}) and
 * the summary it reports (lib/sim/station.ts).
 */
import { ParameterError, requireInteger } from '../errors';
import type { Distribution } from '../random/distribution';
import type { Rng } from '../random/xoshiro128';
import { requireDelayDistribution } from './delays';
import type { Simulation } from './simulation';
import type { JobTarget } from './target';

/**
 * Queue discipline: first-in first-out, last-in first-out (non-preemptive), non-preemptive
 * priority (smallest `jobs.priority` first, FIFO within a class), or processor sharing (every
 * job in the station served at once, each at rate min(1, c/n)).
 */
export type Discipline = 'fifo' | 'lifo' | 'priority' | 'ps';

/** A service-time distribution, or a function of the job (e.g. reading `sim.jobs.size[job]`). */
export type ServiceSpec = Distribution | ((job: number, rng: Rng) => number);

export interface StationOptions {
  /** Names the random stream (`<name>.service`) and the station in reports. */
  name: string;
  /** Service time (or work, under PS) per job. */
  service: ServiceSpec;
  /** Number of identical servers c (default 1). */
  servers?: number;
  discipline?: Discipline;
  /** Maximum jobs in the station, waiting plus in service (K of M/M/c/K); arrivals beyond are dropped. */
  capacity?: number;
  /** Where jobs go after service (default: freed, as if leaving the system unrecorded). */
  to?: JobTarget;
  /** Where dropped jobs go (default: freed). A closed population sends them back to think. */
  dropTo?: JobTarget;
  /** Override the stream (default `sim.streams.get(name + '.service')`). */
  stream?: Rng;
  /** Keep a 1 % quantile sketch of response times (default true). */
  quantiles?: boolean;
  /**
   * What {@link Station.crash} does to the jobs inside, waiting and in service (default 'lose'):
   * - 'lose': they are freed and counted in `lost` (a process whose connections are reset, nobody told);
   * - 'fail': each is handed to `failTo` and counted in `failed` (a caller learns of the failure,
   *   e.g. a call layer returns them to their callers as errors);
   * - 'keep': they stay; jobs in service lose their progress and go back to the head of the queue,
   *   restarted with a fresh service sample on recovery (FIFO order kept), while under PS every
   *   job keeps its remaining work, frozen while down. Arrivals while down then queue (up to capacity).
   */
  onCrash?: CrashMode;
  /**
   * Where failed jobs go: those inside at a crash with `onCrash: 'fail'`, and arrivals refused
   * while down (default: `dropTo`, else freed).
   */
  failTo?: JobTarget;
  /**
   * Number of bins B of a time-weighted histogram of the number in station (default 0: off). Bin
   * i < B holds the time with exactly i jobs inside, bin B the time with >= B; read it with
   * {@link Station.queueLengthDistribution} and {@link Station.probabilityAtLeast}.
   */
  queueHistogram?: number;
}

/** What a crash does to the jobs in a station: see {@link StationOptions.onCrash}. */
export type CrashMode = 'lose' | 'fail' | 'keep';

/** A time-weighted level (number in station, busy servers): current value, time-average, maximum. */
export interface LevelStats {
  value: number;
  mean: number;
  /** Maximum since start or reset (NaN where not tracked). */
  max: number;
  elapsed: number;
  integral: number;
}

/** A station's results; means are NaN (and `unstable` true) for an open station whose offered load is >= 1. */
export interface StationSummary {
  name: string;
  servers: number;
  /** Observed time since start or the last statistics reset. */
  elapsed: number;
  arrivals: number;
  departures: number;
  drops: number;
  /** drops / arrivals. */
  blockingProbability: number;
  /** Jobs still in the station at the end (waiting or in service): not in the response-time statistics. */
  inSystemAtEnd: number;
  /** Mean age of the jobs still in the station at the end (censored response times). */
  meanAgeAtEnd: number;
  /** Departures per unit time. */
  throughput: number;
  /** Time-average busy servers / c (under PS, min(n, c)/c). */
  utilisation: number;
  /** Time-average number in station L, and in queue Lq = L - busy. */
  meanInSystem: number;
  meanInQueue: number;
  /** Mean response (sojourn) time W and waiting time Wq of departed jobs. */
  meanResponse: number;
  meanWait: number;
  responseStdDev: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  /**
   * Little's law check: accepted arrival rate x W (compare with meanInSystem). Jobs removed by a
   * crash spent time inside but have no response time, so with crashes the two differ.
   */
  littleL: number;
  offeredLoad: number;
  /** True when the caller's `offeredLoad` is >= 1 on an unbounded station (means then NaN). */
  unstable: boolean;
  /**
   * The station's own verdict, without the caller passing the load in: true when the number
   * inside grew over the observed time by more than chance allows for a stable queue (see
   * `overload.ts`), or `unstable`. Its means then describe the run length, not a steady state.
   */
  overloaded: boolean;
  /** Net growth of the number inside per unit time, (n_end - n_start) / elapsed. */
  growthRate: number;
  /** Jobs freed by crashes with `onCrash: 'lose'`. */
  lost: number;
  /** Jobs handed to `failTo` by crashes with `onCrash: 'fail'`. */
  failed: number;
  /** Arrivals refused while down (not counted in drops). */
  refused: number;
  /** True if the station is up at the end. */
  up: boolean;
  /** Fraction of the observed time the station was up (time-weighted). */
  availability: number;
}

/** A station's options, checked, with their defaults filled in. */
export interface ResolvedStationOptions {
  name: string;
  servers: number;
  discipline: Discipline;
  capacity: number;
  /** The service as a function of the job, or null when it is a distribution. */
  fn: ((job: number, rng: Rng) => number) | null;
  dist: Distribution | null;
  to: JobTarget | null;
  dropTo: JobTarget | null;
  onCrash: CrashMode;
  failTo: JobTarget | null;
  queueHistogram: number;
  stream: Rng;
  quantiles: boolean;
}

/**
 * Checks a station's options in the order they are documented (name, servers, discipline,
 * capacity, service, onCrash, queueHistogram) and fills in the defaults; every bad value is a
 * ParameterError naming the option, its value and the valid range.
 */
export function resolveStationOptions(
  sim: Simulation,
  options: StationOptions,
): ResolvedStationOptions {
  if (options == null || typeof options.name !== 'string' || !options.name)
    throw new ParameterError('name', options?.name, 'must be a non-empty string');
  const name = options.name;
  const servers = requireInteger('servers', options.servers ?? 1, 1, 1e9);
  const d = options.discipline ?? 'fifo';
  if (d !== 'fifo' && d !== 'lifo' && d !== 'priority' && d !== 'ps') {
    throw new ParameterError('discipline', d, "must be 'fifo', 'lifo', 'priority' or 'ps'");
  }
  const k = options.capacity ?? Infinity;
  if (k !== Infinity) requireInteger('capacity', k, 1);
  if (k < servers && d !== 'ps')
    throw new ParameterError('capacity', k, `must be >= servers (${servers})`);
  const s = options.service;
  let fn: ((job: number, rng: Rng) => number) | null = null;
  let dist: Distribution | null = null;
  if (typeof s === 'function') fn = s;
  else if (s != null && typeof s.sample === 'function')
    dist = requireDelayDistribution(`${name}.service`, s, { positive: false });
  else
    throw new ParameterError(
      'service',
      s,
      'must be a Distribution or a function (job, rng) => number',
    );
  const mode = options.onCrash ?? 'lose';
  if (mode !== 'lose' && mode !== 'fail' && mode !== 'keep')
    throw new ParameterError('onCrash', mode, "must be 'lose', 'fail' or 'keep'");
  const bins = requireInteger('queueHistogram', options.queueHistogram ?? 0, 0, 1e7);
  return {
    name,
    servers,
    discipline: d,
    capacity: k,
    fn,
    dist,
    to: options.to ?? null,
    dropTo: options.dropTo ?? null,
    onCrash: mode,
    failTo: options.failTo ?? null,
    queueHistogram: bins,
    stream: options.stream ?? sim.streams.get(`${name}.service`),
    quantiles: options.quantiles !== false,
  };
}
