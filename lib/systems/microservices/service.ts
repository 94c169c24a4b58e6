/**
 * One service: `replicas` replicas, each a kernel Station of `servers` workers (service time,
 * capacity, discipline), behind the service's own balancer, an algorithm of
 * lib/systems/loadbalancer/policies.ts (reused, not copied) that sees every replica that is up
 * (health known at once: lab 03 shows health-check detection delays) and its calls in progress.
 *
 * Each replica crashes and recovers through the shared FailureProcess (`<service>[i]`, stream
 * `<service>[i].failures`; a crash fails the calls inside back to their callers: Station
 * `onCrash: 'fail'`), and slows down through a second one (`<service>[i].slow`: while "down",
 * service times are `slowdownFactor` times longer). A replica skips the work (service time 0) of
 * a call whose caller already gave up when the call is a hedge's cancelled copy or the service
 * propagates cancellation (gRPC deadlines); otherwise, as in most real servers, it does the work
 * and the answer is discarded (Calls' `late`).
 */
import type { Rng } from '../../random/xoshiro128';
import type { Simulation } from '../../sim/simulation';
import { Station, type StationSummary } from '../../sim/station';
import type { JobTarget } from '../../sim/target';
import type { Calls } from '../common/calls';
import { FailureProcess } from '../common/failures';
import { createPolicy, type Policy, type PolicyState } from '../loadbalancer/policies';
import type { ResolvedService } from './resolve';

/** Per-service summary. */
export interface ServiceSummary {
  name: string;
  replicas: number;
  /** Calls that reached the service (picked a replica) and calls refused with no replica up. */
  arrivals: number;
  noHealthyReplica: number;
  /** Time-average busy workers over all workers. */
  utilisation: number;
  /** Throughput of the service's workers, calls/s. */
  throughput: number;
  /** Time-weighted fraction of replicas up. */
  availability: number;
  /** Calls refused by a full replica (capacity) or a crashed one, and failed inside at a crash. */
  drops: number;
  refused: number;
  failed: number;
  replicaStats: StationSummary[];
}

export class Service {
  readonly index: number;
  readonly config: ResolvedService;
  readonly stations: Station[];
  readonly failures: FailureProcess[];
  readonly slowdowns: FailureProcess[];
  /** Service-time multiplier of each replica (slowdownFactor while slowed). */
  readonly factor: Float64Array;
  arrivals = 0;
  noHealthyReplica = 0;
  private readonly sim: Simulation;
  private readonly policy: Policy;
  private readonly state: PolicyState & {
    eligible: Uint8Array;
    load: Float64Array;
    latency: Float64Array;
  };
  private readonly rng: Rng;
  private readonly needsLoad: boolean;

  constructor(
    sim: Simulation,
    calls: Calls,
    index: number,
    config: ResolvedService,
    afterWork: JobTarget,
    skip: (job: number) => boolean,
  ) {
    this.sim = sim;
    this.index = index;
    this.config = config;
    const n = config.replicas;
    const names = Array.from({ length: n }, (_, i) => `${config.name}[${i}]`);
    this.factor = new Float64Array(n).fill(1);
    this.stations = names.map((name, i) => {
      const dist = config.service;
      const factor = this.factor;
      return new Station(sim, {
        name: name,
        servers: config.servers,
        discipline: config.discipline,
        capacity: config.capacity,
        service: (job: number, rng: Rng) => (skip(job) ? 0 : factor[i] * dist.sample(rng)),
        to: afterWork,
        dropTo: calls.error,
        onCrash: config.onCrash,
        failTo: calls.error,
      });
    });
    this.state = {
      n: n,
      eligible: new Uint8Array(n).fill(1),
      weight: new Float64Array(n).fill(1),
      nominal: new Float64Array(n).fill(1),
      load: new Float64Array(n),
      latency: new Float64Array(n),
    };
    this.policy = createPolicy(config.balance, names, this.state.nominal, config.balance_options);
    this.needsLoad =
      config.balance === 'leastconn' ||
      config.balance === 'least_request' ||
      config.balance === 'least_time';
    this.rng = sim.streams.get(`${config.name}.balance`);
    this.failures = this.stations.map((st, i) => {
      const fp = new FailureProcess(sim, st, config.failures, { name: names[i] });
      if (config.onCrash === 'fail') {
        fp.onCrash(() => (this.state.eligible[i] = 0));
        fp.onRecover(() => (this.state.eligible[i] = 1));
      }
      return fp;
    });
    this.slowdowns = names.map(
      (name, i) =>
        new FailureProcess(
          sim,
          {
            crash: () => (this.factor[i] = config.slowdownFactor),
            recover: () => (this.factor[i] = 1),
          },
          config.slowdowns,
          { name: `${name}.slow` },
        ),
    );
    sim.onReset(() => {
      this.arrivals = 0;
      this.noHealthyReplica = 0;
    });
  }

  /** The replica for a new call, or -1 when none is up. */
  pick(hash: number): number {
    const s = this.state;
    if (this.needsLoad) for (let i = 0; i < s.n; i++) s.load[i] = this.stations[i].inSystem;
    const i = this.policy.pick(s, hash, this.rng);
    if (i < 0) this.noHealthyReplica++;
    else this.arrivals++;
    return i;
  }

  /** Records a replica's response time in its EWMA (least_time; Finagle's peak EWMA with a 10-sample decay). */
  observe(replica: number, rt: number): void {
    const l = this.state.latency;
    l[replica] = l[replica] === 0 ? rt : Math.max(rt, l[replica] + 0.1 * (rt - l[replica]));
  }

  summary(): ServiceSummary {
    const st = this.stations.map((s) => s.summary());
    const workers = this.config.replicas * this.config.servers;
    const busy = st.reduce((a, s) => a + s.utilisation * s.servers, 0);
    return {
      name: this.config.name,
      replicas: this.config.replicas,
      arrivals: this.arrivals,
      noHealthyReplica: this.noHealthyReplica,
      utilisation: busy / workers,
      throughput: st.reduce((a, s) => a + s.throughput, 0),
      availability:
        this.failures.reduce((a, f) => a + (Number.isNaN(f.availability) ? 1 : f.availability), 0) /
        this.failures.length,
      drops: st.reduce((a, s) => a + s.drops, 0),
      refused: st.reduce((a, s) => a + s.refused, 0),
      failed: st.reduce((a, s) => a + s.failed, 0),
      replicaStats: st,
    };
  }
}
