/**
 * One datacenter of an architecture's simulation, built from the library's components on the
 * architecture's Simulation (./simulate.ts drives the requests through it):
 *
 * - the database: lib/systems/replication `ReplicationCluster`, called (`clients: 'external'`,
 *   name `dc<i>.db`): `writes` to the primary (async commit, shipped to the replicas' relay logs and
 *   applied there), `reads` over the replicas by ProxySQL's weights (all 1: a uniform draw, as the
 *   analytic model's random split), to the primary with none; each node one connection (`servers:
 *   1`) under processor sharing, exponential `readTime` / `commitTime` (BCMP type 2, so the product
 *   form of ./analytic.ts holds); a primary's crash is its failover (`primaryCrashAt`, promotion
 *   after `detectionDelay` = `database.failoverTime`), a replica's its `replicaCrashes`.
 * - the cache: lib/systems/cache `CacheSystem`, called (no `rate`, name `dc<i>.cache`): the
 *   clients' ketama pick over ceil(capacity / serverCapacity) memcached servers, each an LRU of its
 *   share of the capacity with one worker thread (`cache.threads: 1`, PS, exponential
 *   `cache.serviceTime`), a miss sent to the cluster's `reads` and filled on the answer. The stores
 *   are warmed before the run by 20 capacities of reads (LRU's dynamics do not depend on time).
 * - the balancer and the web servers: lib/systems/loadbalancer `LoadBalancerSystem`, called
 *   (`clients: { external: true }`, name `dc<i>`, L7, `balance: 'random'` as the analytic model's
 *   uniform split): the balancer node (with `balancer`: one FIFO worker, exponential
 *   `balancer.serviceTime`, the same for every class, so BCMP type 1; a VRRP pair with
 *   `balancer.pair`), HAProxy's active health checks (inter 2 s, fall 3), the web servers as its
 *   backends with `discipline: 'ps'` (one CPU time-shared by its threads; the request's work, the
 *   class's mean web time times a standard exponential, set by `setWork`), `retries: 0` (the
 *   analytic failure model's), a backend's finished work going on through `serverTo` to the
 *   cache/database chain (./simulate.ts) before the answer returns.
 * - with `web.autoscaling` (step 7), the web servers are the library's web tier instead
 *   (./sim-webtier.ts: lib/systems/webtier `WebTierSystem`, called, PS servers, random, the HPA on
 *   their measured CPU): the balancer's one backend passes the request through (zero work) and its
 *   `serverTo` hands it to the tier with the request's web work (`setWork`); the tier's `serverTo`
 *   is the cache/database chain.
 * - with `database.colocated` (step 1: the database on the one web host) the same balancer
 *   component without a balancer node and with one PS backend, the host: a request's work there is
 *   its web work plus its database work (./sim-classes.ts `hostTime`), since one processor-sharing
 *   CPU running a request's web visit and then its database visit, with no delay between them,
 *   serves it exactly as one visit of the summed work (the old stand-in, two visits of one PS
 *   `Station`, gave the same sojourns in distribution). No component models "one host running
 *   both" more closely: the web tier component (WebTierSystem) is the autoscaled tier's, and the
 *   replication cluster's primary would be a second server. The host's crash is the backend's own
 *   failure process (requests inside fail, connections refused until the health check removes it).
 * - with `cdn` (step 6 on), the CDN component (./sim-cdn.ts, set by ./simulate.ts with the origin
 *   path): its edge answers the static requests, a miss is fetched through this balancer.
 */
import { Exponential } from '../../random/exponential';
import { Zipf } from '../../random/zipf';
import type { Rng } from '../../random/xoshiro128';
import type { Simulation } from '../../sim/simulation';
import { target, type JobTarget } from '../../sim/target';
import { CacheSystem } from '../cache/system';
import { Calls } from '../common/calls';
import { grownFloat64 } from '../../sim/grown';
import type { FailureSpec } from '../common/failures';
import { LoadBalancerSystem } from '../loadbalancer/system';
import { ReplicationCluster } from '../replication/cluster';
import type { ReplicaCrash } from '../replication/config';
import type { Cdn } from '../cache/cdn';
import type { Layout } from './layout';
import type { OutageSpec } from './sim-outage';
import { AsyncWork } from './sim-kafka';
import { autoscaledWebTier } from './sim-webtier';
import type { WebTierSystem } from '../webtier/system';
import type { Architecture } from './types';

