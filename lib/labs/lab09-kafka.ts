/**
 * Lab 09, Kafka consumer groups: how a group's throughput and lag scale with its members and the
 * topic's partitions, what a rebalance costs (eager vs cooperative), how a hot key caps scaling,
 * what `acks` and `linger.ms` cost in produce latency, what `acks`, `min.insync.replicas` and
 * unclean election lose when brokers crash, and where ordering holds. Every knob keeps Kafka's
 * name; the simulator is lib/systems/kafka. Times are in ms inside the simulator.
 */
import type { ColumnTable } from 'arquero';
import { defineExperiment } from '../experiment/experiment';
import type { Observation } from '../experiment/experiment';
import { theoryVsSimulation } from '../experiment/figures';
import { band, figure, line, markers } from '../plot/builders';
import type { Figure } from '../plot/types';
import { Exponential } from '../random/exponential';
import { Simulation } from '../sim/simulation';
import { rangeAssign } from '../systems/kafka/assignors';
import { KafkaCluster } from '../systems/kafka/cluster';
import { ConsumerGroup } from '../systems/kafka/consumer-group';
import { partitionForKey } from '../systems/kafka/murmur2';
import { Producer } from '../systems/kafka/producer';
import type { Acks } from '../systems/kafka/config';

const lab = '09-kafka-consumer-groups';

type Row = Record<string, number | string | boolean | null>;

function rowsOf(t: ColumnTable): Row[] {
  return t.objects() as Row[];
}

/** Per-consumer processing rate μ (records/s) for a mean processing time in ms. */
function perConsumerRate(processingMs: number): number {
  return 1000 / processingMs;
}

// ---------------------------------------------------------------------------------------------
// consumer-group-scaling
// ---------------------------------------------------------------------------------------------

export const consumerGroupScaling = defineExperiment({
  name: 'consumer-group-scaling',
  title: 'Consumer-group throughput and lag vs number of consumers, for several partition counts',
  description:
    'A producer writes unkeyed records (sticky partitioner) faster than any group here can consume; a group of C consumers reads a topic of P partitions, each record taking an exponential processing time of mean `processingMs`. ' +
    'Throughput grows linearly with C, then stays flat at C = P: a partition has one consumer per group, so members beyond P sit idle. The closed form is X = min(C, P)·μ with μ = 1000/processingMs per consumer, and the lag grows at λ − X.',
  lab,
  params: {
    partitionCounts: { type: 'numbers', default: [4, 8, 12], min: 1, max: 64, integer: true, unit: 'partitions', doc: 'Partition counts P of the topic to compare.' },
    consumers: { type: 'numbers', default: [1, 2, 3, 4, 6, 8, 10, 12, 14, 16], min: 1, max: 64, integer: true, unit: 'consumers', doc: 'Group sizes C to simulate.' },
    processingMs: { type: 'number', default: 10, min: 0.01, max: 10000, unit: 'ms', doc: 'Mean processing time of one record (exponential).' },
    produceRate: { type: 'number', default: 1600, min: 1, max: 1e6, unit: 'records/s', doc: 'Producer rate λ (Poisson); above every group capacity by default, so each group is saturated.' },
    warmupS: { type: 'number', default: 6, min: 0, max: 3600, unit: 's', doc: 'Time before measuring (covers group.initial.rebalance.delay.ms = 3 s and the first join).' },
    measureS: { type: 'number', default: 8, min: 1, max: 36000, unit: 's', doc: 'Measurement window.' },
  },
  replications: 3,
  metrics: ['X', 'lagGrowth', 'idle'],
  points: (p) => p.partitionCounts.flatMap((P) => p.consumers.map((C) => ({ partitions: `P = ${P}`, P: P, C: C }))),
  simulate: (point, p, seed) => {
    const P = point.P as number;
    const C = point.C as number;
    const sim = new Simulation({ seed });
    const cluster = new KafkaCluster(sim, { brokers: 1 });
    cluster.createTopic('events', { partitions: P });
    new Producer(cluster, { topic: 'events', rate: p.produceRate });
    const group = new ConsumerGroup(cluster, {
      groupId: 'g', topic: 'events', members: C, processing: Exponential.withMean(p.processingMs), config: { 'auto.offset.reset': 'earliest' },
    });
    sim.run({ until: p.warmupS * 1000 });
    const processed0 = group.stats.processed;
    const lag0 = group.totalBacklog();
    const perMember0 = group.members.map((m) => m.processed);
    sim.run({ until: (p.warmupS + p.measureS) * 1000 });
    const idle = group.members.filter((m, i) => m.processed === perMember0[i]).length;
    return { X: (group.stats.processed - processed0) / p.measureS, lagGrowth: (group.totalBacklog() - lag0) / p.measureS, idle: idle };
  },
  theory: (point, p) => {
    const mu = perConsumerRate(p.processingMs);
    const X = Math.min(point.C as number, point.P as number) * mu;
    return { X_theory: Math.min(X, p.produceRate), lagGrowth_theory: Math.max(0, p.produceRate - X), idle_theory: Math.max(0, (point.C as number) - (point.P as number)) };
  },
  figures: (t) => [
    theoryVsSimulation(t, {
      x: 'C', y: 'X', groupBy: 'partitions', title: 'Group throughput vs consumers: linear, then flat at C = P',
      xAxis: { title: 'consumers in the group C' }, yAxis: { title: 'throughput X (records/s)', fromZero: true },
      theoryLabel: 'min(C, P)·μ', simulationLabel: 'simulation (95% CI)',
    }),
    theoryVsSimulation(t, {
      x: 'C', y: 'lagGrowth', groupBy: 'partitions', title: 'Lag growth rate vs consumers: λ − min(C, P)·μ',
      xAxis: { title: 'consumers in the group C' }, yAxis: { title: 'lag growth (records/s)', fromZero: true },
      theoryLabel: 'λ − min(C, P)·μ', simulationLabel: 'simulation (95% CI)',
    }),
  ],
});

