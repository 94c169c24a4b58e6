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
 * On each edge the caller applies, in this order: the circuit breaker's permission (Resilience4j),
 * the bulkhead (maxConcurrentCalls), the call with its per-try timeout, a hedge after
 * `hedge.delay`, and on an error or a timeout a retry after Envoy's jittered back-off if
 * `num_retries` and the callee's `retry_budget` allow. A step's retry repeats the whole step.
 *
 * Every request ends exactly once: ok, error, timeout, or rejected (no route, or the client's own
 * breaker or bulkhead); `inFlightAtStart + requests = ok + errors + timeouts + rejected +
 * inFlightAtEnd` (conservation, tested). End-to-end availability is ok / ended.
 */
import { Deterministic } from '../../random/deterministic';
import { Exponential } from '../../random/exponential';
import type { Rng } from '../../random/xoshiro128';
import { grownFloat64, grownInt32, grownUint8 } from '../../sim/grown';
import { Population } from '../../sim/population';
import type { Simulation } from '../../sim/simulation';
import { Source } from '../../sim/source';
import type { JobTarget } from '../../sim/target';
import { CALL_OK, CALL_TIMEOUT, Calls } from '../common/calls';
import { Latency } from '../common/latency';
import { type RunWindow, measure } from '../common/runner';
import type { MicroservicesConfig } from './config';
import { type ResolvedMicroservicesConfig, type ResolvedStep, resolveMicroservicesConfig } from './resolve';
import { Service } from './service';
import { StepRuntime } from './steps';
import { type MicroservicesSummary, summarize } from './summary';

const math = Math;

export const OUTCOME_OK = 0;
export const OUTCOME_ERROR = 1;
export const OUTCOME_TIMEOUT = 2;
export const OUTCOME_REJECTED = 3;

export class MicroservicesSystem {
  readonly config: ResolvedMicroservicesConfig;
  readonly calls: Calls;
  readonly services: Service[];
  readonly steps: StepRuntime[] = [];
  /** Each service's first step id (-1: none), and each request class's client step id. */
  readonly firstStep: Int32Array;
  readonly clientStep: Int32Array;
  /** Per service: its latency (call arrival to answer, answered calls) and its failed answers. */
  readonly serviceLatency: Latency[];
  readonly serviceErrors: Float64Array;
  /** Root requests: started since reset, ended by outcome, in flight when statistics restarted. */
  requests = 0;
  readonly outcomes = new Float64Array(4);
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
  readonly sim: Simulation;
  private readonly active: Float64Array; // calls in flight into each service (Envoy active requests)
  private readonly activeRetries: Float64Array;
  private cap = 0;
  private stepOf: Int32Array = new Int32Array(0);
  private visitsLeft: Int32Array = new Int32Array(0);
  private attempt: Int32Array = new Int32Array(0);
  private hedgeEvent: Int32Array = new Int32Array(0);
  private launched: Int32Array = new Int32Array(0);
  private svcOf: Int32Array = new Int32Array(0);
  private replicaOf: Int32Array = new Int32Array(0);
  private cancellable: Uint8Array = new Uint8Array(0);
  private isRoot: Uint8Array = new Uint8Array(0);
  private arrivedAt: Float64Array = new Float64Array(0);
  private waitStart: Float64Array = new Float64Array(0);
  private readonly classCdf: Float64Array;
  private readonly mixRng: Rng;
  private readonly errorRng: Rng;
  private readonly hedgeH: number;
  private readonly retryH: number;
  private readonly targets: JobTarget[];

