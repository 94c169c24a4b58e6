/**
 * The system contract (lib/systems/README.md), checked on every simulator through the package's
 * public API: built on a Simulation it is handed, one-call runs reproducible through the shared
 * runner, an unknown key a ParameterError with a did-you-mean, a bad run window refused.
 */
import {
  Exponential,
  Lognormal,
  ParameterError,
  Simulation,
  Station,
  airflow,
  architecture,
  cache,
  common,
  geodns,
  kafka,
  loadbalancer,
  microservices,
  replication,
  storm,
  webtier,
} from '../../lib';

interface Case {
  name: string;
  config: () => Record<string, unknown>;
  /** A top-level key spelled wrong, and the key it should suggest. */
  typo: [string, string];
  build: (sim: Simulation, config: any) => unknown;
  simulate: (config: any, window: { seed?: number; duration: number; warmup?: number }) => unknown;
  duration: number;
}

function dag() {
  const d = new airflow.DAG({
    dag_id: 'train_then_deploy',
    schedule: '@hourly',
    start_date: '2025-01-01T00:00:00Z',
    catchup: false,
  });
  const t1 = new airflow.DatabricksSubmitRunOperator({
    task_id: 'train',
    dag: d,
    duration: Lognormal.fit(900, 0.1),
    retries: 2,
  });
  const t2 = new airflow.DatabricksSubmitRunOperator({ task_id: 'deploy', dag: d, duration: 300 });
  t1.then([t2]);
  return d;
}

const cases: Case[] = [
  {
    name: 'loadbalancer',
    config: () => ({
      mode: 'L7',
      clients: { model: 'open', rate: 50 },
      pools: [{ name: 'web', backends: 4, balance: 'least_request', service: new Exponential(20) }],
    }),
    typo: ['pool', 'pools'],
    build: (sim, c) => new loadbalancer.LoadBalancerSystem(sim, c),
    simulate: (c, w) => loadbalancer.simulateLoadBalancer(c, w),
    duration: 60,
  },
  {
    name: 'microservices',
    config: () => ({
      services: [
        {
          name: 'web',
          replicas: 2,
          servers: 4,
          service: Exponential.withMean(0.004),
          calls: [
            { service: 'search', fanout: 3 },
            { service: 'events', async: true },
          ],
        },
        { name: 'search', replicas: 3, servers: 2, service: Exponential.withMean(0.01) },
        { name: 'events', service: Exponential.withMean(0.002) },
      ],
      clients: { rate: 50 },
    }),
    typo: ['service', 'services'],
    build: (sim, c) => new microservices.MicroservicesSystem(sim, c),
    simulate: (c, w) => microservices.simulateMicroservices(c, w),
    duration: 60,
  },
  {
    name: 'webtier',
    config: () => ({ users: { rate: 2 }, replicas: 2, session_store: 'shared' }),
    typo: ['replica', 'replicas'],
    build: (sim, c) => new webtier.WebTierSystem(sim, c),
    simulate: (c, w) => webtier.simulateWebTier(c, w),
    duration: 120,
  },
  {
    name: 'replication',
    config: () => ({
      replicas: 2,
      mode: 'semisync',
      writeRate: 100,
      readRate: 200,
      readRouting: 'replicas',
    }),
    typo: ['writerate', 'writeRate'],
    build: (sim, c) => new replication.ReplicationCluster(sim, c),
    simulate: (c, w) => replication.simulateReplication(c, w).summary,
    duration: 30,
  },
  {
    name: 'kafka',
    config: () => ({
      topics: [
        { name: 'events', partitions: 6, 'replication.factor': 3, 'min.insync.replicas': 2 },
      ],
      producers: [{ topic: 'events', rate: 200, config: { acks: 'all', 'linger.ms': 5 } }],
      groups: [
        { groupId: 'g', topic: 'events', members: 3, processing: Exponential.withMean(0.002) },
      ],
    }),
    typo: ['topic', 'topics'],
    build: (sim, c) => new kafka.KafkaSystem(sim, c),
    simulate: (c, w) => kafka.simulateKafka(c, w),
    duration: 20,
  },
  {
    name: 'cache',
    config: () => ({
      rate: 500,
      popularity: { model: 'zipf', objects: 2000, alpha: 0.8 },
      cache: { nodes: 2, hashing: 'ketama', policy: 'lru', capacity: 200 },
      database: { servers: 4, service: Exponential.withMean(0.005) },
    }),
    typo: ['rte', 'rate'],
    build: (sim, c) => new cache.CacheSystem(sim, c),
    simulate: (c, w) => cache.simulateCache(c, w),
    duration: 20,
  },
  {
    name: 'storm',
    config: () => {
      const b = new storm.TopologyBuilder();
      b.setSpout(
        'spout',
        storm.sentenceSpout(['the cow jumped over the moon', 'an apple a day'], {
          repeat: true,
          nextTupleInterval: new Exponential(100),
        }),
        2,
      );
      b.setBolt('split', storm.splitSentenceBolt(), 2).shuffleGrouping('spout');
      b.setBolt('count', storm.wordCountBolt(), 2).fieldsGrouping('split', ['word']);
      return {
        topology: b.createTopology(),
        'topology.workers': 2,
        'topology.max.spout.pending': 100,
      };
    },
    typo: ['topology.worker', 'topology.workers'],
    build: (sim, c) => new storm.StormSystem(sim, c),
    simulate: (c, w) => {
      const { system: _system, ...summary } = storm.simulateStorm(c, w);
      return summary;
    },
    duration: 60,
  },
  {
    name: 'airflow',
    config: () => ({ dags: [dag()], core: { executor: 'LocalExecutor' } }),
    typo: ['dag', 'dags'],
    build: (sim, c) => new airflow.AirflowSystem(sim, c),
    simulate: (c, w) => {
      const { attemptsLog: _log, ...summary } = airflow.simulateAirflow(c, w);
      return summary;
    },
    duration: 4 * 3600,
  },
  {
    name: 'geodns',
    config: () => ({
      regions: [
        { name: 'us-east-1', rate: 20 },
        { name: 'eu-west-1', rate: 10 },
      ],
      datacenters: [
        { name: 'virginia', region: 'us-east-1', servers: 4, service: new Exponential(10) },
        { name: 'ireland', region: 'eu-west-1', servers: 4, service: new Exponential(10) },
      ],
      routing: { policy: 'latency', ttl: 60 },
    }),
    typo: ['region', 'regions'],
    build: (sim, c) => new geodns.GeoDnsSystem(sim, c),
    simulate: (c, w) => geodns.simulateGeoDns(c, w),
    duration: 60,
  },
  {
    name: 'architecture',
    // step 7: balancer pair, autoscaled web tier, memcached, replicas, a CDN and the Kafka component
    config: () =>
      architecture.exampleArchitectures().find((a) => a.step === 7) as unknown as Record<
        string,
        unknown
      >,
    typo: ['databse', 'database'],
    build: (sim, c) => new architecture.ArchitectureSystem(sim, c),
    simulate: (c, w) => architecture.simulateArchitecture(c, w),
    duration: 60,
  },
];