// ---------------------------------------------------------------------------------------------
// rebalance-lag
// ---------------------------------------------------------------------------------------------

export const rebalanceLag = defineExperiment({
  name: 'rebalance-lag',
  title: 'Lag over time through a rebalance: eager (range) vs cooperative (cooperative-sticky)',
  description:
    'A group of `consumers` members reads a topic at `load` of its capacity; at `eventAtS` one member joins (or leaves gracefully). ' +
    'An eager assignor makes every member give up all its partitions and wait for the slowest member to reach its next poll() (its current batch of up to max.poll.records must finish first): the whole group stops and the lag jumps. ' +
    'With cooperative-sticky only the partitions that move pause, in a second round, and the others keep flowing.',
  lab,
  params: {
    assignors: { type: 'choices', default: ['range', 'cooperative-sticky'], choices: ['range', 'roundrobin', 'sticky', 'cooperative-sticky'], doc: 'partition.assignment.strategy values to compare.' },
    event: { type: 'choice', default: 'join', choices: ['join', 'leave'], doc: 'What triggers the rebalance: a member joins, or one leaves (close()).' },
    partitions: { type: 'integer', default: 24, min: 1, max: 256, unit: 'partitions', doc: 'Partitions of the topic.' },
    consumers: { type: 'integer', default: 8, min: 1, max: 256, unit: 'consumers', doc: 'Members before the event.' },
    processingMs: { type: 'number', default: 5, min: 0.01, max: 10000, unit: 'ms', doc: 'Mean processing time per record (exponential).' },
    load: { type: 'number', default: 0.8, min: 0.05, max: 0.98, doc: 'Production rate as a fraction of the group capacity before the event, λ / (min(C, P)·μ).' },
    maxPollRecords: { type: 'integer', default: 500, min: 1, max: 100000, unit: 'records', doc: 'max.poll.records (the batch a member finishes before it can join).' },
    eventAtS: { type: 'number', default: 20, min: 5, max: 3600, unit: 's', doc: 'When the member joins or leaves.' },
    durationS: { type: 'number', default: 40, min: 10, max: 36000, unit: 's', doc: 'Simulated time.' },
    sampleMs: { type: 'number', default: 250, min: 10, max: 60000, unit: 'ms', doc: 'Lag sampling interval.' },
  },
  replications: 5,
  metrics: ['lag', 'stalled'],
  sharedSeedAcross: ['assignor'],
  points: (p) => p.assignors.map((a) => ({ assignor: a })),
  simulate: (point, p, seed) => {
    const sim = new Simulation({ seed });
    const cluster = new KafkaCluster(sim, { brokers: 1 });
    cluster.createTopic('events', { partitions: p.partitions });
    const capacity = Math.min(p.consumers, p.partitions) * perConsumerRate(p.processingMs);
    // production starts once the group has its first assignment, so the run starts in steady state
    new Producer(cluster, { topic: 'events', rate: p.load * capacity, startAtMs: 3500 });
    const group = new ConsumerGroup(cluster, {
      groupId: 'g', topic: 'events', members: p.consumers, processing: Exponential.withMean(p.processingMs),
      config: { 'auto.offset.reset': 'earliest', 'partition.assignment.strategy': point.assignor as never, 'max.poll.records': p.maxPollRecords },
    });
    const out: Observation[] = [];
    const sample = sim.handler(() => {
      let stalled = 0;
      for (let q = 0; q < p.partitions; q++) {
        const o = group.owner[q];
        if (o < 0 || group.members[o].waitingSync || group.members[o].state !== 'active') stalled++;
      }
      out.push({ t: Math.round(sim.now) / 1000, lag: group.totalBacklog(), stalled: stalled });
      if (sim.now + p.sampleMs <= p.durationS * 1000) sim.schedule(p.sampleMs, sample, 0, 4095);
    });
    sim.schedule(0, sample, 0, 4095);
    const event = sim.handler(() => (p.event === 'join' ? group.addMember() : group.leave(group.members.length - 1)));
    sim.schedule(p.eventAtS * 1000, event);
    sim.run({ until: p.durationS * 1000 });
    return out;
  },
  figures: (t, p) => {
    const rows = rowsOf(t);
    const from = Math.max(0, p.eventAtS - 10); // leave out the start-up (group.initial.rebalance.delay.ms) backlog
    const overTime = (y: string, title: string, yTitle: string) => {
      const traces = p.assignors.flatMap((a) => {
        const rs = rows.filter((r) => r.assignor === a && (r.t as number) >= from);
        const x = rs.map((r) => r.t as number);
        const name = `${a}${a === 'cooperative-sticky' ? ' (cooperative)' : ' (eager)'}`;
        return [
          ...band(x, rs.map((r) => Math.max(0, r[`${y}_lo`] as number)), rs.map((r) => r[`${y}_hi`] as number), { group: name }),
          line(x, rs.map((r) => r[y] as number), { name: `${name}: mean, 95% CI band`, group: name }),
        ];
      });
      return figure(traces, {
        title, x: { title: 'time (s)' }, y: { title: yTitle, fromZero: true },
        layout: { shapes: [{ type: 'line', x0: p.eventAtS, x1: p.eventAtS, yref: 'paper', y0: 0, y1: 1, line: { dash: 'dot', color: '#888' } }] },
      });
    };
    const what = p.event === 'join' ? 'joins' : 'leaves';
    return [
      overTime('lag', `Total lag through a rebalance (a member ${what} at t = ${p.eventAtS} s)`, 'lag (records not yet processed)'),
      overTime('stalled', `Partitions nobody consumes (unowned, or owner waiting in the join round)`, 'stalled partitions'),
    ];
  },
});

