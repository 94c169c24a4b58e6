/**
 * Which topics a consumer group subscribes to (KafkaConsumer.subscribe(Collection<String>)):
 * `topics`, or the one-topic shorthand `topic`, checked against the cluster's topics; and the
 * group's partitions, the subscribed topics' partitions concatenated in subscription order (group
 * partition index = the topic's start + partition).
 */
import { ParameterError } from '../../errors';
import { nearestKey } from '../common/config';
import type { KafkaCluster, Partition, Topic } from './cluster';
import type { ConsumerGroup } from './consumer-group';

/**
 * The topics a group subscribes to: `topics`, or `[topic]`; giving both, none, an empty list, a
 * repeated name or a topic the cluster lacks (with the nearest name suggested) is a ParameterError.
 */
export function subscribedTopics(
  cluster: KafkaCluster,
  options: { topic?: string; topics?: string[] },
): Topic[] {
  const names = subscribedTopicNames(options, [...cluster.topics.keys()]);
  return names.map((n) => cluster.topic(n));
}

/** Validates a group's `topic`/`topics` against the known topic names; returns the subscribed names. */
export function subscribedTopicNames(
  options: { topic?: string; topics?: string[] },
  known: readonly string[],
  path = '',
): string[] {
  const at = (k: string): string => (path ? `${path}.${k}` : k);
  if (options.topic !== undefined && options.topics !== undefined)
    throw new ParameterError(
      at('topics'),
      options.topics,
      `must not be given with topic (${String(options.topic)}): topic is the shorthand of topics: [topic]`,
    );
  let names: unknown[];
  let key: string;
  if (options.topics !== undefined) {
    if (!Array.isArray(options.topics) || options.topics.length === 0)
      throw new ParameterError(
        at('topics'),
        options.topics,
        'must be a non-empty array of topic names',
      );
    names = options.topics;
    key = 'topics';
  } else {
    if (options.topic === undefined)
      throw new ParameterError(at('topic'), undefined, 'must name a topic (or give topics: [...])');
    names = [options.topic];
    key = 'topic';
  }
  const seen = new Set<string>();
  names.forEach((n, i) => {
    const p = key === 'topics' ? `${at('topics')}[${i}]` : at('topic');
    if (typeof n !== 'string' || !known.includes(n)) {
      const near = typeof n === 'string' ? nearestKey(n, known) : null;
      throw new ParameterError(
        p,
        n,
        `must name a topic of topics (${known.join(', ')})${near ? `; did you mean "${near}"?` : ''}`,
      );
    }
    if (seen.has(n)) throw new ParameterError(p, n, 'is already subscribed (each topic once)');
    seen.add(n);
  });
  return names as string[];
}

/**
 * The group's partitions (the topics' partitions concatenated in subscription order), the group
 * partition index of each topic's partition 0 (by name), and each group partition's topic index.
 */
export function groupPartitions(topics: Topic[]): {
  partitions: Partition[];
  topicStart: Map<string, number>;
  partitionTopic: Int32Array;
} {
  const topicStart = new Map<string, number>();
  const partitions: Partition[] = [];
  for (const t of topics) {
    topicStart.set(t.name, partitions.length);
    for (const partition of t.partitions) partitions.push(partition);
  }
  const partitionTopic: Int32Array = new Int32Array(partitions.length);
  topics.forEach((t, i) =>
    partitionTopic.fill(i, topicStart.get(t.name)!, topicStart.get(t.name)! + t.partitions.length),
  );
  return { partitions: partitions, topicStart: topicStart, partitionTopic: partitionTopic };
}

/** Index into the group's `topics` of a subscribed topic; a ParameterError when the group does not subscribe it. */
export function requireSubscribed(g: ConsumerGroup, topic: string): number {
  const i = g.topicIndexOf(topic);
  if (i < 0)
    throw new ParameterError(
      'topic',
      topic,
      `is not subscribed by group ${g.groupId} (${g.topics.map((t) => t.name).join(', ')})`,
    );
  return i;
}
