/**
 * A web application's architecture as data: who sends the load, which tiers it crosses, how much
 * work each request costs at each tier, what the parts cost and how often they fail. The same
 * object is a JSON file for `scalelab plan FILE` (validated against ./schema.json), so the keys
 * below are the JSON keys; times are seconds, rates per second, costs per server-hour.
 *
 * A request is static (an image, a script: share `mix.static`) or dynamic; a dynamic request is a
 * read (share `mix.reads`) or a write. Paths (every one starts and ends with the client's round
 * trip `network.rtt`, or `geodns.rtt` to the nearest of `geodns.datacenters`):
 *   static, CDN hit (Che's ratio of `cdn.capacity`):  the CDN edge only (`cdn.latency`)
 *   static, CDN miss:                  the edge (`cdn.latency`), then the origin: balancer → one web server (`web.staticServiceTime`)
 *   static, no CDN:                    balancer → one web server (`web.staticServiceTime`)
 *   read:   balancer → web (`web.serviceTime`) → cache (`cache.serviceTime`) → on a miss, a read
 *           replica (`database.readServiceTime`; the primary when there are no replicas)
 *   write:  balancer → web → the primary (`database.writeServiceTime`) → with `kafka`, publishes
 *           `kafka.recordsPerWrite` records (waiting for the ack when `kafka.awaitAck`)
 * With `database.colocated` the database runs on the one web host (step 1 of the scaling story).
 */

/** Closed load: a population of users, each thinking `thinkTime` seconds between requests. */
export interface UsersLoad {
  count: number;
  thinkTime: number;
}

export interface RequestMix {
  /** Share of requests for static content (0..1). */
  static: number;
  /** Share of dynamic requests that only read (0..1); the rest write. */
  reads: number;
}

/** A component's failures: exponential time to failure and to repair (seconds). */
export interface FailureSpec {
  mttf: number;
  mttr: number;
}

export interface BalancerSpec {
  /** Mean CPU time per request at the balancer (HAProxy/NGINX proxying: tens of microseconds). */
  serviceTime: number;
  /** An active-passive pair (keepalived/VRRP): a second box, the same capacity, higher availability. */
  pair: boolean;
  /** How the balancer picks a web server: 'random' (product form, exact) is the only policy modelled. */
  balance: 'random';
}

export interface AutoscalingSpec {
  /** Kubernetes HPA's minReplicas / maxReplicas. */
  minReplicas: number;
  maxReplicas: number;
  /** HPA's targetCPUUtilizationPercentage (1..100): servers = ceil(utilisation · n / target). */
  targetCPUUtilizationPercentage: number;
}

export interface WebSpec {
  /** Web servers (the starting count when autoscaled). */
  servers: number;
  /** Mean CPU time of a dynamic request (PHP/Rails/Java handler, excluding its calls). */
  serviceTime: number;
  /** Mean CPU time of a static request served by the origin. */
  staticServiceTime: number;
  /** Stateless (sessions in the cache or a store) or stateful (sticky sessions on the server). */
  stateless: boolean;
  autoscaling?: AutoscalingSpec;
}

export interface CacheSpec {
  /** Objects the memcached pool holds (memcached's -m, in objects of one size). */
  capacity: number;
  /** Objects one cache server holds: the pool has ceil(capacity / serverCapacity) servers (keys spread by consistent hashing). */
  serverCapacity: number;
  /** Distinct objects read, with Zipf(alpha) popularity. */
  objects: number;
  alpha: number;
  /** Mean time of a get at the cache server. */
  serviceTime: number;
}

export interface DatabaseSpec {
  readServiceTime: number;
  writeServiceTime: number;
  /** Read replicas (MySQL/PostgreSQL streaming replicas): reads are spread over them evenly. */
  replicas: number;
  /** The database on the web host itself (one server for everything). */
  colocated: boolean;
  /** Seconds to promote a replica when the primary fails (with at least one replica). */
  failoverTime: number;
}

/**
 * The CDN in front of the static content (lib/systems/cache/cdn.ts, one edge per datacenter): an
 * LRU edge of `capacity` objects over a catalogue of `objects` with Zipf(`alpha`) popularity, the
 * origin's `Cache-Control: max-age`, a miss fetched from the datacenter's balancer and a web
 * server's static work. Size the edge by `capacity`, or by `hitRatio` (the capacity whose Che hit
 * ratio it is, found by bisection: ./cdn-edge.ts); not both; neither: hitRatio 0.9.
 */
