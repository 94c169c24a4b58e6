/**
 * The request classes of an architecture's simulation (./simulate.ts), from the layout's
 * (./layout.ts): four classes, the analytic read-hit and read-miss being one read class here (the
 * cache decides which it is). Per class its cumulative probability (a class is drawn by one
 * uniform), its constant delay (round trip, CDN edge), its visits of the stand-in stations and the
 * mean work of its web server visit (the balancer component's `setWork`).
 */
import type { Layout, Visit } from './layout';

/** Simulation class index per layout class. */
export const CLASS_OF = {
  'static-cdn': 0,
  static: 1,
  'read-hit': 2,
  'read-miss': 2,
  write: 3,
} as const;
export const READ = 2;
export const WRITE = 3;

export class RequestClasses {
  /** Per class, its visits (the read class: the read-miss's, the cache deciding). */
  readonly paths: Visit[][] = [[], [], [], []];
  /** Cumulative class probabilities (the last is 1). */
  readonly cum: Float64Array = new Float64Array(4);
  /** Per class, the constant delay, seconds. */
  readonly constants: Float64Array = new Float64Array(4);
  /** Per class, the mean work of its web server visit (0: the class does not visit one). */
  readonly webTime: Float64Array = new Float64Array(4);

  constructor(layout: Layout) {
    for (const c of layout.classes) {
      const i = CLASS_OF[c.cls];
      this.cum[i] += c.p;
      this.constants[i] = c.constant;
      if (c.cls !== 'read-hit') this.paths[i] = c.visits;
    }
    for (let i = 1; i < 4; i++) this.cum[i] += this.cum[i - 1];
    this.cum[3] = 1;
    const web = layout.stations.findIndex((st) => st.tier === 'web');
    for (let c = 0; c < 4; c++) {
      const v = this.paths[c].find((x) => x.station === web);
      this.webTime[c] = v === undefined ? 0 : v.service;
    }
  }

  /** The class of a request whose uniform draw is `u`. */
  classOf(u: number): number {
    const cum = this.cum;
    return u < cum[0] ? 0 : u < cum[1] ? 1 : u < cum[2] ? 2 : 3;
  }
}
