/**
 * Least connections, weighted, as the two balancers that name it break ties (see policies.ts):
 * HAProxy `leastconn` (src/lb_fwlc.c: key (active + 1)/weight, 0 for an idle server, equal keys in
 * the order the servers were queued) and NGINX `least_conn` (ngx_http_upstream_least_conn_module.c:
 * least active/weight, ties by smooth weighted round robin among the tied peers).
 */
import type { Policy, PolicyState } from './policies';

export class LeastConn implements Policy {
  readonly name = 'leastconn' as const;
  private readonly seen: Float64Array;
  private readonly queued: Float64Array;
  private clock = 0;
  constructor(n: number) {
    this.seen = new Float64Array(n);
    this.queued = new Float64Array(n);
  }
  pick(s: PolicyState): number {
    const n = s.n;
    // a server whose count changed since the last pick was requeued in HAProxy's tree: behind the others at its key
    for (let i = 0; i < n; i++) {
      if (s.load[i] !== this.seen[i]) {
        this.seen[i] = s.load[i];
        this.queued[i] = ++this.clock;
      }
    }
    let best = -1;
    let bestKey = Infinity;
    for (let i = 0; i < n; i++) {
      if (!s.eligible[i]) continue;
      const key = s.load[i] > 0 ? (s.load[i] + 1) / s.weight[i] : 0;
      if (best < 0 || key < bestKey || (key === bestKey && this.queued[i] < this.queued[best])) {
        best = i;
        bestKey = key;
      }
    }
    if (best >= 0) {
      this.seen[best] = s.load[best] + 1; // it takes the request: requeued now
      this.queued[best] = ++this.clock;
    }
    return best;
  }
}

export class NginxLeastConn implements Policy {
  readonly name = 'least_conn' as const;
  private readonly cur: Float64Array;
  constructor(n: number) {
    this.cur = new Float64Array(n);
  }
  pick(s: PolicyState): number {
    let best = -1;
    let many = false;
    for (let i = 0; i < s.n; i++) {
      if (!s.eligible[i]) continue;
      if (best < 0 || s.load[i] * s.weight[best] < s.load[best] * s.weight[i]) {
        best = i;
        many = false;
      } else if (s.load[i] * s.weight[best] === s.load[best] * s.weight[i]) many = true;
    }
    if (best < 0 || !many) return best;
    // ties: smooth weighted round robin among the servers with the least conns / weight
    const first = best;
    let total = 0;
    for (let i = first; i < s.n; i++) {
      if (!s.eligible[i] || s.load[i] * s.weight[first] !== s.load[first] * s.weight[i]) continue;
      this.cur[i] += s.weight[i];
      total += s.weight[i];
      if (this.cur[i] > this.cur[best]) best = i;
    }
    this.cur[best] -= total;
    return best;
  }
}