/** The keys of the database without a cache (reads and writes uniform over them). */
const DB_KEYS = 1000;

export class Datacenter {
  readonly keys: Rng;
  readonly zipf: Zipf | null;
  readonly db: ReplicationCluster | null;
  readonly cache: CacheSystem | null;
  /** The balancer over the web servers (with `database.colocated`: over the one host, without a balancer node). */
  readonly lb: LoadBalancerSystem;
  /** The autoscaled web tier behind the balancer (with `web.autoscaling`; null otherwise: the balancer's backends are the web servers). */
  readonly web: WebTierSystem | null;
  work: AsyncWork | null = null;
  /** The CDN in front of the static content (./sim-cdn.ts; null without `cdn`). */
  cdn: Cdn | null = null;
  /** Per balancer request: its web work, handed to the autoscaled tier when the balancer passes it on. */
  private webWork: Float64Array = new Float64Array(1024);

  constructor(
    private readonly sim: Simulation,
    readonly index: number,
    a: Architecture,
    layout: Layout,
    outage: OutageSpec | null,
    /** The autoscaled web tier's servers at the start; null: the balancer's backends are the web servers (a fixed count). */
    webStart: number | null = null,
  ) {
    const d = index;
    this.keys = sim.streams.get(`dc${d}.keys`);
    const down = (tier: string): boolean => outage !== null && outage.tier === tier;
    const webCopies = layout.stations.find((st) => st.tier === 'web')!.copies;
    this.web =
      a.web.autoscaling && !a.database.colocated && webStart !== null
        ? autoscaledWebTier(sim, d, a, webStart, outage)
        : null;
    this.lb = balancerOf(sim, d, a, this.web !== null ? 1 : webCopies, outage, this.web === null);
    if (this.web !== null) {
      const web = this.web;
      const calls = Calls.of(sim);
      this.lb.serverTo = target((job) => {
        web.setWork(job, this.webWork[calls.parentOf[job]]);
        (web.entry as JobTarget).accept(job);
      });
    }
    const db = a.database;
    const R = db.replicas;
    const keys = a.cache ? a.cache.objects : DB_KEYS;
    const crashes: ReplicaCrash[] =
      down('replicas') && R > 0
        ? [{ replica: 1, at: (outage as OutageSpec).at, duration: (outage as OutageSpec).duration }]
        : [];
    this.db = db.colocated
      ? null
      : new ReplicationCluster(sim, {
          name: `dc${d}.db`,
          clients: 'external',
          replicas: R,
          mode: 'async',
          servers: 1,
          discipline: 'ps',
          readTime: Exponential.withMean(db.readServiceTime),
          commitTime: Exponential.withMean(db.writeServiceTime),
          keys: keys,
          keySkew: 0,
          sessions: 1,
          ...(R > 0 ? { weights: Array.from({ length: R }, () => 1) } : {}),
          replicaCrashes: crashes,
          ...(down('primary')
            ? { primaryCrashAt: (outage as OutageSpec).at, detectionDelay: db.failoverTime }
            : {}),
        });
    this.zipf = a.cache ? new Zipf(a.cache.objects, a.cache.alpha) : null;
    this.cache = null;
    if (a.cache) {
      const nodes = layout.stations.find((st) => st.tier === 'cache')!.copies;
      const failures: FailureSpec[] = Array.from({ length: nodes }, (_, i) =>
        i === 0 && down('cache')
          ? {
              outages: [
                { at: (outage as OutageSpec).at, duration: (outage as OutageSpec).duration },
              ],
            }
          : {},
      );
      const cache = new CacheSystem(sim, {
        name: `dc${d}.cache`,
        popularity: { model: 'zipf', objects: a.cache.objects, alpha: a.cache.alpha },
        cache: {
          nodes: nodes,
          capacity: Math.ceil(a.cache.capacity / nodes),
          hashing: 'ketama',
          policy: 'lru',
          latency: 0,
          threads: 1,
          serviceTime: Exponential.withMean(a.cache.serviceTime),
          failures: failures,
        },
      });
      const cluster = this.db;
      if (cluster !== null) {
        cache.missTo = cluster.reads;
        cache.onMiss = (child, key) => cluster.setKey(child, key + 1);
      }
      this.cache = cache;
      this.warm(a.cache.capacity);
    }
  }

