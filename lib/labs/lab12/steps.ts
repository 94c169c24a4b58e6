/**
 * The eight steps of lab 12's scaling story, one architecture file each under
 * data/architectures/ (shipped with the package): 1 one host, 2 the database apart, 3 a balancer and
 * n web servers, 4 read replicas, 5 memcached, 6 a CDN, 7 a stateless autoscaled web tier, 8 two
 * datacenters behind GeoDNS.
 */
import { architecturesDir, exampleArchitectures } from '../../systems/architecture/examples';
import type { Architecture } from '../../systems/architecture/types';

export const lab12 = '12-scaling-a-web-application';
export { architecturesDir };

/** The eight step architectures, validated, in step order (the other examples, such as open-load-api, have no step). */
export function scalingSteps(): Architecture[] {
  return exampleArchitectures()
    .filter((a) => a.step !== undefined)
    .sort((x, y) => (x.step as number) - (y.step as number));
}