// ---------------------------------------------------------------------------------------------
// hot-key-scaling
// ---------------------------------------------------------------------------------------------

/** Fluid throughput of a saturated-or-not group: Σ over members of min(arrival rate of its partitions, μ). */
export function hotKeyThroughput(o: { partitions: number; consumers: number; keys: number; hotKeyShare: number; produceRate: number; processingMs: number }): number {
  const lambdaP = new Array(o.partitions).fill(0);
  for (let k = 0; k < o.keys; k++) lambdaP[partitionForKey(`key-${k}`, o.partitions)] += ((1 - o.hotKeyShare) * o.produceRate) / o.keys;
  lambdaP[partitionForKey('key-0', o.partitions)] += o.hotKeyShare * o.produceRate;
  const members = Array.from({ length: o.consumers }, (_, i) => ({ memberId: `m${String(i).padStart(4, '0')}`, topics: ['events'] }));
  const a = rangeAssign(members, { events: o.partitions });
  const mu = perConsumerRate(o.processingMs);
  return Object.values(a).reduce((s, ps) => s + Math.min(mu, ps.reduce((x, tp) => x + lambdaP[tp.partition], 0)), 0);
}

export const hotKeyScaling = defineExperiment({
  name: 'hot-key-scaling',
  title: 'A hot key caps consumer-group scaling',
  description:
    'Keyed records (murmur2 of the key picks the partition) over `keys` keys, one of which carries `hotKeyShare` of all records. ' +
    'Its partition receives that share whatever the group size, so one consumer saturates at μ and the group throughput flattens below the offered rate however many consumers join. ' +
    'The line is the fluid bound Σ over members of min(λ of its partitions, μ), computed from the real key → partition map and the range assignment.',
  lab,
  params: {
    hotKeyShares: { type: 'numbers', default: [0, 0.2, 0.4], min: 0, max: 1, doc: 'Share of records carrying the hot key.' },
    consumers: { type: 'numbers', default: [1, 2, 4, 6, 8], min: 1, max: 64, integer: true, unit: 'consumers', doc: 'Group sizes C.' },
    partitions: { type: 'integer', default: 8, min: 1, max: 64, unit: 'partitions', doc: 'Partitions P.' },
    keys: { type: 'integer', default: 1000, min: 1, max: 1e6, unit: 'keys', doc: 'Distinct keys.' },
    processingMs: { type: 'number', default: 10, min: 0.01, max: 10000, unit: 'ms', doc: 'Mean processing time per record (exponential).' },
    produceRate: { type: 'number', default: 640, min: 1, max: 1e6, unit: 'records/s', doc: 'Producer rate λ (0.8 of P·μ by default).' },
    warmupS: { type: 'number', default: 5, min: 0, max: 3600, unit: 's', doc: 'Time before measuring.' },
    measureS: { type: 'number', default: 10, min: 1, max: 36000, unit: 's', doc: 'Measurement window.' },
  },
  replications: 3,
  metrics: ['X'],
  points: (p) => p.hotKeyShares.flatMap((h) => p.consumers.map((C) => ({ hotKey: `hot key ${Math.round(h * 100)}%`, hotKeyShare: h, C: C }))),
  simulate: (point, p, seed) => {
    const sim = new Simulation({ seed });
    const cluster = new KafkaCluster(sim, { brokers: 1 });
    cluster.createTopic('events', { partitions: p.partitions });
    // production starts once the group has its first assignment (after group.initial.rebalance.delay.ms), so no start-up backlog inflates X
    new Producer(cluster, { topic: 'events', rate: p.produceRate, startAtMs: 3500, keys: { type: 'uniform', count: p.keys, hotKeyShare: point.hotKeyShare as number } });
    const group = new ConsumerGroup(cluster, {
      groupId: 'g', topic: 'events', members: point.C as number, processing: Exponential.withMean(p.processingMs), config: { 'auto.offset.reset': 'earliest' },
    });
    sim.run({ until: p.warmupS * 1000 });
    const x0 = group.stats.processed;
    sim.run({ until: (p.warmupS + p.measureS) * 1000 });
    return { X: (group.stats.processed - x0) / p.measureS };
  },
  theory: (point, p) => ({
    X_theory: hotKeyThroughput({ partitions: p.partitions, consumers: point.C as number, keys: p.keys, hotKeyShare: point.hotKeyShare as number, produceRate: p.produceRate, processingMs: p.processingMs }),
  }),
  figures: (t) => [
    theoryVsSimulation(t, {
      x: 'C', y: 'X', groupBy: 'hotKey', title: 'Throughput vs consumers with a hot key (share of records on one key)',
      xAxis: { title: 'consumers C' }, yAxis: { title: 'throughput X (records/s)', fromZero: true }, theoryLabel: 'Σ min(λ_member, μ)', simulationLabel: 'simulation (95% CI)',
    }),
  ],
});