  constructor(sim: Simulation, config: MicroservicesConfig | ResolvedMicroservicesConfig) {
    this.sim = sim;
    const c = resolveMicroservicesConfig(config);
    this.config = c;
    const calls = Calls.of(sim);
    this.calls = calls;
    const n = c.services.length;
    this.active = new Float64Array(n);
    this.activeRetries = new Float64Array(n);
    this.serviceErrors = new Float64Array(n);
    this.ensure(sim.jobs.capacity);
    const stepDone: JobTarget = { accept: (job) => this.stepDone(job) };
    const afterWork: JobTarget = { accept: (job) => this.afterWork(job) };
    const skip = (job: number): boolean => (this.cancellable[job] === 1 || c.services[this.svcOf[job]].propagateCancellation) && calls.isAbandoned(job);
    this.services = c.services.map((s, i) => new Service(sim, calls, i, s, afterWork, skip));
    // an asynchronous step's messages (calls.send hands them straight to the callee)
    this.targets = this.services.map((s) => ({
      accept: (child: number) => {
        if (child >= this.cap) this.ensure(sim.jobs.capacity);
        this.cancellable[child] = 0;
        this.deliver(child, s.index);
      },
    }));
    this.serviceLatency = c.services.map(() => new Latency(sim));
    const addStep = (cfg: ResolvedStep, owner: string, path: string): number => {
      const id = this.steps.length;
      this.steps.push(new StepRuntime(id, cfg, stepDone, sim.streams.get(`${owner}.visits`), sim.streams.get(`${owner}.backoff`), path));
      return id;
    };
    this.firstStep = new Int32Array(n).fill(-1);
    c.services.forEach((s, i) => {
      let prev = -1;
      s.steps.forEach((st, j) => {
        const id = addStep(st, s.name, `services[${i}].calls[${j}]`);
        if (prev >= 0) this.steps[prev].next = id;
        else this.firstStep[i] = id;
        prev = id;
      });
    });
    this.clientStep = new Int32Array(c.classes.length).fill(-1);
    c.classes.forEach((k, j) => {
      if (k.entry < 0) return;
      this.clientStep[j] = addStep({ ...c.call, targets: [k.entry], need: 1, visits: 1, async: false, label: `client → ${c.services[k.entry].name}` }, 'client', 'clients.call');
    });
    let acc = 0;
    this.classCdf = Float64Array.from(c.classes, (k) => (acc += k.share));
    this.mixRng = sim.streams.get('clients.mix');
    this.errorRng = sim.streams.get('services.errors');
    this.hedgeH = sim.handler((job) => this.hedge(job), 'microservices.hedge');
    this.retryH = sim.handler((job) => this.issue(job), 'microservices.retry');
    this.latency = new Latency(sim);
    this.latencyAll = new Latency(sim);
    const gateway: JobTarget = { accept: (job) => this.enter(job) };
    if (c.users > 0) {
      this.source = null;
      this.population = new Population(sim, { name: 'clients', size: c.users, think: c.thinkTime > 0 ? Exponential.withMean(c.thinkTime) : new Deterministic(0), to: gateway });
    } else {
      const surges = c.surges;
      const base = c.rate;
      const peak = surges.reduce((m, s) => math.max(m, s.multiplier), 1);
      this.population = null;
      this.source =
        surges.length === 0
          ? new Source(sim, { name: 'clients', interarrival: new Exponential(base), to: gateway })
          : new Source(sim, {
              name: 'clients',
              maxRate: base * peak,
              rate: (t: number) => {
                let m = 1;
                for (const s of surges) if (t >= s.at && t < s.at + s.duration) m = s.multiplier;
                return base * m;
              },
              to: gateway,
            });
    }
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
    if (job >= this.cap) this.ensure(this.sim.jobs.capacity);
    this.isRoot[job] = 1;
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
    this.stepOf[job] = id;
    this.beginStep(job);
  }

  private beginStep(job: number): void {
    const step = this.steps[this.stepOf[job]];
    const v = step.drawVisits();
    if (v === 0) {
      this.advance(job);
      return;
    }
    if (step.config.async) {
      const t = step.config.targets;
      for (let r = 0; r < v; r++) {
        for (let i = 0; i < t.length; i++) {
          step.calls++;
          this.calls.send(this.targets[t[i]], step.id);
        }
      }
      this.advance(job);
      return;
    }
    this.visitsLeft[job] = v;
    this.attempt[job] = 0;
    this.issue(job);
  }

