/**
 * The replication cluster called by another component (`clients: 'external'`, lib/systems/README.md
 * "Components called by others"): no load of its own; a caller hands it requests, each a job
 * (usually a common.Calls child), through two entries as an application's data layer does:
 * - `reads`: routed as the cluster routes reads (`readRouting`; over the replicas by ProxySQL's
 *   weights or round robin, skipping those down or shunned for `max_replication_lag`; to the
 *   primary with none left, or for read-your-writes);
 * - `writes`: to the primary, committed as `mode` says (async, semisync, sync), so a waiting
 *   commit answers only when its acknowledgements come.
 * A request answered goes to `to` (default `Calls.of(sim).reply`); one refused, failed by a
 * crashed node, or made while there is no primary goes to `error` (default `Calls.of(sim).error`).
 * What a request needs is set by the caller before `accept`: its key (`setKey(job, key)`, 1..keys;
 * default a uniform draw on `<name>.keys`) and its session (`setSession(job, s)`, 0..sessions-1,
 * default 0), which read-your-writes and the stale-read count use.
 */
import { ParameterError } from '../../errors';
import type { Rng } from '../../random/xoshiro128';
import { grownInt32 } from '../../sim/grown';
import type { Simulation } from '../../sim/simulation';
import type { JobTarget } from '../../sim/target';
import { Calls } from '../common/calls';
import type { ReplicationConfig } from './config';

/** The load keys a cluster with `clients: 'external'` must not be given (and the reason). */
const OWN_LOAD_KEYS = [
  'writeRate',
  'readRate',
  'writeBurst',
  'users',
  'thinkTime',
  'writeFraction',
] as const;

/** A called cluster given a load of its own is a ParameterError naming the key. */
export function rejectOwnLoad(config: ReplicationConfig): void {
  for (const k of OWN_LOAD_KEYS)
    if (config[k] !== undefined)
      throw new ParameterError(
        k,
        config[k],
        "is a load of the cluster's own: with clients 'external' the requests come through reads and writes",
      );
}

/** The caller's side of a called cluster: the answer targets and the per-request tables. */
export class CalledRequests {
  /** Where an answered request goes, and where a refused or failed one goes. */
  to: JobTarget;
  error: JobTarget;
  /** Per job: the key and the session the caller set (0: not set). */
  private key: Int32Array = new Int32Array(1024);
  private session: Int32Array = new Int32Array(1024);

  private readonly keyRng: Rng;

  constructor(
    sim: Simulation,
    private readonly keys: number,
    private readonly sessions: number,
    name: string,
  ) {
    const calls = Calls.of(sim);
    this.to = calls.reply;
    this.error = calls.error;
    this.keyRng = sim.streams.get(`${name}.keys`);
  }

  /** A key for a request whose caller set none: uniform on 1..keys. */
  drawKey(): number {
    return 1 + Math.floor(this.keyRng.next() * this.keys);
  }

  /** The key request `job` reads or writes (1..keys). */
  setKey(job: number, key: number): void {
    if (!(Number.isInteger(key) && key >= 1 && key <= this.keys))
      throw new ParameterError('key', key, `must be an integer in [1, ${this.keys}] (keys)`);
    if (job >= this.key.length) this.grow(job);
    this.key[job] = key;
  }

  /** The session of request `job` (0..sessions-1). */
  setSession(job: number, session: number): void {
    if (!(Number.isInteger(session) && session >= 0 && session < this.sessions))
      throw new ParameterError(
        'session',
        session,
        `must be an integer in [0, ${this.sessions - 1}] (sessions)`,
      );
    if (job >= this.key.length) this.grow(job);
    this.session[job] = session + 1;
  }

  /** The key set for `job` (0 if none), cleared so a reused id starts afresh. */
  takeKey(job: number): number {
    if (job >= this.key.length) return 0;
    const k = this.key[job];
    this.key[job] = 0;
    return k;
  }

  /** The session set for `job` (0 if none), cleared. */
  takeSession(job: number): number {
    if (job >= this.session.length) return 0;
    const s = this.session[job];
    this.session[job] = 0;
    return s > 0 ? s - 1 : 0;
  }

  private grow(job: number): void {
    this.key = grownInt32(this.key, 2 * (job + 1));
    this.session = grownInt32(this.session, 2 * (job + 1));
  }
}
