/**
 * The balancer: one node, or an active-passive pair sharing a virtual address with VRRP
 * (keepalived). With `balancer.service` each node is a Station (`workers`, room for `maxconn`
 * requests, HAProxy global maxconn: more are refused); without it the balancer costs no time.
 *
 * The master (node 0) crashes and recovers through the shared failure process (`balancer.failures`
 * outages, substream `balancer0.failures`). When it dies every request inside fails, and the
 * backup takes the address over `Master_Down_Interval` = 3 x advert_int + skew (RFC 5798 §6.1;
 * vrrp.ts) after the last advertisement it heard: requests sent in between fail, and so do
 * answers in flight through the dead node (the address's epoch changed). Advertisements start
 * at a uniform phase (`lb.vrrp`). With `preempt` the master takes the address back on recovery.
 */
import { Station } from '../../sim/station';
import type { Simulation } from '../../sim/simulation';
import { FailureProcess } from '../common/failures';
import type { Failable } from '../common/failures';
import type { LoadBalancerSystem } from './system';
import { masterDownInterval } from './vrrp';

/** One VIP failover of the pair: the crash, the last advertisement before it, the takeover. */
export interface Failover {
  crash: number;
  lastAdvertisement: number;
  takeover: number;
  /** takeover - crash: the time no balancer owned the address. */
  downtime: number;
}

export class BalancerPair implements Failable {
  /** The balancer nodes as stations (empty when the balancer costs no time). */
  readonly nodes: Station[] = [];
  /** The node that owns the virtual address, or -1 while none does. */
  vipOwner = 0;
  /** Changes whenever the address changes owner: connections and answers through the old owner die. */
  vipEpoch = 0;
  readonly failovers: Failover[] = [];
  /** The master node's crashes and recoveries. */
  readonly failures: FailureProcess;
  private advertPhase = 0;
  private readonly lb: LoadBalancerSystem;
  private readonly takeoverH: number;

  constructor(sim: Simulation, lb: LoadBalancerSystem) {
    this.lb = lb;
    const b = lb.config.balancer;
    if (b.service !== null) {
      const overload = { accept: (job: number) => lb.clients.fail(job, 'balancer_overload') };
      const down = { accept: (job: number) => lb.clients.fail(job, 'balancer') };
      for (let k = 0; k < (b.pair ? 2 : 1); k++) {
        this.nodes.push(
          new Station(sim, {
            name: `${lb.config.prefix}balancer${k}`,
            servers: b.workers,
            capacity: b.maxconn,
            service: b.service,
            to: lb.dispatcher.route,
            dropTo: overload,
            onCrash: 'fail',
            failTo: down,
            quantiles: false,
          }),
        );
      }
    }
    if (b.pair)
      this.advertPhase = sim.streams.get(`${lb.config.prefix}lb.vrrp`).next() * b.pair.advert_int;
    this.takeoverH = sim.handler(() => this.takeover(), 'balancer.takeover');
    this.failures = new FailureProcess(sim, this, b.failure, {
      name: `${lb.config.prefix}balancer0`,
    });
  }

  /** A request reaches the address's owner (which must exist: vipOwner >= 0). */
  admit(job: number): void {
    if (this.nodes.length > 0) this.nodes[this.vipOwner].accept(job);
    else this.lb.dispatcher.route.accept(job);
  }

  /** The master dies: its requests fail; with a pair the backup takes over after Master_Down_Interval. */
  crash(): void {
    const pair = this.lb.config.balancer.pair;
    const now = this.lb.sim.now;
    if (this.nodes.length > 0) this.nodes[0].crash();
    if (this.vipOwner !== 0) return;
    this.vipOwner = -1;
    this.vipEpoch++;
    if (pair) {
      const a = pair.advert_int;
      const last = this.advertPhase + Math.floor((now - this.advertPhase) / a) * a;
      const takeover = Math.max(now, last + masterDownInterval(a, pair.priority, pair.version));
      this.failovers.push({
        crash: now,
        lastAdvertisement: last,
        takeover,
        downtime: takeover - now,
      });
      this.lb.sim.scheduleAt(takeover, this.takeoverH);
    }
  }

  recover(): void {
    const pair = this.lb.config.balancer.pair;
    if (this.nodes.length > 0) this.nodes[0].recover();
    if (!pair) {
      this.vipOwner = 0;
      this.vipEpoch++;
    } else if (pair.preempt || this.vipOwner < 0) {
      // the master's priority is higher: with preemption it takes the address back at once
      this.vipOwner = 0;
      this.vipEpoch++;
      this.advertPhase = this.lb.sim.now % pair.advert_int;
    }
  }

  private takeover(): void {
    if (this.vipOwner >= 0) return;
    this.vipOwner = 1;
    this.vipEpoch++;
  }
}
