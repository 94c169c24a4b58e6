/**
 * Microservices behind an application gateway, on the kernel and the system contract.
 *
 * A request (a job of an open Source or a closed Population) enters the gateway, which routes it
 * by host and path (lib/systems/loadbalancer/gateway.ts: first match or longest prefix, a default
 * pool, unrouted requests rejected) to an entry service. Every call, the client's and each
 * service's, goes through Calls (lib/systems/common/calls.ts): a service takes the call on a
 * replica its balancer picks, does its own work, then runs its call steps in order (serial
 * steps; a step's parallel calls wait for all, k of n, or the first; asynchronous steps fire and
 * forget), and answers its caller with `calls.reply` (or `calls.error` when a step failed).
 *
 * The path of each call, and each edge's resilience (breaker, bulkhead, timeout, hedge, retries
 * and budget), is call-path.ts; this file adds the clients, the gateway and the root requests.
 *
 * Every request ends exactly once: ok, error, timeout, or rejected (no route, or the client's own
 * breaker or bulkhead); `inFlightAtStart + requests = ok + errors + timeouts + rejected +
 * inFlightAtEnd` (conservation, tested). End-to-end availability is ok / ended.
 */
import type { Rng } from '../../random/xoshiro128';
import type { Population } from '../../sim/population';
import type { Simulation } from '../../sim/simulation';
import type { Source } from '../../sim/source';
import type { JobTarget } from '../../sim/target';
import { Latency } from '../common/latency';
import { type RunWindow, measure } from '../common/runner';
import { CallPath, OUTCOME_OK, OUTCOME_REJECTED } from './call-path';
import { buildClients } from './clients';
import type { MicroservicesConfig } from './config';
import { type ResolvedMicroservicesConfig, resolveMicroservicesConfig } from './resolve';
import { type MicroservicesSummary, summarize } from './summary';

export { OUTCOME_OK, OUTCOME_ERROR, OUTCOME_TIMEOUT, OUTCOME_REJECTED } from './call-path';

export class MicroservicesSystem extends CallPath {
  /** Each request class's client step id (-1: the gateway routes it nowhere). */
  readonly clientStep: Int32Array;
  /** Root requests: started since reset, ended by outcome, in flight when statistics restarted. */
  requests = 0;
  readonly outcomes: Float64Array = new Float64Array(4);
  inFlight = 0;
  inFlightAtStart = 0;
  /** Successful requests slower than `slowRequestThreshold`. */
  slowRequests = 0;
  /** End-to-end latency of successful requests, and of all ended requests. */
  readonly latency: Latency;
  readonly latencyAll: Latency;
  observedFrom = 0;
  /** Timeline (since time 0, not reset): outcomes per bin of `timelineBin` seconds. */
  readonly timeline: number[][] = [[], [], [], []];
  readonly source: Source | null;
  readonly population: Population | null;
  private readonly classCdf: Float64Array;
  private readonly mixRng: Rng;

  constructor(sim: Simulation, config: MicroservicesConfig | ResolvedMicroservicesConfig) {
    const c = resolveMicroservicesConfig(config);
    super(sim, c);
    this.clientStep = new Int32Array(c.classes.length).fill(-1);
    c.classes.forEach((k, i) => {
      if (k.entry < 0) return;
      this.clientStep[i] = this.addStep(
        {
          ...c.call,
          targets: [k.entry],
          need: 1,
          visits: 1,
          async: false,
          label: `client → ${c.services[k.entry].name}`,
        },
        'client',
        'clients.call',
      );
    });
    let acc = 0;
    this.classCdf = Float64Array.from(c.classes, (k) => (acc += k.share));
    this.mixRng = sim.streams.get('clients.mix');
    this.latency = new Latency(sim);
    this.latencyAll = new Latency(sim);
    const gateway: JobTarget = { accept: (job) => this.enter(job) };
    const clients = buildClients(sim, c, gateway);
    this.source = clients.source;
    this.population = clients.population;
    sim.onReset(() => {
      this.requests = 0;
      this.outcomes.fill(0);
      this.slowRequests = 0;
      this.inFlightAtStart = this.inFlight;
      this.serviceErrors.fill(0);
      this.observedFrom = sim.now;
      for (const s of this.steps) s.resetStatistics();
    });
  }

  /** The run's results (see summary.ts). */
  summary(): MicroservicesSummary {
    return summarize(this);
  }

  // ---- the request's path ------------------------------------------------------------------------

  private enter(job: number): void {
    if (job >= this.j.cap) this.j.ensure(this.sim.jobs.capacity);
    this.j.isRoot[job] = 1;
    this.requests++;
    this.inFlight++;
    const cdf = this.classCdf;
    let k = 0;
    if (cdf.length > 1) {
      const u = this.mixRng.next();
      while (k < cdf.length - 1 && u >= cdf[k]) k++;
    }
    const id = this.clientStep[k];
    if (id < 0) {
      this.finish(job, OUTCOME_REJECTED); // the gateway routes this host/path nowhere (404/502)
      return;
    }
    this.j.stepOf[job] = id;
    this.beginStep(job);
  }

  protected finish(root: number, outcome: number): void {
    const sim = this.sim;
    this.inFlight--;
    this.outcomes[outcome]++;
    const rt = sim.now - sim.jobs.born[root];
    if (outcome === OUTCOME_OK) {
      this.latency.record(rt);
      if (rt > this.config.slowRequestThreshold) this.slowRequests++;
    }
    this.latencyAll.record(rt);
    const bin = this.config.timelineBin;
    if (bin > 0) {
      const i = Math.floor(sim.now / bin);
      const row = this.timeline[outcome];
      while (row.length <= i) for (const r of this.timeline) r.push(0);
      row[i]++;
    }
    this.j.isRoot[root] = 0;
    if (this.population !== null) this.population.accept(root);
    else sim.jobs.free(root);
  }

  /** Per-job state for reports and tests: the in-flight counts into service `s`. */
  activeCalls(s: number): { active: number; activeRetries: number } {
    return { active: this.active[s], activeRetries: this.activeRetries[s] };
  }
}

/** One replication: build on a fresh simulation, warm up, measure, summarise. */
export function simulateMicroservices(
  config: MicroservicesConfig | ResolvedMicroservicesConfig,
  window: RunWindow,
): MicroservicesSummary {
  const resolved = resolveMicroservicesConfig(config);
  const { system } = measure((sim) => new MicroservicesSystem(sim, resolved), window);
  return system.summary();
}