/** Summaries compared as JSON (NaN and Infinity as strings, functions dropped). */
function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v) =>
    typeof v === 'number' && !Number.isFinite(v)
      ? String(v)
      : typeof v === 'function'
        ? undefined
        : v,
  );
}

describe.each(cases)('the system contract: $name', (c) => {
  it('is built on a simulation it is handed and runs on its clock', () => {
    const sim = new Simulation({ seed: 2 });
    c.build(sim, c.config());
    expect(sim.pending).toBeGreaterThan(0); // its events are on this simulation's list
    sim.run({ until: c.duration / 4 });
    expect(sim.now).toBe(c.duration / 4);
  });

  it('one call for one run: same seed, same numbers; another seed, others', () => {
    const a = canonical(
      c.simulate(c.config(), { seed: 5, duration: c.duration, warmup: c.duration / 10 }),
    );
    const b = canonical(
      c.simulate(c.config(), { seed: 5, duration: c.duration, warmup: c.duration / 10 }),
    );
    const other = canonical(
      c.simulate(c.config(), { seed: 6, duration: c.duration, warmup: c.duration / 10 }),
    );
    expect(a).toBe(b);
    expect(other).not.toBe(a);
  });

  it('an unknown key is a ParameterError naming it, with the nearest known key', () => {
    const [typo, known] = c.typo;
    const config = { ...c.config(), [typo]: 1 };
    let error: unknown;
    try {
      c.build(new Simulation({ seed: 1 }), config);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParameterError);
    expect((error as ParameterError).parameter).toContain(typo);
    expect((error as Error).message).toContain(`did you mean "${known}"`);
  });

  it('a bad run window is refused by the shared runner', () => {
    expect(() => c.simulate(c.config(), { duration: 0 })).toThrow(ParameterError);
    expect(() => c.simulate(c.config(), { duration: 1, warmpu: 1 } as never)).toThrow(
      /did you mean "warmup"/,
    );
  });
});

/**
 * Called components (lib/systems/README.md, "Components called by others"): built without load of
 * their own on the caller's simulation, requests handed to `entry` as children of waits opened
 * through common.Calls; every child comes back exactly once, to `reply` or `error`.
 */
interface CalledCase {
  name: string;
  /** The component in called mode on `sim`: its entry, and what to set on each child before it is sent. */
  build: (sim: Simulation) => {
    entry: { accept(job: number): void };
    before?: (child: number) => void;
  };
  rate: number;
}