// ---------------------------------------------------------------------------------------------
// produce-latency
// ---------------------------------------------------------------------------------------------

/**
 * Mean produce latency at low load on one partition: the linger wait of a Poisson stream in a
 * batch that closes `linger.ms` after its first record, L(1 + λL/2)/(1 + λL) (valid while the
 * batch does not fill, λL < batch.size / recordBytes), plus network: acks=0 none, acks=1 a round
 * trip 2d, acks=all 2d more for the follower's fetch to report the record (a lower bound: a
 * follower in mid-fetch adds up to another 2d).
 */
export function produceLatencyTheory(lingerMs: number, ratePerMs: number, acks: Acks, d: number): number {
  const L = lingerMs;
  const wait = L === 0 ? 0 : (L * (1 + (ratePerMs * L) / 2)) / (1 + ratePerMs * L);
  return wait + (acks === 0 ? 0 : acks === 1 ? 2 * d : 4 * d);
}

export const produceLatency = defineExperiment({
  name: 'produce-latency',
  title: 'Produce latency vs acks and linger.ms',
  description:
    'One producer sends to a topic of one partition replicated three times; each request and response crosses a network delay d. `linger.ms` holds a batch open so that more records share a request; ' +
    '`acks` decides when the producer hears back: 0 at once, 1 when the leader has written, all when every in-sync replica has fetched the record. The line is the linger wait of a Poisson stream plus the round trips.',
  lab,
  params: {
    acksValues: { type: 'choices', default: ['0', '1', 'all'], choices: ['0', '1', 'all'], doc: 'acks settings to compare.' },
    lingerMs: { type: 'numbers', default: [0, 2, 5, 10, 20], min: 0, max: 10000, integer: true, unit: 'ms', doc: 'linger.ms values.' },
    produceRate: { type: 'number', default: 400, min: 1, max: 1e5, unit: 'records/s', doc: 'Producer rate (Poisson).' },
    networkDelayMs: { type: 'number', default: 1, min: 0, max: 1000, unit: 'ms', doc: 'One-way network delay d.' },
    recordBytes: { type: 'integer', default: 1000, min: 1, max: 1e6, unit: 'bytes', doc: 'Record size (batch.size 16384 holds 16).' },
    durationS: { type: 'number', default: 10, min: 1, max: 36000, unit: 's', doc: 'Simulated time.' },
  },
  replications: 3,
  metrics: ['latency', 'p99', 'requestsPerRecord'],
  sharedSeedAcross: ['acks', 'setting'],
  points: (p) => p.acksValues.flatMap((a) => p.lingerMs.map((L) => ({ setting: `acks=${a}`, acks: a, lingerMs: L }))),
  simulate: (point, p, seed) => {
    const sim = new Simulation({ seed });
    const cluster = new KafkaCluster(sim, { brokers: 3, networkDelayMs: p.networkDelayMs });
    cluster.createTopic('events', { partitions: 1, 'replication.factor': 3, 'min.insync.replicas': 2 });
    const acks: Acks = point.acks === 'all' ? 'all' : point.acks === '1' ? 1 : 0;
    const producer = new Producer(cluster, { topic: 'events', rate: p.produceRate, recordBytes: p.recordBytes, config: { acks: acks, 'linger.ms': point.lingerMs as number } });
    sim.run({ until: p.durationS * 1000 });
    return { latency: producer.latency.mean, p99: producer.latencySketch.quantile(0.99), requestsPerRecord: producer.counts.requests / Math.max(1, producer.counts.sent) };
  },
  theory: (point, p) => {
    const acks: Acks = point.acks === 'all' ? 'all' : point.acks === '1' ? 1 : 0;
    const lambdaL = (p.produceRate / 1000) * (point.lingerMs as number);
    return {
      latency_theory: produceLatencyTheory(point.lingerMs as number, p.produceRate / 1000, acks, p.networkDelayMs),
      // a batch holds its first record plus the Poisson(λL) that arrive while it lingers
      requestsPerRecord_theory: (point.lingerMs as number) === 0 ? 1 : 1 / (1 + lambdaL),
    };
  },
  figures: (t, p) => [
    theoryVsSimulation(t, {
      x: 'lingerMs', y: 'latency', groupBy: 'setting', title: 'Mean produce latency vs linger.ms, per acks',
      xAxis: { title: 'linger.ms' }, yAxis: { title: 'mean produce latency (ms)', fromZero: true }, theoryLabel: 'linger wait + round trips', simulationLabel: 'simulation (95% CI)',
    }),
    theoryVsSimulation(t.params({ which: p.acksValues[p.acksValues.length - 1] }).filter((d: Record<string, unknown>, $: Record<string, unknown>) => d.acks === $.which), {
      x: 'lingerMs', y: 'requestsPerRecord', groupBy: 'setting', title: 'What lingering buys: produce requests per record (the same for every acks)',
      xAxis: { title: 'linger.ms' }, yAxis: { title: 'requests per record', fromZero: true }, theoryLabel: '1 / (1 + λ·linger.ms)', simulationLabel: 'simulation (95% CI)',
    }),
  ],
});

