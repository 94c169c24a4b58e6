/**
 * The clients: open Poisson requests (the kernel's Source, `rate` per second, each from one of
 * `clients` addresses drawn uniformly) or a closed population of `users` with think time (the
 * kernel's Population: a user's next request leaves a think time after the last one ended,
 * answered or failed). A request draws its class from the mix and its work from the class (or
 * its pool's `service`) when it is sent, from the clients' own streams (`clients.arrivals`,
 * `clients.address`, `clients.class`, `clients.work`, `clients.think`), so every policy in a
 * comparison sees the same requests (common random numbers).
 *
 * Job attributes: `jobs.origin` is the client's address (its connection at L4), `jobs.size` the
 * request's work, `jobs.born` when it was sent; the class and the virtual address's epoch at
 * sending are kept here.
 *
 * Called mode (`clients` omitted or `{ external: true }`): no Source or Population; a caller's
 * job comes to {@link Clients.entry} and is sent as a client's request, with the address, class
 * and work the caller set (`setClient`, `setClass`, `setWork`) or, where it set none, drawn as
 * above from `<name>.clients.*`. The balancer writes the address into `jobs.origin` and the work
 * into `jobs.size` (it leaves `jobs.born` to the caller); an answered request goes to the
 * system's `to`, a failed one to its `error`.
 */
import { Categorical } from '../../random/categorical';
import { Exponential } from '../../random/exponential';
import type { Rng } from '../../random/xoshiro128';
import { ParameterError } from '../../errors';
import { grownFloat64, grownInt32, grownUint8 } from '../../sim/grown';
import { Population } from '../../sim/population';
import type { Simulation } from '../../sim/simulation';
import { Source } from '../../sim/source';
import type { JobTarget } from '../../sim/target';
import type { ResolvedConfig } from './config';
import { hashString } from './hashing';
import type { FailureReason } from './stats';
import type { LoadBalancerSystem } from './system';

export class Clients {
  readonly source: Source | null;
  readonly population: Population | null;
  /** Request class of each job (index into the mix). */
  jobClass: Int32Array = new Int32Array(64);
  /** The virtual address's epoch when the job was sent: an answer must return through the same balancer. */
  jobEpoch: Int32Array = new Int32Array(64);
  /** When the request reached the balancer (its response time is measured from here). */
  sentAt: Float64Array = new Float64Array(64);
  /** Called mode: the caller's address and work of each job, and which of address (1), class (2), work (4) it set. */
  private clientOf: Int32Array = new Int32Array(64);
  private workOf: Float64Array = new Float64Array(64);
  private given: Uint8Array = new Uint8Array(64);
  /** Called mode: where requests come in (null with clients of its own). */
  readonly entry: JobTarget | null;
  /** Hash of each class's path (URI hashing). */
  readonly classHash: Uint32Array;
  private readonly sim: Simulation;
  private readonly lb: LoadBalancerSystem;
  private readonly config: ResolvedConfig;
  private readonly classPick: Categorical;
  private readonly classRng: Rng;
  private readonly workRng: Rng;
  private readonly addressRng: Rng;

  constructor(sim: Simulation, lb: LoadBalancerSystem) {
    const cfg = lb.config;
    this.sim = sim;
    this.lb = lb;
    this.config = cfg;
    const streams = sim.streams;
    const prefix = cfg.prefix;
    this.classRng = streams.get(`${prefix}clients.class`);
    this.workRng = streams.get(`${prefix}clients.work`);
    this.addressRng = streams.get(`${prefix}clients.address`);
    this.classPick = new Categorical(cfg.clients.mix.map((m) => m.weight));
    this.classHash = Uint32Array.from(cfg.clients.mix.map((m) => hashString(m.path)));
    const c = cfg.clients;
    if (c.model === 'external') {
      this.source = null;
      this.population = null;
      const addresses = c.clients;
      const rng = this.addressRng;
      this.entry = {
        accept: (job: number) => {
          if (job >= this.jobClass.length) this.grow(job);
          sim.jobs.origin[job] =
            (this.given[job] & 1) !== 0 ? this.clientOf[job] : rng.nextInt(addresses);
          this.send(job);
        },
      };
    } else if (c.model === 'open') {
      this.entry = null;
      const addresses = c.clients;
      const rng = this.addressRng;
      this.population = null;
      this.source = new Source(sim, {
        name: `${prefix}clients`,
        interarrival: new Exponential(c.rate),
        to: {
          accept: (job: number) => {
            sim.jobs.origin[job] = rng.nextInt(addresses);
            this.send(job);
          },
        },
      });
    } else {
      this.entry = null;
      this.source = null;
      this.population = new Population(sim, {
        name: `${prefix}clients`,
        size: c.users,
        think: c.think,
        to: { accept: (job: number) => this.send(job) },
        quantiles: false,
      });
    }
  }