const calledCases: CalledCase[] = [
  {
    name: 'loadbalancer',
    build: (sim) => {
      const lb = new loadbalancer.LoadBalancerSystem(sim, {
        mode: 'L7',
        clients: { external: true },
        pools: [{ name: 'web', backends: 3, balance: 'leastconn', service: new Exponential(20) }],
      });
      return { entry: lb.entry! };
    },
    rate: 30,
  },
  {
    name: 'webtier',
    build: (sim) => {
      const w = new webtier.WebTierSystem(sim, {
        users: { external: true },
        replicas: 3,
        session_store: 'shared',
        failures: [{ outages: [{ at: 5, duration: 5 }] }],
      });
      const users = sim.streams.get('contract.users');
      return { entry: w.entry!, before: (child) => w.setUser(child, users.nextInt(20)) };
    },
    rate: 30,
  },
  {
    name: 'geodns',
    build: (sim) => {
      const g = new geodns.GeoDnsSystem(sim, {
        regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
        datacenters: [
          {
            name: 'virginia',
            region: 'us-east-1',
            external: true,
            failures: { outages: [{ at: 5, duration: 60 }] },
          },
          { name: 'ireland', region: 'eu-west-1', external: true },
        ],
        routing: { policy: 'latency', ttl: 10 },
        health_check: { request_interval: 10, failure_threshold: 1 },
      });
      const calls = common.Calls.of(sim);
      g.sites.forEach((s, i) => {
        s!.target = new Station(sim, {
          name: `dc${i}`,
          servers: 4,
          service: new Exponential(20),
          to: calls.reply,
          dropTo: calls.error,
        });
      });
      const regions = sim.streams.get('contract.regions');
      return { entry: g.entry, before: (child) => g.setRegion(child, regions.nextInt(2)) };
    },
    rate: 30,
  },
  {
    name: 'cdn (misses to the caller’s origin, which crashes)',
    build: (sim) => {
      const cdn = new cache.Cdn(sim, {
        regions: [{ rtt: 0.02, originRtt: 0.1 }],
        popularity: { model: 'zipf', objects: 200, alpha: 0.9 },
        cacheControl: { 'max-age': 5 },
        origin: { timeout: 1 },
      });
      const calls = common.Calls.of(sim);
      const app = new Station(sim, {
        name: 'app',
        servers: 4,
        service: new Exponential(50),
        to: calls.reply,
        dropTo: calls.error,
        onCrash: 'fail',
        failTo: calls.error,
      });
      cdn.originTo = app;
      sim.schedule(
        3,
        sim.handler(() => app.crash()),
      );
      sim.schedule(
        6,
        sim.handler(() => app.recover()),
      );
      const keys = sim.streams.get('contract.objects');
      return { entry: cdn.entry, before: (child) => cdn.setKey(child, keys.nextInt(200)) };
    },
    rate: 30,
  },
  {
    name: 'cache (misses to a called replication cluster, a node and the primary crash)',
    build: (sim) => {
      const db = new replication.ReplicationCluster(sim, {
        clients: 'external',
        replicas: 1,
        keys: 100,
        primaryCrashAt: 5,
        detectionDelay: 2,
      });
      const c = new cache.CacheSystem(sim, {
        name: 'memcache',
        cache: {
          nodes: 2,
          capacity: 20,
          threads: 1,
          serviceTime: new Exponential(1000),
          failures: [{ outages: [{ at: 3, duration: 5 }] }, {}],
        },
      });
      c.missTo = db.reads;
      c.onMiss = (child, key) => db.setKey(child, key + 1);
      const keys = sim.streams.get('contract.keys');
      return { entry: c.entry, before: (child) => c.setKey(child, keys.nextInt(100)) };
    },
    rate: 30,
  },
  {
    name: 'replication (writes, the primary crashing)',
    build: (sim) => {
      const db = new replication.ReplicationCluster(sim, {
        clients: 'external',
        replicas: 2,
        weights: [1, 3],
        primaryCrashAt: 5,
        detectionDelay: 2,
      });
      return { entry: db.writes };
    },
    rate: 30,
  },
];

describe.each(calledCases)('the called-component contract: $name', (c) => {
  it('answers every child of a common.Calls wait exactly once, to reply or error', () => {
    const sim = new Simulation({ seed: 3 });
    const { entry, before } = c.build(sim);
    const calls = common.Calls.of(sim);
    let ended = 0;
    const then = { accept: (parent: number) => (ended++, sim.jobs.free(parent)) };
    const n = 500;
    for (let i = 0; i < n; i++)
      sim.schedule(
        (i + 1) / c.rate,
        sim.handler(() => {
          const parent = sim.jobs.alloc();
          calls.wait(parent, { then });
          const child = calls.child(parent);
          if (before) before(child);
          entry.accept(child);
        }),
      );
    sim.run({ until: n / c.rate + 600 });
    expect(ended).toBe(n);
    // every call made (the caller's and the component's own, e.g. a session-store read) came back once
    expect(calls.answered + calls.failed + calls.late).toBe(calls.calls);
    expect(calls.waitsOk + calls.waitsError + calls.waitsTimedOut).toBe(calls.waits);
  });
});
