/**
 * What a single failure of each component does to a planned configuration, answered twice:
 *
 * - analytically: the steady state with the component gone (the p95 of what is left: one web
 *   server or replica fewer, every read a miss without the cache, the survivors of GeoDNS taking
 *   every user), or an outage (Infinity) or failed writes (NaN); and the share of requests that
 *   fail over a window of T seconds from the failure: the detection and takeover times of
 *   ./sim-outage.ts times the share of requests that reach the failed instance, (1 − p_cdn)/n for
 *   one web server of n during the 6 s health check, p_write for the primary until failover, the
 *   reads inside a replica at its crash (the router skips it at once), ...
 * - by simulation: one run with that instance down from the start of the measured window to its
 *   end (./simulate.ts `outage`), its p95 and failed share in the datacenter where it failed.
 * - a whole datacenter (with GeoDNS): failed share λ_f·(D + TTL/2) over its users' requests in a
 *   window of threshold·interval + TTL + 60 s (lib/systems/geodns/theory.ts; D Route 53's mean
 *   detection (threshold − ½)·interval, λ_f its users' rate while their requests fail at once,
 *   N/(k·Z)), and the p95 once its users have moved: k − 1 datacenters taking every user. The
 *   simulation (./sim-site-loss.ts) reports the share over the same window and the p95 of the
 *   requests made after every user moved.
 */
import { evaluateClosedWith, evaluateOpenWith, type Evaluation } from './analytic';
import { layoutOf } from './layout';
import { simulateArchitecture } from './simulate';
import { expectedFailedRequests, meanDetectionTime } from '../geodns/theory';
import { HEALTH_CHECK_DETECTION, VRRP_TAKEOVER, type OutageTier } from './sim-outage';
import type { Architecture } from './types';

export interface FailureEffect {
  component: string;
  effect: string;
  /** p95 after the failure (Infinity: outage, NaN: writes fail but reads go on). */
  p95: number;
  /** Share of the requests of the failed datacenter that fail over the window (analytic). */
  failedShare: number;
  meetsTarget: boolean;
  /** The same failure simulated (null: not simulated). */
  simulated: { p95: number; failedShare: number; window: number } | null;
}

export interface FailureOptions {
  /** Users (closed) or requests/s (open). */
  load: number;
  open: boolean;
  webServers: number;
  /** Simulate each failure for `window` measured seconds (0: analytic only). */
  window: number;
  warmup: number;
  seed: number;
  /** Simulate only these components' failures (`'datacenter'`, `'primary'`, ...; default all); the others are analytic only. */
  components?: readonly string[];
}

/** Class shares of one datacenter: CDN hits, reads that miss the cache, writes. */
function shares(
  a: Architecture,
  webServers: number,
): { cdn: number; miss: number; reads: number; write: number } {
  const l = layoutOf(a, webServers);
  const p = (c: string): number => l.classes.find((x) => x.cls === c)?.p ?? 0;
  return {
    cdn: p('static-cdn'),
    miss: p('read-miss'),
    reads: p('read-hit') + p('read-miss'),
    write: p('write'),
  };
}

