/**
 * Issue 23, point 3: every simulator says when its offered load exceeds its capacity (a queue that
 * grows without bound over the run), without the caller passing the load in. Each system runs
 * once at about half its capacity and once at about 1.5 times it (same seed): the summary's
 * `overloaded` flag is false, then true, naming where the queue grew. The flag is the kernel's
 * growth test (lib/sim/overload.ts), whose false-alarm probability at ρ = 1 is about 3·10⁻⁵ per
 * queue; at ρ = 1.5 over these runs the growth is many times its threshold.
 */
import {
  Deterministic,
  Exponential,
  cache,
  geodns,
  kafka,
  loadbalancer,
  microservices,
  replication,
  storm,
  webtier,
} from '../../lib';

interface Flag {
  overloaded: boolean;
  overloadedAt: string[];
}

const window = { seed: 7, duration: 120, warmup: 10 };

const cases: Array<{ name: string; run: (load: number) => Flag; where: RegExp }> = [
  {
    // 4 backends of rate 20: capacity 80 requests/s
    name: 'loadbalancer',
    run: (load) =>
      loadbalancer.simulateLoadBalancer(
        {
          mode: 'L7',
          clients: { model: 'open', rate: 80 * load },
          pools: [
            { name: 'web', backends: 4, balance: 'roundrobin', service: new Exponential(20) },
          ],
        },
        window,
      ),
    where: /^web\.web-\d$/,
  },
  {
    // search: 3 replicas x 2 servers of 10 ms, 3 calls a request: capacity 200 requests/s
    name: 'microservices',
    run: (load) =>
      microservices.simulateMicroservices(
        {
          services: [
            {
              name: 'web',
              replicas: 2,
              servers: 4,
              service: Exponential.withMean(0.004),
              calls: [{ service: 'search', fanout: 3 }],
            },
            { name: 'search', replicas: 3, servers: 2, service: Exponential.withMean(0.01) },
          ],
          clients: { rate: 200 * load },
        },
        window,
      ),
    where: /search/,
  },
  {
    // one apply thread of rate 200: the replica's replay keeps up below 200 writes/s
    name: 'replication',
    run: (load) =>
      replication.simulateReplication(
        {
          replicas: 1,
          writeRate: 200 * load,
          applyTime: new Exponential(200),
          linkLatency: new Deterministic(0.001),
        },
        window,
      ).summary,
    where: /^db1\.replay$/,
  },
  {
    // 3 consumers of 2 ms: the group processes at most 1500 records/s
    name: 'kafka',
    run: (load) =>
      kafka.simulateKafka(
        {
          topics: [{ name: 'events', partitions: 6 }],
          producers: [{ topic: 'events', rate: 1500 * load }],
          groups: [
            { groupId: 'g', topic: 'events', members: 3, processing: Exponential.withMean(0.002) },
          ],
        },
        { seed: 7, duration: 30, warmup: 6 },
      ),
    where: /^group g$/,
  },
  {
    // no cache hits worth counting (capacity 1 of 100k objects): the database, 4 servers of 5 ms, takes 800 reads/s
    name: 'cache',
    run: (load) =>
      cache.simulateCache(
        {
          rate: 800 * load,
          popularity: { model: 'zipf', objects: 100000, alpha: 0.2 },
          cache: { nodes: 1, hashing: 'ketama', policy: 'lru', capacity: 1 },
          database: { servers: 4, service: Exponential.withMean(0.005) },
        },
        { seed: 7, duration: 30, warmup: 5 },
      ),
    where: /^database$/,
  },
  {
    // one datacenter of 4 servers of rate 10: capacity 40 requests/s
    name: 'geodns',
    run: (load) =>
      geodns.simulateGeoDns(
        {
          regions: [{ name: 'us-east-1', rate: 40 * load }],
          datacenters: [
            { name: 'virginia', region: 'us-east-1', servers: 4, service: new Exponential(10) },
          ],
          routing: { policy: 'latency', ttl: 60 },
        },
        window,
      ),
    where: /virginia/,
  },
];

describe.each(cases)('$name reports overload from its own queues', (c) => {
  it('at half its capacity: not overloaded', () => {
    const s = c.run(0.5);
    expect(s.overloaded).toBe(false);
    expect(s.overloadedAt).toEqual([]);
  });
  it('at 1.5 times its capacity: overloaded, naming the queue that grew', () => {
    const s = c.run(1.5);
    expect(s.overloaded).toBe(true);
    expect(s.overloadedAt.length).toBeGreaterThan(0);
    for (const at of s.overloadedAt) expect(at).toMatch(c.where);
  });
});

describe('systems whose queues are bounded report the flag too', () => {
  it('webtier: a stable tier is not overloaded', () => {
    const s = webtier.simulateWebTier(
      { users: { rate: 2 }, replicas: 2, session_store: 'shared' },
      window,
    );
    expect(s.overloaded).toBe(false);
  });
  it('storm: bounded receive queues and max.spout.pending: never flagged, back-pressure instead', () => {
    const b = new storm.TopologyBuilder();
    b.setSpout(
      'spout',
      storm.sentenceSpout(['the cow jumped over the moon'], {
        repeat: true,
        nextTupleInterval: new Exponential(100),
      }),
      2,
    );
    b.setBolt('split', storm.splitSentenceBolt(), 2).shuffleGrouping('spout');
    const s = storm.simulateStorm(
      { topology: b.createTopology(), 'topology.workers': 2, 'topology.max.spout.pending': 100 },
      { seed: 7, duration: 30 },
    );
    expect(s.overloaded).toBe(false);
  });
});
