/**
 * The call graph: checks and per-service visit counts.
 *
 * A call graph must be a DAG (a service that calls itself, directly or through others, would
 * recurse without end: the cycle is a ParameterError that names it, `a → b → a`), must name only
 * services that exist, and a step's `need` k must be at most its n = callees × fanout.
 *
 * Visits (the forced-flow law X_k = V_k·X, Denning & Buzen 1978): V_entry = 1, and each step of a
 * service k adds V_k · visits · fanout to each of its callees, in topological order. With S_k the
 * mean service time and c_k = replicas × servers, service k's demand per request is
 * D_k = V_k·S_k / c_k, and the end-to-end throughput is X ≤ 1 / max_k D_k (the bottleneck).
 */
import { ParameterError } from '../../errors';

/** What the graph checks need of a service: its name and, per step, its callees. */
export interface GraphService {
  name: string;
  steps: ReadonlyArray<{ targets: readonly number[]; visits: number }>;
}

/** Service indices in an order where every caller comes before its callees; throws on a cycle. */
export function topologicalOrder(services: readonly GraphService[]): number[] {
  const n = services.length;
  const state = new Uint8Array(n); // 0 new, 1 on the stack, 2 done
  const order: number[] = [];
  const stack: number[] = [];
  const visit = (k: number): void => {
    state[k] = 1;
    stack.push(k);
    for (const step of services[k].steps) {
      for (const t of step.targets) {
        if (state[t] === 1) {
          const cycle = stack.slice(stack.indexOf(t)).map((i) => services[i].name);
          cycle.push(services[t].name);
          throw new ParameterError(
            'services.calls',
            cycle.join(' → '),
            'must not form a cycle (a call graph is a DAG)',
          );
        }
        if (state[t] === 0) visit(t);
      }
    }
    stack.pop();
    state[k] = 2;
    order.push(k);
  };
  for (let k = 0; k < n; k++) if (state[k] === 0) visit(k);
  return order.reverse();
}

/**
 * Mean visits V_k per request of every service, for requests entering service `entry[j]` with
 * share `share[j]` (the gateway's routing of the request mix).
 */
export function visitCounts(
  services: readonly GraphService[],
  entries: ReadonlyArray<{ service: number; share: number }>,
): number[] {
  const v = new Array<number>(services.length).fill(0);
  for (const e of entries) if (e.service >= 0) v[e.service] += e.share;
  for (const k of topologicalOrder(services)) {
    for (const step of services[k].steps) for (const t of step.targets) v[t] += v[k] * step.visits;
  }
  return v;
}

/** The bottleneck bound X ≤ 1 / max_k (V_k·S_k / c_k), and the index of the bottleneck. */
export function bottleneckBound(
  visits: readonly number[],
  meanService: readonly number[],
  workers: readonly number[],
): { X: number; bottleneck: number; demands: number[] } {
  const demands = visits.map((v, k) => (v * meanService[k]) / workers[k]);
  let b = 0;
  for (let k = 1; k < demands.length; k++) if (demands[k] > demands[b]) b = k;
  return { X: 1 / demands[b], bottleneck: b, demands: demands };
}
