// Public API of the Kafka simulator: `import { kafka } from 'scalelab'`.
export { murmur2, toPositive, partitionForKey, utf8Bytes } from './murmur2';
export { StickyPartitioner, adaptivePartitionWeights } from './partitioner';
export {
  rangeAssign,
  roundRobinAssign,
  stickyAssign,
  cooperativeStickyAssign,
  assignPartitions,
  partitionsMoved,
  isCooperative,
  assignorNames,
  assignorClassNames,
  tp,
  tpLabel,
} from './assignors';
export type {
  TopicPartition,
  GroupMember,
  Assignment,
  AssignorName,
  CooperativeAssignment,
} from './assignors';
export {
  producerConfig,
  consumerConfig,
  topicConfig,
  brokerConfig,
  producerDefaults,
  consumerDefaults,
  topicDefaults,
  brokerDefaults,
  kafkaProfiles,
} from './config';
export type {
  Acks,
  ProducerConfig,
  ConsumerConfig,
  TopicConfig,
  BrokerConfig,
  KafkaProfile,
} from './config';
export { KafkaCluster } from './cluster';
export type { ClusterOptions, Partition, Replica, Topic, ClusterListener } from './cluster';
export { Producer } from './producer';
export type { ProducerOptions, KeySpec } from './producer';
export { ConsumerGroup, commitModes } from './consumer-group';
export type { ConsumerGroupOptions, CommitMode, Member, MemberState } from './consumer-group';
export type { LagKind, OutOfOrder } from './group-lag';
export { KafkaSystem, simulateKafka } from './system';
export type { LagSeries } from './system';
export {
  resolveKafkaConfig,
  KAFKA_KEYS,
  BROKER_SPEC_KEYS,
  TOPIC_SPEC_KEYS,
  PRODUCER_KEYS,
  KEY_SPEC_KEYS,
  GROUP_KEYS,
  MEMBERSHIP_KEYS,
  LAG_KEYS,
} from './system-config';
export type {
  KafkaConfig,
  KafkaBrokerSpec,
  KafkaTopicSpec,
  KafkaGroupSpec,
  MembershipChange,
  ResolvedKafkaConfig,
} from './system-config';
export type { KafkaSummary, BrokerSummary, ProducerSummary, GroupSummary } from './summary';