  /** Sends a request's child through the balancer to a web server whose work is `work` seconds. */
  callWeb(child: number, work: number): void {
    const lb = this.lb;
    if (this.web !== null) {
      if (child >= this.webWork.length) this.webWork = grownFloat64(this.webWork, 2 * (child + 1));
      this.webWork[child] = work;
      lb.setWork(child, 0);
    } else lb.setWork(child, work);
    (lb.entry as JobTarget).accept(child);
  }

  /** Where a web server's finished work goes on (the cache/database chain). */
  onwardTo(to: JobTarget): void {
    if (this.web !== null) this.web.serverTo = to;
    else this.lb.serverTo = to;
  }

  /** The user's request of a job that reached the web server's onward call (its caller's caller's, one more with the autoscaled tier). */
  requestOf(job: number): number {
    const parentOf = Calls.of(this.sim).parentOf;
    const up = parentOf[parentOf[job]];
    return this.web !== null ? parentOf[up] : up;
  }

  /** Sends a call's child to the data tier: a read to the cache (or the cluster's `reads`), a write to the cluster's `writes`. */
  callData(job: number, write: boolean): void {
    if (!write && this.cache !== null) {
      this.cache.setKey(job, this.key());
      this.cache.entry.accept(job);
    } else {
      const db = this.db as ReplicationCluster;
      (write ? db.writes : db.reads).accept(job);
    }
  }

  /** A read's key, Zipf(alpha) over the objects (0-based). */
  key(): number {
    return (this.zipf as Zipf).sample(this.keys) - 1;
  }

  /** Warm start: 20 capacities of reads through the clients' ketama pick into the nodes' stores. */
  private warm(capacity: number): void {
    const cache = this.cache as CacheSystem;
    const warm = 20 * capacity;
    for (let r = 0; r < warm; r++) {
      const key = this.key();
      const node = cache.pool.nodeOf(key);
      if (node !== null && !node.store.get(key, 0)) node.store.set(key, 0);
    }
    for (const n of cache.pool.nodes) n.store.resetCounters();
  }
}

/**
 * Datacenter `d`'s balancer over its web servers, called: the balancer node (exponential
 * `balancer.serviceTime`; a VRRP pair with `balancer.pair`), the web servers as PS backends, and
 * an outage of the balancer or of web server 0 as their own failures (a crashed process: requests
 * inside fail, connections are refused at once until the health check removes it).
 */
function balancerOf(
  sim: Simulation,
  d: number,
  a: Architecture,
  web: number,
  outage: OutageSpec | null,
  webOutage: boolean,
): LoadBalancerSystem {
  const down = outage === null ? [] : [{ at: outage.at, duration: outage.duration }];
  const b = a.balancer;
  return new LoadBalancerSystem(sim, {
    name: `dc${d}`,
    mode: 'L7',
    clients: { external: true },
    retries: 0,
    ...(b
      ? {
          balancer: {
            service: Exponential.withMean(b.serviceTime),
            failures: outage !== null && outage.tier === 'balancer' ? down : [],
            pair: b.pair ? {} : false,
          },
        }
      : {}),
    pools: [
      {
        name: 'web',
        balance: 'random',
        health_check: {},
        backends: Array.from({ length: web }, (_, i) => ({
          discipline: 'ps' as const,
          failure_mode: 'crash' as const,
          failures: webOutage && i === 0 && outage !== null && outage.tier === 'web' ? down : [],
        })),
      },
    ],
  });
}
