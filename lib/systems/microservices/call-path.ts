/**
 * The path of a call through the services (the base of MicroservicesSystem): a call arrives at a
 * service, its balancer picks a replica, the replica does the work, then the service runs its call
 * steps in order, each try of a step guarded on the caller's side by, in this order, the circuit
 * breaker's permission (Resilience4j), the bulkhead (maxConcurrentCalls), the wait with its per-try
 * timeout (Calls), a hedge after `hedge.delay`, and on an error or a timeout a retry after Envoy's
 * jittered back-off if `num_retries` and the callee's `retry_budget` allow; a step's retry repeats
 * the whole step. When its steps are done the job answers its caller (`calls.reply`), or
 * `calls.error` when a step failed; a root request ends in `finish` (the subclass).
 */
import type { Rng } from '../../random/xoshiro128';
import type { Simulation } from '../../sim/simulation';
import type { JobTarget } from '../../sim/target';
import { CALL_OK, CALL_TIMEOUT, Calls } from '../common/calls';
import { Latency } from '../common/latency';
import { JobState } from './job-state';
import type { ResolvedMicroservicesConfig, ResolvedStep } from './resolve';
import { Service } from './service';
import { StepRuntime } from './steps';

export const OUTCOME_OK = 0;
export const OUTCOME_ERROR = 1;
export const OUTCOME_TIMEOUT = 2;
export const OUTCOME_REJECTED = 3;

export abstract class CallPath {
  readonly sim: Simulation;
  readonly config: ResolvedMicroservicesConfig;
  readonly calls: Calls;
  readonly services: Service[];
  readonly steps: StepRuntime[] = [];
  /** Each service's first step id (-1: none). */
  readonly firstStep: Int32Array;
  /** Per service: its latency (call arrival to answer, answered calls) and its failed answers. */
  readonly serviceLatency: Latency[];
  readonly serviceErrors: Float64Array;
  protected readonly active: Float64Array; // calls in flight into each service (Envoy active requests)
  protected readonly activeRetries: Float64Array;
  protected readonly j = new JobState();
  protected readonly errorRng: Rng;
  protected readonly hedgeH: number;
  protected readonly retryH: number;
  protected readonly targets: JobTarget[];
  private readonly stepDoneTarget: JobTarget;

  constructor(sim: Simulation, c: ResolvedMicroservicesConfig) {
    this.sim = sim;
    this.config = c;
    const calls = Calls.of(sim);
    this.calls = calls;
    const n = c.services.length;
    this.active = new Float64Array(n);
    this.activeRetries = new Float64Array(n);
    this.serviceErrors = new Float64Array(n);
    this.j.ensure(sim.jobs.capacity);
    this.stepDoneTarget = { accept: (job) => this.stepDone(job) };
    const afterWork: JobTarget = { accept: (job) => this.afterWork(job) };
    const skip = (job: number): boolean =>
      (this.j.cancellable[job] === 1 || c.services[this.j.svcOf[job]].propagateCancellation) &&
      calls.isAbandoned(job);
    this.services = c.services.map((s, i) => new Service(sim, calls, i, s, afterWork, skip));
    // an asynchronous step's messages (calls.send hands them straight to the callee)
    this.targets = this.services.map((s) => ({
      accept: (child: number) => {
        if (child >= this.j.cap) this.j.ensure(sim.jobs.capacity);
        this.j.cancellable[child] = 0;
        this.deliver(child, s.index);
      },
    }));
    this.serviceLatency = c.services.map(() => new Latency(sim));
    this.firstStep = new Int32Array(n).fill(-1);
    c.services.forEach((s, i) => {
      let prev = -1;
      s.steps.forEach((st, k) => {
        const id = this.addStep(st, s.name, `services[${i}].calls[${k}]`);
        if (prev >= 0) this.steps[prev].next = id;
        else this.firstStep[i] = id;
        prev = id;
      });
    });
    this.errorRng = sim.streams.get('services.errors');
    this.hedgeH = sim.handler((job) => this.hedge(job), 'microservices.hedge');
    this.retryH = sim.handler((job) => this.issue(job), 'microservices.retry');
  }

  /** A root request ends with `outcome` (OUTCOME_*). */
  protected abstract finish(root: number, outcome: number): void;

  protected addStep(cfg: ResolvedStep, owner: string, path: string): number {
    const id = this.steps.length;
    this.steps.push(
      new StepRuntime(
        id,
        cfg,
        this.stepDoneTarget,
        this.sim.streams.get(`${owner}.visits`),
        this.sim.streams.get(`${owner}.backoff`),
        path,
      ),
    );
    return id;
  }

  protected beginStep(job: number): void {
    const step = this.steps[this.j.stepOf[job]];
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
    this.j.visitsLeft[job] = v;
    this.j.attempt[job] = 0;
    this.issue(job);
  }