  /** One try of the job's current step. */
  private issue(job: number): void {
    const step = this.steps[this.stepOf[job]];
    const cfg = step.config;
    const now = this.sim.now;
    if (step.breaker !== null && !step.breaker.tryAcquirePermission(now)) {
      this.fail(job, OUTCOME_REJECTED);
      return;
    }
    const t = cfg.targets;
    if (step.inFlight + t.length > cfg.maxConcurrentCalls) {
      step.bulkheadRejected++;
      this.fail(job, OUTCOME_REJECTED);
      return;
    }
    const retry = this.attempt[job] > 0;
    this.waitStart[job] = now;
    this.launched[job] = t.length;
    step.inFlight += t.length;
    this.calls.wait(job, step.waitOptions);
    const cancel = cfg.hedge !== null && cfg.hedge.cancelLoser ? 1 : 0;
    for (let i = 0; i < t.length; i++) {
      this.active[t[i]]++;
      if (retry) this.activeRetries[t[i]]++;
      step.calls++;
      const child = this.calls.child(job, step.id);
      if (child >= this.cap) this.ensure(this.sim.jobs.capacity);
      this.cancellable[child] = cancel;
      this.deliver(child, t[i]);
    }
    if (cfg.hedge !== null) this.hedgeEvent[job] = this.sim.schedule(cfg.hedge.delay, this.hedgeH, job);
  }

  private hedge(job: number): void {
    this.hedgeEvent[job] = -1;
    if (!this.calls.isWaiting(job)) return;
    const step = this.steps[this.stepOf[job]];
    const t = step.config.targets[0];
    step.hedges++;
    step.calls++;
    step.inFlight++;
    this.launched[job]++;
    this.active[t]++;
    const child = this.calls.child(job, step.id);
    if (child >= this.cap) this.ensure(this.sim.jobs.capacity);
    this.cancellable[child] = step.config.hedge !== null && step.config.hedge.cancelLoser ? 1 : 0;
    this.deliver(child, t);
  }

  /** A call arrives at service `s`: a replica by the balancer, or refused when none is up. */
  private deliver(child: number, s: number): void {
    if (child >= this.cap) this.ensure(this.sim.jobs.capacity);
    this.isRoot[child] = 0;
    this.svcOf[child] = s;
    const svc = this.services[s];
    const r = svc.pick(child);
    if (r < 0) {
      this.serviceErrors[s]++;
      this.calls.error.accept(child);
      return;
    }
    this.replicaOf[child] = r;
    this.arrivedAt[child] = this.sim.now;
    svc.stations[r].accept(child);
  }

  private afterWork(job: number): void {
    const s = this.svcOf[job];
    const svc = this.services[s];
    if (svc.config.balance === 'least_time') svc.observe(this.replicaOf[job], this.sim.now - this.arrivedAt[job]);
    if (svc.config.errorRate > 0 && this.errorRng.next() < svc.config.errorRate) {
      this.fail(job, OUTCOME_ERROR);
      return;
    }
    if (this.cancellable[job] === 1 || svc.config.propagateCancellation) {
      if (this.calls.isAbandoned(job)) {
        this.calls.reply.accept(job); // discarded as late: nobody waits for it
        return;
      }
    }
    const first = this.firstStep[s];
    if (first < 0) {
      this.done(job);
      return;
    }
    this.stepOf[job] = first;
    this.beginStep(job);
  }