export function failureEffects(b: Architecture, o: FailureOptions): FailureEffect[] {
  const out: FailureEffect[] = [];
  const n = o.webServers;
  const T = o.window > 0 ? o.window : 3600;
  const k = b.geodns ? b.geodns.datacenters : 1;
  const at = (x: Architecture, servers: number): Evaluation =>
    o.open ? evaluateOpenWith(x, o.load, servers) : evaluateClosedWith(x, o.load, servers);
  const sh = shares(b, n);
  const meets = (p95: number): boolean => p95 <= b.target.p95;
  const push = (
    component: string,
    tier: OutageTier | null,
    effect: string,
    p95: number,
    failedShare: number,
    window: number = o.window,
  ): void => {
    let simulated: FailureEffect['simulated'] = null;
    if (tier !== null && o.window > 0 && (!o.components || o.components.includes(component))) {
      const s = simulateArchitecture(
        b,
        { seed: o.seed, duration: window, warmup: o.warmup },
        { load: o.load, webServers: n, outage: { tier: tier, at: o.warmup, duration: window } },
      );
      const x = s.outage ?? { latency: s.latency, failedShare: s.failedShare };
      simulated = { p95: x.latency.p95, failedShare: x.failedShare, window: window };
    }
    out.push({
      component: component,
      effect: effect,
      p95: p95,
      failedShare: failedShare,
      meetsTarget: meets(p95),
      simulated: simulated,
    });
  };
  const through = 1 - sh.cdn; // requests that reach the balancer and a web server
  if (b.balancer) {
    if (b.balancer.pair)
      push(
        'balancer',
        'balancer',
        `the backup takes the virtual IP after ${VRRP_TAKEOVER} s (VRRP): same capacity`,
        at(b, n).p95,
        (through * VRRP_TAKEOVER) / T,
      );
    else push('balancer', 'balancer', 'outage: no way in until it is repaired', Infinity, through);
  }
  if (n > 1)
    push(
      'web server',
      'web',
      `${n - 1} web servers left once the health check (${HEALTH_CHECK_DETECTION} s) marks it down`,
      at(b, n - 1).p95,
      (through / n) * (Math.min(HEALTH_CHECK_DETECTION, T) / T),
    );
  else
    push(
      b.database.colocated ? 'host' : 'web server',
      'web',
      'outage: the only web server',
      Infinity,
      through,
    );
  if (b.cache) {
    const x = structuredClone(b);
    const servers = Math.ceil(b.cache.capacity / b.cache.serverCapacity);
    if (servers > 1) x.cache!.capacity = (servers - 1) * b.cache.serverCapacity;
    else delete x.cache;
    push(
      'cache',
      'cache',
      servers > 1
        ? `its keys miss: ${servers - 1} cache servers left`
        : 'every read misses: reads go to the database',
      at(x, n).p95,
      0,
    );
  }
  if (!b.database.colocated) {
    const r = b.database.replicas;
    if (r > 0)
      push(
        'primary',
        'primary',
        `writes fail until a replica is promoted (${b.database.failoverTime} s); reads go on`,
        NaN,
        sh.write * (Math.min(b.database.failoverTime, T) / T),
      );
    else
      push(
        'primary',
        'primary',
        'outage of every read that misses and every write: the only database',
        Infinity,
        sh.write + sh.miss,
      );
  }
  if (b.database.replicas > 0) {
    const x = structuredClone(b);
    const r = b.database.replicas;
    x.database.replicas = r - 1;
    // the router skips a down replica at once (ProxySQL retries a refused connection elsewhere):
    // only the reads inside it at the crash fail, about U/(1 − U) of them (its M/M/1-PS queue)
    const e = at(b, n);
    const u = e.tiers.find((t) => t.tier === 'replicas')?.utilisation ?? 0;
    const perDc = e.throughput / k;
    push(
      'replica',
      'replicas',
      r > 1
        ? `${r - 1} replica${r > 2 ? 's' : ''} left; the router skips it at once, the reads inside it fail`
        : 'reads go to the primary; the reads inside it fail',
      at(x, n).p95,
      u < 1 ? u / (1 - u) / (perDc * T) : 0,
    );
  }
  if (b.kafka) {
    const e = at(b, n);
    push(
      'kafka broker',
      'kafka',
      b.kafka.awaitAck
        ? 'leaders move to the other brokers; the producer retries, writes wait longer meanwhile'
        : 'leaders move to the other brokers; the asynchronous work waits, responses do not',
      e.p95,
      0,
    );
  }
  if (k > 1) {
    const x = structuredClone(b);
    // the survivors take every user: users k/(k-1) per remaining datacenter
    x.geodns!.datacenters = k - 1;
    const load = o.open ? o.load : Math.ceil(o.load / (k - 1)) * (k - 1);
    const e = o.open ? evaluateOpenWith(x, load, n) : evaluateClosedWith(x, load, n);
    const g = b.geodns!;
    const D = meanDetectionTime(g.request_interval, g.failure_threshold);
    // long enough for the health check, every resolver's TTL and a minute of the survivors
    const window = g.failure_threshold * g.request_interval + g.ttl + 60;
    const before = at(b, n);
    const users = o.load / k;
    const z = b.users ? b.users.thinkTime : 0;
    // while its requests fail at once, a user of the lost datacenter cycles in its think time
    const failing = o.open ? users : users / z;
    const answering = o.open ? users : users / (z + before.meanResponse);
    const lost = Math.min(window, D + g.ttl / 2);
    const failed =
      expectedFailedRequests({ rate: failing, detection: D, ttl: g.ttl }) *
      (lost / (D + g.ttl / 2));
    push(
      'datacenter',
      'datacenter',
      `GeoDNS's health check marks it down after ${D} s on average; its users move as their resolvers' answers expire (TTL ${g.ttl} s), then ${k > 2 ? `the other ${k - 1} take` : 'the other takes'} every user`,
      e.p95,
      failed / (failed + answering * (window - lost)),
      window,
    );
  }
  return out;
}
