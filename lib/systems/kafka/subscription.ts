/**
 * Which topics a consumer group subscribes to (KafkaConsumer.subscribe(Collection<String>)):
 * `topics`, or the one-topic shorthand `topic`, checked against the cluster's topics.
 */
import { ParameterError } from '../../errors';
import { nearestKey } from '../common/config';
import type { KafkaCluster, Topic } from './cluster';

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