  /** The job's wait for its current step ended. */
  private stepDone(job: number): void {
    const step = this.steps[this.stepOf[job]];
    const cfg = step.config;
    const now = this.sim.now;
    if (this.hedgeEvent[job] >= 0) {
      this.sim.cancel(this.hedgeEvent[job]);
      this.hedgeEvent[job] = -1;
    }
    const t = cfg.targets;
    const retry = this.attempt[job] > 0;
    step.inFlight -= this.launched[job];
    if (step.single) {
      this.active[t[0]] -= this.launched[job];
      if (retry) this.activeRetries[t[0]]--;
    } else {
      for (let i = 0; i < t.length; i++) {
        this.active[t[i]]--;
        if (retry) this.activeRetries[t[i]]--;
      }
    }
    const outcome = this.calls.outcome[job];
    const ok = outcome === CALL_OK;
    if (step.breaker !== null) step.breaker.onResult(now, !ok, now - this.waitStart[job]);
    if (ok) step.succeeded++;
    else step.failed++;
    if (ok) {
      if (--this.visitsLeft[job] > 0) {
        this.attempt[job] = 0;
        this.issue(job);
      } else this.advance(job);
      return;
    }
    const k = this.attempt[job];
    if (k < cfg.num_retries) {
      if (!this.budgetAllows(t)) step.budgetExhausted++;
      else {
        this.attempt[job] = k + 1;
        step.retries++;
        const delay = step.backoff(k + 1);
        if (delay > 0) this.sim.schedule(delay, this.retryH, job);
        else this.issue(job);
        return;
      }
    }
    this.fail(job, outcome === CALL_TIMEOUT ? OUTCOME_TIMEOUT : OUTCOME_ERROR);
  }

  /** Envoy retry_budget: active retries < max(min_retry_concurrency, budget_percent % x active requests), per callee. */
  private budgetAllows(t: readonly number[]): boolean {
    for (let i = 0; i < t.length; i++) {
      const b = this.config.services[t[i]].retry_budget;
      if (b === null) continue;
      if (this.activeRetries[t[i]] >= math.max(b.min_retry_concurrency, (b.budget_percent / 100) * this.active[t[i]])) return false;
    }
    return true;
  }

  private advance(job: number): void {
    const next = this.steps[this.stepOf[job]].next;
    if (next < 0) {
      this.done(job);
      return;
    }
    this.stepOf[job] = next;
    this.beginStep(job);
  }

  private done(job: number): void {
    if (this.isRoot[job] === 1) {
      this.finish(job, OUTCOME_OK);
      return;
    }
    this.serviceLatency[this.svcOf[job]].record(this.sim.now - this.arrivedAt[job]);
    this.calls.reply.accept(job);
  }

  private fail(job: number, outcome: number): void {
    if (this.isRoot[job] === 1) {
      this.finish(job, outcome);
      return;
    }
    this.serviceErrors[this.svcOf[job]]++;
    this.calls.error.accept(job);
  }

  private finish(root: number, outcome: number): void {
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
      const i = math.floor(sim.now / bin);
      const row = this.timeline[outcome];
      while (row.length <= i) for (const r of this.timeline) r.push(0);
      row[i]++;
    }
    this.isRoot[root] = 0;
    if (this.population !== null) this.population.accept(root);
    else sim.jobs.free(root);
  }

  private ensure(capacity: number): void {
    if (capacity <= this.cap) return;
    this.stepOf = grownInt32(this.stepOf, capacity);
    this.visitsLeft = grownInt32(this.visitsLeft, capacity);
    this.attempt = grownInt32(this.attempt, capacity);
    this.hedgeEvent = grownInt32(this.hedgeEvent, capacity);
    this.launched = grownInt32(this.launched, capacity);
    this.svcOf = grownInt32(this.svcOf, capacity);
    this.replicaOf = grownInt32(this.replicaOf, capacity);
    this.cancellable = grownUint8(this.cancellable, capacity);
    this.isRoot = grownUint8(this.isRoot, capacity);
    this.arrivedAt = grownFloat64(this.arrivedAt, capacity);
    this.waitStart = grownFloat64(this.waitStart, capacity);
    for (let i = this.cap; i < capacity; i++) this.hedgeEvent[i] = -1;
    this.cap = capacity;
  }

  /** Per-job state for reports and tests: the in-flight counts into service `s`. */
  activeCalls(s: number): { active: number; activeRetries: number } {
    return { active: this.active[s], activeRetries: this.activeRetries[s] };
  }
}

/** One replication: build on a fresh simulation, warm up, measure, summarise. */
export function simulateMicroservices(config: MicroservicesConfig | ResolvedMicroservicesConfig, window: RunWindow): MicroservicesSummary {
  const resolved = resolveMicroservicesConfig(config);
  const { system } = measure((sim) => new MicroservicesSystem(sim, resolved), window);
  return system.summary();
}
