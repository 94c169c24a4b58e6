/**
 * A datacenter the caller provides (config `external: true`, called mode, lib/systems/README.md
 * "Components called by others"): instead of the GeoDNS's own Station, requests that DNS sends
 * here go, after half the client's RTT, to `target` (the caller's balancer or web tier entry for
 * that datacenter) as children of a common.Calls wait, and come back over the other half.
 *
 * The site is down while its failure process has it crashed (`failures`, the shared
 * FailureProcess: a whole datacenter lost) or while the caller marks it down (`markDown()`, e.g.
 * when its own balancer pair is gone); Route 53's health checks read `up`, so DNS stops answering
 * with the site only after detection, and resolvers keep the old answer until its TTL runs out. A
 * request sent to a down site is refused (a failed connection: the client may retry the answer's
 * other address). A request inside the site when it crashed fails when its answer comes back (its
 * connection died with the site): the caller's components keep running unless the caller crashes
 * them too (`system.failures[i].onCrash(...)`). Its own residence time (hand-off to answer) is
 * `residence`.
 */
import type { Simulation } from '../../sim/simulation';
import type { JobTarget } from '../../sim/target';
import type { Failable } from '../common/failures';
import { Latency } from '../common/latency';
import type { HealthTarget } from './health';

export class ExternalSite implements Failable, HealthTarget {
  readonly name: string;
  /** Where this datacenter's requests go (the caller's entry); unset: every request is refused. */
  target: JobTarget | null = null;
  /** Crashes so far: a request handed off before the latest crash failed with the site. */
  crashes = 0;
  /** Hand-off to answer of the requests it answered. */
  readonly residence: Latency;
  private crashed = false;
  private markedDown = false;

  constructor(sim: Simulation, name: string) {
    this.name = name;
    this.residence = new Latency(sim);
  }

  /** Whether the site answers (a request, a health check) now. */
  get up(): boolean {
    return !this.crashed && !this.markedDown && this.target !== null;
  }

  crash(): void {
    this.crashed = true;
    this.crashes++;
  }

  recover(): void {
    this.crashed = false;
  }

  /** The caller takes the site out (its own parts are down); in-flight requests fail as at a crash. */
  markDown(): void {
    if (!this.markedDown) this.crashes++;
    this.markedDown = true;
  }

  markUp(): void {
    this.markedDown = false;
  }
}
