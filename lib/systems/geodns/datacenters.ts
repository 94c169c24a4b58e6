/**
 * The GeoDNS deployment's datacenters (system.ts): each one's kernel Station (`servers`,
 * `service`, a crash fails the requests inside, onCrash 'fail'), or, for an `external` one, the
 * caller's site (site.ts); its Route 53 health check (health.ts), whose status the authoritative
 * server reads; and its failure process (the shared FailureProcess, stream
 * `geodns.<name>.failures`), whose crashes the checker and the system note.
 */
import type { Simulation } from '../../sim/simulation';
import { Station } from '../../sim/station';
import type { JobTarget } from '../../sim/target';
import { FailureProcess } from '../common/failures';
import type { ResolvedGeoDnsConfig } from './config';
import { HealthChecker } from './health';
import type { Authoritative } from './policies';
import { ExternalSite } from './site';

export interface Datacenters {
  stations: Array<Station | null>;
  sites: Array<ExternalSite | null>;
  checkers: HealthChecker[];
  failures: FailureProcess[];
}

export function buildDatacenters(
  sim: Simulation,
  cfg: ResolvedGeoDnsConfig,
  authoritative: Authoritative,
  links: { done: JobTarget; failed: JobTarget; crashed: () => void },
): Datacenters {
  const doneTo = links.done;
  const failTo = links.failed;
  const stations = cfg.datacenters.map((d) =>
    d.service === null
      ? null
      : new Station(sim, {
          name: `geodns.${d.name}`,
          service: d.service,
          servers: d.servers,
          to: doneTo,
          onCrash: 'fail',
          failTo: failTo,
          quantiles: false,
        }),
  );
  const sites = cfg.datacenters.map((d) =>
    d.external ? new ExternalSite(sim, `geodns.${d.name}`) : null,
  );
  const partOf = (i: number): ExternalSite | Station =>
    (stations[i] ?? sites[i]) as ExternalSite | Station;
  const checkers = cfg.datacenters.map(
    (d, i) =>
      new HealthChecker(sim, partOf(i), {
        name: `geodns.${d.name}`,
        request_interval: cfg.request_interval,
        failure_threshold: cfg.failure_threshold,
        onChange: (h) => {
          authoritative.healthy[i] = h ? 1 : 0;
        },
      }),
  );
  const failures = cfg.datacenters.map((d, i) => {
    const fp = new FailureProcess(sim, partOf(i), d.failures, {
      name: `geodns.${d.name}`,
    });
    fp.onCrash(() => {
      checkers[i].noteCrash();
      links.crashed();
    });
    return fp;
  });
  return { stations, sites, checkers, failures };
}