  /** One try of the job's current step. */
  protected issue(job: number): void {
    const step = this.steps[this.j.stepOf[job]];
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
    const retry = this.j.attempt[job] > 0;
    this.j.waitStart[job] = now;
    this.j.launched[job] = t.length;
    step.inFlight += t.length;
    this.calls.wait(job, step.waitOptions);
    const cancel = cfg.hedge !== null && cfg.hedge.cancelLoser ? 1 : 0;
    for (let i = 0; i < t.length; i++) {
      this.active[t[i]]++;
      if (retry) this.activeRetries[t[i]]++;
      step.calls++;
      const child = this.calls.child(job, step.id);
      if (child >= this.j.cap) this.j.ensure(this.sim.jobs.capacity);
      this.j.cancellable[child] = cancel;
      this.deliver(child, t[i]);
    }
    if (cfg.hedge !== null)
      this.j.hedgeEvent[job] = this.sim.schedule(cfg.hedge.delay, this.hedgeH, job);
  }

  protected hedge(job: number): void {
    this.j.hedgeEvent[job] = -1;
    if (!this.calls.isWaiting(job)) return;
    const step = this.steps[this.j.stepOf[job]];
    const t = step.config.targets[0];
    step.hedges++;
    step.calls++;
    step.inFlight++;
    this.j.launched[job]++;
    this.active[t]++;
    const child = this.calls.child(job, step.id);
    if (child >= this.j.cap) this.j.ensure(this.sim.jobs.capacity);
    this.j.cancellable[child] = step.config.hedge !== null && step.config.hedge.cancelLoser ? 1 : 0;
    this.deliver(child, t);
  }

  /** A call arrives at service `s`: a replica by the balancer, or refused when none is up. */
  protected deliver(child: number, s: number): void {
    if (child >= this.j.cap) this.j.ensure(this.sim.jobs.capacity);
    this.j.isRoot[child] = 0;
    this.j.svcOf[child] = s;
    const svc = this.services[s];
    const r = svc.pick(child);
    if (r < 0) {
      this.serviceErrors[s]++;
      this.calls.error.accept(child);
      return;
    }
    this.j.replicaOf[child] = r;
    this.j.arrivedAt[child] = this.sim.now;
    svc.stations[r].accept(child);
  }

  protected afterWork(job: number): void {
    const s = this.j.svcOf[job];
    const svc = this.services[s];
    if (svc.config.balance === 'least_time')
      svc.observe(this.j.replicaOf[job], this.sim.now - this.j.arrivedAt[job]);
    if (svc.config.errorRate > 0 && this.errorRng.next() < svc.config.errorRate) {
      this.fail(job, OUTCOME_ERROR);
      return;
    }
    if (this.j.cancellable[job] === 1 || svc.config.propagateCancellation) {
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
    this.j.stepOf[job] = first;
    this.beginStep(job);
  }

  /** The job's wait for its current step ended. */
  protected stepDone(job: number): void {
    const step = this.steps[this.j.stepOf[job]];
    const cfg = step.config;
    const now = this.sim.now;
    if (this.j.hedgeEvent[job] >= 0) {
      this.sim.cancel(this.j.hedgeEvent[job]);
      this.j.hedgeEvent[job] = -1;
    }
    const t = cfg.targets;
    const retry = this.j.attempt[job] > 0;
    step.inFlight -= this.j.launched[job];
    if (step.single) {
      this.active[t[0]] -= this.j.launched[job];
      if (retry) this.activeRetries[t[0]]--;
    } else {
      for (let i = 0; i < t.length; i++) {
        this.active[t[i]]--;
        if (retry) this.activeRetries[t[i]]--;
      }
    }
    const outcome = this.calls.outcome[job];
    const ok = outcome === CALL_OK;
    if (step.breaker !== null) step.breaker.onResult(now, !ok, now - this.j.waitStart[job]);
    if (ok) step.succeeded++;
    else step.failed++;
    if (ok) {
      if (--this.j.visitsLeft[job] > 0) {
        this.j.attempt[job] = 0;
        this.issue(job);
      } else this.advance(job);
      return;
    }
    const k = this.j.attempt[job];
    if (k < cfg.num_retries) {
      if (!this.budgetAllows(t)) step.budgetExhausted++;
      else {
        this.j.attempt[job] = k + 1;
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
  protected budgetAllows(t: readonly number[]): boolean {
    for (let i = 0; i < t.length; i++) {
      const b = this.config.services[t[i]].retry_budget;
      if (b === null) continue;
      if (
        this.activeRetries[t[i]] >=
        Math.max(b.min_retry_concurrency, (b.budget_percent / 100) * this.active[t[i]])
      )
        return false;
    }
    return true;
  }

  protected advance(job: number): void {
    const next = this.steps[this.j.stepOf[job]].next;
    if (next < 0) {
      this.done(job);
      return;
    }
    this.j.stepOf[job] = next;
    this.beginStep(job);
  }

  protected done(job: number): void {
    if (this.j.isRoot[job] === 1) {
      this.finish(job, OUTCOME_OK);
      return;
    }
    this.serviceLatency[this.j.svcOf[job]].record(this.sim.now - this.j.arrivedAt[job]);
    this.calls.reply.accept(job);
  }

  protected fail(job: number, outcome: number): void {
    if (this.j.isRoot[job] === 1) {
      this.finish(job, outcome);
      return;
    }
    this.serviceErrors[this.j.svcOf[job]]++;
    this.calls.error.accept(job);
  }
}