// ---------------------------------------------------------------------------------------------
// durability-under-crashes
// ---------------------------------------------------------------------------------------------

export const durabilityConfigs = [
  'acks=0 minISR=1 clean',
  'acks=1 minISR=1 clean',
  'acks=1 minISR=1 unclean',
  'acks=all minISR=1 clean',
  'acks=all minISR=1 unclean',
  'acks=all minISR=2 clean',
  'acks=all minISR=2 unclean',
] as const;

function parseDurability(c: string): { acks: Acks; minIsr: number; unclean: boolean } {
  const m = /^acks=(\w+) minISR=(\d) (clean|unclean)$/.exec(c)!;
  return { acks: m[1] === 'all' ? 'all' : m[1] === '1' ? 1 : 0, minIsr: Number(m[2]), unclean: m[3] === 'unclean' };
}

export const durabilityUnderCrashes = defineExperiment({
  name: 'durability-under-crashes',
  title: 'Acknowledged records lost and produce errors vs acks, min.insync.replicas and unclean election',
  description:
    'Three brokers, a topic of three partitions with replication.factor 3. Each broker fails after an exponential up time (mean `mtbfS`) and comes back after an exponential repair (mean `mttrS`); ' +
    'the controller fences a dead broker after broker.session.timeout.ms (9 s) and elects a new leader. After `durationS` every broker is restored and the records the producer saw acknowledged but no leader holds are counted. ' +
    'acks=0 and acks=1 lose what the followers had not fetched at a leader crash; acks=all loses nothing unless an out-of-sync replica is elected (unclean); min.insync.replicas=2 trades those losses for refused writes (NOT_ENOUGH_REPLICAS).',
  lab,
  params: {
    configs: { type: 'choices', default: [...durabilityConfigs], choices: durabilityConfigs, doc: 'acks / min.insync.replicas / unclean.leader.election.enable combinations.' },
    produceRate: { type: 'number', default: 100, min: 1, max: 1e5, unit: 'records/s', doc: 'Producer rate (Poisson, unkeyed).' },
    mtbfS: { type: 'number', default: 40, min: 1, max: 1e6, unit: 's', doc: 'Mean up time of a broker between crashes.' },
    mttrS: { type: 'number', default: 20, min: 1, max: 1e6, unit: 's', doc: 'Mean time to bring a crashed broker back.' },
    durationS: { type: 'number', default: 150, min: 10, max: 1e6, unit: 's', doc: 'Time with failures; then all brokers are restored and the cluster settles for 60 s.' },
    networkDelayMs: { type: 'number', default: 5, min: 0, max: 1000, unit: 'ms', doc: 'One-way network delay (followers trail the leader by about a fetch round trip).' },
  },
  replications: 6,
  metrics: ['lostPer10k', 'errorsPer10k', 'failedPer10k'],
  sharedSeedAcross: ['config'],
  points: (p) => p.configs.map((c) => ({ config: c })),
  simulate: (point, p, seed) => {
    const c = parseDurability(point.config as string);
    const sim = new Simulation({ seed });
    const cluster = new KafkaCluster(sim, { brokers: 3, networkDelayMs: p.networkDelayMs });
    cluster.createTopic('events', { partitions: 3, 'replication.factor': 3, 'min.insync.replicas': c.minIsr, 'unclean.leader.election.enable': c.unclean });
    const producer = new Producer(cluster, { topic: 'events', rate: p.produceRate, stopAtMs: p.durationS * 1000, config: { acks: c.acks, 'delivery.timeout.ms': 60000 } });
    const failures = sim.streams.get('failures');
    const up = new Exponential(1 / (p.mtbfS * 1000));
    const down = new Exponential(1 / (p.mttrS * 1000));
    const crash = sim.handler((b) => {
      if (sim.now >= p.durationS * 1000) return;
      cluster.crashBroker(b);
      sim.schedule(down.sample(failures), repair, b);
    });
    const repair = sim.handler((b) => {
      cluster.recoverBroker(b);
      sim.schedule(up.sample(failures), crash, b);
    });
    for (let b = 0; b < 3; b++) sim.schedule(up.sample(failures), crash, b);
    sim.run({ until: p.durationS * 1000 });
    for (let b = 0; b < 3; b++) cluster.recoverBroker(b);
    sim.run({ until: (p.durationS + 30) * 1000 });
    for (let b = 0; b < 3; b++) cluster.recoverBroker(b);
    sim.run({ until: (p.durationS + 60) * 1000 });
    const sent = Math.max(1, producer.counts.sent);
    return {
      lostPer10k: (cluster.acknowledgedLost('events') / sent) * 1e4,
      errorsPer10k: (producer.counts.recordsWithErrors / sent) * 1e4,
      failedPer10k: (producer.counts.failed / sent) * 1e4,
    };
  },
  figures: (t) => {
    const rows = rowsOf(t);
    const x = rows.map((r) => r.config as string);
    const bars = (y: string, title: string, yTitle: string) =>
      figure([markers(x, rows.map((r) => r[y] as number), { name: 'simulation, mean and 95% CI', lower: rows.map((r) => r[`${y}_lo`] as number), upper: rows.map((r) => r[`${y}_hi`] as number), size: 10 })], {
        title, x: { title: 'acks / min.insync.replicas / leader election' }, y: { title: yTitle, fromZero: true }, height: 460, layout: { margin: { l: 70, r: 110, t: 50, b: 170 } },
      });
    return [
      bars('lostPer10k', 'Acknowledged records lost (per 10,000 sent) under broker crashes', 'acknowledged then lost per 10,000'),
      bars('failedPer10k', 'Records the producer gave up on (per 10,000 sent)', 'failed per 10,000'),
      bars('errorsPer10k', 'Records whose produce request got an error (NOT_ENOUGH_REPLICAS, timeout, no leader) per 10,000 sent', 'records with errors per 10,000'),
    ];
  },
});