export interface CdnSpec {
  /** Share of static requests the edge should answer: sizes the edge (Che's approximation inverted). */
  hitRatio?: number;
  /** Objects one edge holds (LRU); the analytic hit ratio is Che's for it. */
  capacity?: number;
  /** Distinct static objects, requested with Zipf(alpha) popularity (default 10000, 0.8 as `cache`). */
  objects: number;
  alpha: number;
  /** The origin's Cache-Control max-age, seconds (default a year: only the LRU limits the hits). */
  maxAge: number;
  /** Round trip client <-> edge, seconds: every static request's, a miss's before the origin's path. */
  latency: number;
}

export interface GeoDnsSpec {
  /** Datacenters, each a full copy of the tiers; GeoDNS sends each user to the nearest. */
  datacenters: number;
  /** Round trip from a user to the nearest datacenter. */
  rtt: number;
  /** The records' TTL, seconds (default 60): a resolver keeps its answer this long. */
  ttl: number;
  /** Route 53 health check: seconds between checks (30, or 10 for fast checks) and failed checks before unhealthy (3). */
  request_interval: number;
  failure_threshold: number;
}

export interface TargetSpec {
  /** The 95th percentile of response time to stay under (seconds). */
  p95: number;
  /** The 99th percentile to stay under as well (seconds; optional: the usual target of open load, requests/s at a p99). */
  p99?: number;
  /** The availability to reach (0..1), e.g. 0.999. */
  availability: number;
}

/** The consumer group that does the asynchronous work (Kafka's KafkaConsumer with group.id). */
export interface KafkaGroupSpec {
  /** Kafka's group.id. */
  groupId: string;
  /** Consumers in the group (members beyond the partitions stay idle). */
  members: number;
  /** Mean processing time of one record (exponential), seconds: the asynchronous work's demand. */
  processingTime: number;
}

/**
 * Asynchronous work through Kafka (lib/systems/kafka): every write publishes `recordsPerWrite`
 * records (uniform keys, Kafka's default partitioner) to `topic`, consumed by `group`. With
 * `awaitAck` the web server waits for the producer's acknowledgement (acks) before it answers, so
 * the produce latency is on the response path; without, the request answers at once and the work
 * happens off the response path (its end-to-end latency and the group's lag are reported apart).
 */
export interface KafkaSpec {
  /** Brokers of the cluster (per datacenter). */
  brokers: number;
  /** The topic's name and settings (Kafka's topic configs). */
  topic: string;
  partitions: number;
  'replication.factor': number;
  'min.insync.replicas': number;
  /** Producer settings: acks ("0", "1", "all") and linger.ms. */
  acks: '0' | '1' | 'all';
  'linger.ms': number;
  /** One-way network delay to the brokers, milliseconds (the Kafka component's networkDelayMs). */
  networkDelayMs: number;
  /** Records published per write request. */
  recordsPerWrite: number;
  /** The web server waits for the acknowledgement before replying (the produce on the response path). */
  awaitAck: boolean;
  group: KafkaGroupSpec;
}

export interface CostSpec {
  /** Price of one server-hour (any server: balancer, web, cache, database). */
  server: number;
  /** Price of the CDN per hour. */
  cdn: number;
}

export interface Architecture {
  name: string;
  /** Position in the scaling story (1..8). */
  step?: number;
  description?: string;
  /** Closed users with think time, or an open `arrivalRate` (requests/s): exactly one. */
  users?: UsersLoad;
  arrivalRate?: number;
  mix: RequestMix;
  network: { rtt: number };
  balancer?: BalancerSpec;
  web: WebSpec;
  cache?: CacheSpec;
  database: DatabaseSpec;
  cdn?: CdnSpec;
  geodns?: GeoDnsSpec;
  /** A Kafka topic and consumer group for asynchronous work (the writes publish to it). */
  kafka?: KafkaSpec;
  /** Failures of every server (one spec for all: they are the same machines). */
  failures: FailureSpec;
  target: TargetSpec;
  cost: CostSpec;
}

/** Description of a request class for the evaluations. */
export type RequestClass = 'static-cdn' | 'static' | 'read-hit' | 'read-miss' | 'write';
