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
 */
import { Categorical } from '../../random/categorical';
import { Exponential } from '../../random/exponential';
import type { Rng } from '../../random/xoshiro128';
import { grownInt32 } from '../../sim/grown';
import { Population } from '../../sim/population';
import type { Simulation } from '../../sim/simulation';
import { Source } from '../../sim/source';
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
    this.classRng = streams.get('clients.class');
    this.workRng = streams.get('clients.work');
    this.addressRng = streams.get('clients.address');
    this.classPick = new Categorical(cfg.clients.mix.map((m) => m.weight));
    this.classHash = Uint32Array.from(cfg.clients.mix.map((m) => hashString(m.path)));
    const c = cfg.clients;
    if (c.model === 'open') {
      const addresses = c.clients;
      const rng = this.addressRng;
      this.population = null;
      this.source = new Source(sim, {
        name: 'clients',
        interarrival: new Exponential(c.rate),
        to: {
          accept: (job: number) => {
            sim.jobs.origin[job] = rng.nextInt(addresses);
            this.send(job);
          },
        },
      });
    } else {
      this.source = null;
      this.population = new Population(sim, {
        name: 'clients',
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
    jobs.born[job] = sim.now;
    const mix = this.config.clients.mix;
    const k = mix.length === 1 ? 0 : this.classPick.sampleIndex(this.classRng);
    this.jobClass[job] = k;
    const cls = mix[k];
    const pool = cls.pool;
    jobs.size[job] =
      pool < 0 ? 0 : (cls.work ?? this.config.pools[pool].service).sample(this.workRng);
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
    this.finish(job);
  }

  /** The request is over (answered or failed): the client closes or reuses its connection, thinks, or leaves. */
  finish(job: number): void {
    this.lb.connections.requestDone(this.sim.jobs.origin[job]);
    if (this.population === null) this.sim.jobs.free(job);
    else this.population.accept(job);
  }

  private grow(job: number): void {
    let n = this.jobClass.length;
    while (n <= job) n *= 2;
    this.jobClass = grownInt32(this.jobClass, n);
    this.jobEpoch = grownInt32(this.jobEpoch, n);
  }
}
