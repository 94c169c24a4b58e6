/**
 * Lab 09, Kafka consumer groups: how a group's throughput and lag scale with its members and the
 * topic's partitions, what a rebalance costs (eager vs cooperative), how a hot key caps scaling,
 * what `acks` and `linger.ms` cost in produce latency, what `acks`, `min.insync.replicas` and
 * unclean election lose when brokers crash, and where ordering holds. Every knob keeps Kafka's
 * name; the simulator is lib/systems/kafka, run through `simulateKafka`. One experiment per file
 * in lib/labs/lab09/. Times are in ms inside the simulator.
 */
import { consumerGroupScaling } from './lab09/consumer-group-scaling';
import { durabilityUnderCrashes } from './lab09/durability-under-crashes';
import { hotKeyScaling } from './lab09/hot-key-scaling';
import { orderingAcrossPartitions } from './lab09/ordering-partitions';
import { produceLatency } from './lab09/produce-latency';
import { rebalanceLag } from './lab09/rebalance-lag';

export {
  consumerGroupScaling,
  durabilityUnderCrashes,
  hotKeyScaling,
  orderingAcrossPartitions,
  produceLatency,
  rebalanceLag,
};
export { durabilityConfigs } from './lab09/durability-under-crashes';
export { hotKeyThroughput } from './lab09/hot-key-scaling';
export { produceLatencyTheory } from './lab09/produce-latency';

export const lab09Experiments = [
  consumerGroupScaling,
  rebalanceLag,
  hotKeyScaling,
  produceLatency,
  durabilityUnderCrashes,
  orderingAcrossPartitions,
] as const;
