/**
 * scalelab: closed-form queueing and scaling models, a discrete-event simulation kernel,
 * subsystem simulators and plotting helpers for system-design capacity work.
 *
 * `import { ... } from 'scalelab'` in a script, under ts-node, or in a tslab notebook cell.
 */
export * from './errors';
export { version } from './version';
export * from './random';
export * from './sim';
export * from './queueing';
export * from './plot';
export * from './experiment';
export * from './notebook';
export * from './labs';
export * as loadbalancer from './systems/loadbalancer';
export * as kafka from './systems/kafka';
export * as replication from './systems/replication';
export * as common from './systems/common';
export * as geodns from './systems/geodns';
export * as cache from './systems/cache';
export * as storm from './systems/storm';
export * as airflow from './systems/airflow';
export * as microservices from './systems/microservices';
export * as webtier from './systems/webtier';
export * as architecture from './systems/architecture';
export * as measured from './labs/measured';