// ---------------------------------------------------------------------------------------------
// ordering
// ---------------------------------------------------------------------------------------------

export const orderingAcrossPartitions = defineExperiment({
  name: 'ordering-partitions',
  title: 'Order per partition vs across partitions',
  description:
    'Keyed records over P partitions, a group of P consumers. Kafka orders records only within a partition: the fraction of records processed after a record produced later is zero within each partition and for each key, ' +
    'but grows with P across the topic, because the partitions are consumed independently.',
  lab,
  params: {
    partitionCounts: { type: 'numbers', default: [1, 2, 4, 8, 16], min: 1, max: 256, integer: true, unit: 'partitions', doc: 'Partition counts P (and consumers).' },
    produceRate: { type: 'number', default: 500, min: 1, max: 1e5, unit: 'records/s', doc: 'Producer rate.' },
    processingMs: { type: 'number', default: 1, min: 0.01, max: 1000, unit: 'ms', doc: 'Mean processing time per record (exponential).' },
    keys: { type: 'integer', default: 200, min: 1, max: 1e6, unit: 'keys', doc: 'Distinct keys.' },
    durationS: { type: 'number', default: 10, min: 1, max: 36000, unit: 's', doc: 'Simulated time.' },
  },
  replications: 3,
  metrics: ['acrossTopic', 'withinPartition', 'withinKey'],
  points: (p) => p.partitionCounts.map((P) => ({ P: P })),
  simulate: (point, p, seed) => {
    const P = point.P as number;
    const sim = new Simulation({ seed });
    const cluster = new KafkaCluster(sim, { brokers: 1 });
    cluster.createTopic('events', { partitions: P });
    new Producer(cluster, { topic: 'events', rate: p.produceRate, keys: { type: 'uniform', count: p.keys } });
    const group = new ConsumerGroup(cluster, {
      groupId: 'g', topic: 'events', members: P, processing: Exponential.withMean(p.processingMs), recordDeliveries: true, config: { 'auto.offset.reset': 'earliest' },
    });
    sim.run({ until: p.durationS * 1000 });
    const d = group.deliveries!;
    let maxAll = -1;
    const maxPart = new Map<number, number>();
    const maxKey = new Map<number, number>();
    let a = 0;
    let b = 0;
    let k = 0;
    for (const id of d.record) {
      const part = cluster.recordPartition[id];
      const key = cluster.recordKey[id];
      if (id < maxAll) a++;
      if (id < (maxPart.get(part) ?? -1)) b++;
      if (id < (maxKey.get(key) ?? -1)) k++;
      maxAll = Math.max(maxAll, id);
      maxPart.set(part, Math.max(maxPart.get(part) ?? -1, id));
      maxKey.set(key, Math.max(maxKey.get(key) ?? -1, id));
    }
    const n = Math.max(1, d.record.length);
    return { acrossTopic: a / n, withinPartition: b / n, withinKey: k / n };
  },
  theory: () => ({ withinPartition_theory: 0, withinKey_theory: 0 }),
  figures: (t) => {
    const rows = rowsOf(t);
    const x = rows.map((r) => r.P as number);
    const series = (y: string, name: string) =>
      markers(x, rows.map((r) => r[y] as number), { name: name, group: name, lower: rows.map((r) => r[`${y}_lo`] as number), upper: rows.map((r) => r[`${y}_hi`] as number) });
    return [
      figure([series('acrossTopic', 'across the topic'), series('withinPartition', 'within a partition'), series('withinKey', 'within a key'), line(x, x.map(() => 0), { name: 'Kafka guarantee within a partition: 0', dash: 'dot' })], {
        title: 'Records processed after a record produced later (fraction)', x: { title: 'partitions P (= consumers)' }, y: { title: 'out-of-order fraction', fromZero: true },
      }),
    ];
  },
});

export const lab09Experiments = [consumerGroupScaling, rebalanceLag, hotKeyScaling, produceLatency, durabilityUnderCrashes, orderingAcrossPartitions] as const;
