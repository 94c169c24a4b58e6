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
export type { TopicPartition, GroupMember, Assignment, AssignorName, CooperativeAssignment } from './assignors';
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
export type { Acks, ProducerConfig, ConsumerConfig, TopicConfig, BrokerConfig, KafkaProfile } from './config';
export { KafkaCluster } from './cluster';
export type { ClusterOptions, Partition, Replica, Topic, ClusterListener } from './cluster';
export { Producer } from './producer';
export type { ProducerOptions, KeySpec } from './producer';
export { ConsumerGroup, commitModes } from './consumer-group';
export type { ConsumerGroupOptions, CommitMode, Member, MemberState } from './consumer-group';
