/**
 * The cluster's clients, on the kernel's arrival blocks: open Poisson sources of writes
 * (`writeRate`, optionally another rate during `writeBurst`, by thinning) and reads (`readRate`),
 * each request in one of `sessions` sessions drawn uniformly; or a closed `Population` of `users`
 * (each its own session) thinking an exponential `thinkTime` between requests, a fraction
 * `writeFraction` of which are writes. Every request is on a key drawn from a Zipf popularity
 * (`keys`, exponent `keySkew`; 0 is uniform).
 */
import { Deterministic } from '../../random/deterministic';
import type { Distribution } from '../../random/distribution';
import { Exponential } from '../../random/exponential';
import type { Rng } from '../../random/xoshiro128';
import { Zipf } from '../../random/zipf';
import { Population } from '../../sim/population';
import { Source } from '../../sim/source';
import { target } from '../../sim/target';
import type { ClusterState } from './state';
import { READ, WRITE } from './state';

export class Clients {
  private readonly state: ClusterState;
  private readonly route: (job: number, kind: number) => void;
  private readonly keyRng: Rng;
  private readonly sessionRng: Rng;
  private readonly mixRng: Rng;
  private readonly zipf: Zipf | null;
  private readonly population: Population | null = null;
  private readonly sources: Source[] = [];

  /** Starts the clients; each request, tagged with its kind, key and session, goes to `route`. */
  constructor(state: ClusterState, route: (job: number, kind: number) => void) {
    const sim = state.sim;
    const c = state.config;
    this.state = state;
    this.route = route;
    this.keyRng = sim.streams.get(`${c.name}.keys`);
    this.sessionRng = sim.streams.get(`${c.name}.sessions`);
    this.mixRng = sim.streams.get(`${c.name}.mix`);
    this.zipf = c.keySkew > 0 && c.keys > 1 ? new Zipf(c.keys, c.keySkew) : null;
    if (c.clients === 'open') {
      const toWrite = target((job) => this.acceptOpen(job, WRITE));
      const toRead = target((job) => this.acceptOpen(job, READ));
      const b = c.writeBurst;
      if (b !== null && b.duration > 0) {
        const base = c.writeRate;
        const maxRate = Math.max(base, b.rate);
        if (maxRate > 0) {
          const end = b.start + b.duration;
          const rate = (t: number) => (t >= b.start && t < end ? b.rate : base);
          this.sources.push(
            new Source(sim, { name: `${c.name}.writes`, rate, maxRate, to: toWrite }),
          );
        }
      } else if (c.writeRate > 0) {
        this.sources.push(
          new Source(sim, {
            name: `${c.name}.writes`,
            interarrival: new Exponential(c.writeRate),
            to: toWrite,
          }),
        );
      }
      if (c.readRate > 0)
        this.sources.push(
          new Source(sim, {
            name: `${c.name}.reads`,
            interarrival: new Exponential(c.readRate),
            to: toRead,
          }),
        );
    } else {
      const think: Distribution =
        c.thinkTime > 0 ? Exponential.withMean(c.thinkTime) : new Deterministic(0);
      this.population = new Population(sim, {
        name: `${c.name}.users`,
        size: c.users,
        think,
        to: target((job) => this.acceptClosed(job)),
      });
    }
  }

  /** The request is done (answered or failed): a closed client thinks again, an open one's job is freed. */
  finish(job: number): void {
    if (this.population !== null) this.population.accept(job);
    else this.state.sim.jobs.free(job);
  }

  /** Stops the open sources. */
  stop(): void {
    for (const s of this.sources) s.stop();
  }

  private drawKey(): number {
    return this.zipf !== null
      ? this.zipf.sample(this.keyRng)
      : 1 + Math.floor(this.keyRng.next() * this.state.config.keys);
  }

  private acceptOpen(job: number, kind: number): void {
    const st = this.state;
    const jobs = st.sim.jobs;
    jobs.origin[job] = Math.floor(this.sessionRng.next() * st.config.sessions);
    jobs.attributes[st.aKind][job] = kind;
    jobs.attributes[st.aKey][job] = this.drawKey();
    this.route(job, kind);
  }

  private acceptClosed(job: number): void {
    const st = this.state;
    const jobs = st.sim.jobs;
    const kind = this.mixRng.next() < st.config.writeFraction ? WRITE : READ;
    jobs.attributes[st.aKind][job] = kind;
    jobs.attributes[st.aKey][job] = this.drawKey();
    this.route(job, kind);
  }
}