  /** A client sends a request (job): draws its class and work, then hands it to the balancer. */
  send(job: number): void {
    const sim = this.sim;
    const jobs = sim.jobs;
    if (job >= this.jobClass.length) this.grow(job);
    this.lb.stats.sent++;
    const given = this.given[job];
    if (this.entry === null) jobs.born[job] = sim.now;
    this.sentAt[job] = sim.now;
    const mix = this.config.clients.mix;
    const k =
      (given & 2) !== 0
        ? this.jobClass[job]
        : mix.length === 1
          ? 0
          : this.classPick.sampleIndex(this.classRng);
    this.jobClass[job] = k;
    const cls = mix[k];
    const pool = cls.pool;
    jobs.size[job] =
      (given & 4) !== 0
        ? this.workOf[job]
        : pool < 0
          ? 0
          : (cls.work ?? this.config.pools[pool].service).sample(this.workRng);
    this.given[job] = 0;
    this.lb.dispatcher.begin(job);
    const pair = this.lb.pair;
    this.jobEpoch[job] = pair.vipEpoch;
    if (pair.vipOwner < 0) this.fail(job, 'balancer');
    else pair.admit(job);
  }

  /** The request failed: counted by reason; at L4 a reset connection closes; then as {@link finish}. */
  fail(job: number, reason: FailureReason): void {
    this.lb.stats.failed(reason);
    if (this.config.mode === 'L4' && (reason === 'backend' || reason === 'balancer'))
      this.lb.connections.close(this.sim.jobs.origin[job]);
    this.finish(job, false);
  }

  /**
   * The request is over (answered or failed): the client closes or reuses its connection, thinks,
   * or leaves; in called mode the job goes to the system's `to` (answered) or `error`.
   */
  finish(job: number, ok: boolean = true): void {
    this.lb.connections.requestDone(this.sim.jobs.origin[job]);
    if (this.entry !== null) (ok ? this.lb.to : this.lb.error).accept(job);
    else if (this.population === null) this.sim.jobs.free(job);
    else this.population.accept(job);
  }

  /** Called mode: the client address of the request `job` about to be sent to `entry` (an integer in [0, clients)). */
  setClient(job: number, address: number): void {
    const n = this.config.clients.clients;
    if (!(Number.isInteger(address) && address >= 0 && address < n))
      throw new ParameterError(
        'address',
        address,
        `must be an integer in [0, ${n}) (clients.clients)`,
      );
    if (job >= this.jobClass.length) this.grow(job);
    this.clientOf[job] = address;
    this.given[job] |= 1;
  }

  /** Called mode: the request class (index into `clients.mix`, which routes it to its pool). */
  setClass(job: number, k: number): void {
    const n = this.config.clients.mix.length;
    if (!(Number.isInteger(k) && k >= 0 && k < n))
      throw new ParameterError('class', k, `must be an index into clients.mix, in [0, ${n})`);
    if (job >= this.jobClass.length) this.grow(job);
    this.jobClass[job] = k;
    this.given[job] |= 2;
  }

  /** Called mode: the request's work at speed 1, seconds (its service time is work / the backend's speed). */
  setWork(job: number, work: number): void {
    if (!(work >= 0 && work < Infinity))
      throw new ParameterError('work', work, 'must be a finite number >= 0 (seconds at speed 1)');
    if (job >= this.jobClass.length) this.grow(job);
    this.workOf[job] = work;
    this.given[job] |= 4;
  }

  private grow(job: number): void {
    let n = this.jobClass.length;
    while (n <= job) n *= 2;
    this.jobClass = grownInt32(this.jobClass, n);
    this.jobEpoch = grownInt32(this.jobEpoch, n);
    this.sentAt = grownFloat64(this.sentAt, n);
    this.clientOf = grownInt32(this.clientOf, n);
    this.workOf = grownFloat64(this.workOf, n);
    this.given = grownUint8(this.given, n);
  }
}
