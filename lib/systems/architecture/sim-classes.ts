/**
 * The request classes of an architecture's simulation (./simulate.ts), from the layout's
 * (./layout.ts): four classes, the analytic read-hit and read-miss being one read class here (the
 * cache decides which it is), and with a CDN the analytic static-cdn and static one static class
 * (the CDN's edge decides). Per class its cumulative probability (a class is drawn by one uniform),
 * its constant delay (round trip; the CDN edge's round trip is the CDN component's own), the mean
 * work of its web server visit (the balancer component's `setWork`) and, with `database.colocated`,
 * the mean work of its database visit on the same host (added to the web work: one PS server runs
 * both, so two consecutive visits there are one job with the summed work).
 */
import type { Layout, Visit } from './layout';

/** Simulation class index per layout class, without a CDN. */
export const CLASS_OF = {
  'static-cdn': 0,
  static: 1,
  'read-hit': 2,
  'read-miss': 2,
  write: 3,
} as const;
/** The static class with a CDN (static-cdn and static, the edge deciding). */
export const STATIC_CDN = 0;
export const STATIC = 1;
export const READ = 2;
export const WRITE = 3;

export class RequestClasses {
  /** Per class, its visits (the read class: the read-miss's, the cache deciding). */
  readonly paths: Visit[][] = [[], [], [], []];
  /** Cumulative class probabilities (the last is 1). */
  readonly cum: Float64Array = new Float64Array(4);
  /** Per class, the constant delay, seconds (without the CDN edge's round trip, which the CDN component takes). */
  readonly constants: Float64Array = new Float64Array(4);
  /** Per class, the mean work of its web server visit (0: the class does not visit one). */
  readonly webTime: Float64Array = new Float64Array(4);
  /** Per class, the mean work of its other visits of the web host (the colocated database's; 0 otherwise). */
  readonly hostTime: Float64Array = new Float64Array(4);
  /** The web work of a static request at the origin (a CDN miss's fetch). */
  readonly staticWebTime: number;

  /** With `cdn`, the static requests are one class (STATIC_CDN) through the CDN component. */
  constructor(layout: Layout, cdn: boolean = false) {
    for (const c of layout.classes) {
      const i = cdn && c.cls === 'static' ? STATIC_CDN : CLASS_OF[c.cls];
      this.cum[i] += c.p;
      this.constants[i] =
        c.constant - (c.cls === 'static-cdn' || c.cls === 'static' ? layout.cdnLatency : 0);
      if (c.cls !== 'read-hit' && (c.cls !== 'static-cdn' || !cdn)) this.paths[i] = c.visits;
    }
    for (let i = 1; i < 4; i++) this.cum[i] += this.cum[i - 1];
    this.cum[3] = 1;
    const web = layout.stations.findIndex((st) => st.tier === 'web');
    for (let c = 0; c < 4; c++) {
      const visits = this.paths[c].filter((x) => x.station === web);
      this.webTime[c] = visits.length === 0 ? 0 : visits[0].service;
      for (let v = 1; v < visits.length; v++) this.hostTime[c] += visits[v].service;
    }
    const st = layout.classes.find((c) => c.cls === 'static');
    const v = st === undefined ? undefined : st.visits.find((x) => x.station === web);
    this.staticWebTime = v === undefined ? 0 : v.service;
  }

  /** The class of a request whose uniform draw is `u`. */
  classOf(u: number): number {
    const cum = this.cum;
    return u < cum[0] ? 0 : u < cum[1] ? 1 : u < cum[2] ? 2 : 3;
  }
}
