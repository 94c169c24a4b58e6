/**
 * The application gateway's routing (§2.2 oracles), VRRP timing (RFC 5798 / RFC 3768, §1.6) and
 * the closed forms the lab draws (§0, §1.8 tables).
 */
import {
  globMatch,
  pathOf,
  routeRequest,
  validateGateway,
} from '../../../lib/systems/loadbalancer/gateway';
import type { GatewayConfig } from '../../../lib/systems/loadbalancer/gateway';
import { masterDownInterval, skewTime } from '../../../lib/systems/loadbalancer/vrrp';
import {
  detectionDelay,
  expectedKeysMoved,
  l4PinnedImbalance,
  pooledBound,
  randomSplit,
  roundRobinErlang,
  supermarketMeanResponse,
  supermarketTail,
} from '../../../lib/systems/loadbalancer/theory';
import { ParameterError } from '../../../lib/errors';

const ordered = (
  match: 'first-match' | 'longest-prefix',
  rules: Array<[string, string]>,
): GatewayConfig => ({
  match,
  listeners: [{ rules: rules.map(([path, pool]) => ({ path, pool })), default_pool: 'default' }],
});

describe('gateway routing (§2.2)', () => {
  it('ordered rules /images/* -> A, /* -> B: /images/x.png goes to A; reversed order: B under first-match, A under longest-prefix', () => {
    expect(
      routeRequest(
        ordered('first-match', [
          ['/images/*', 'A'],
          ['/*', 'B'],
        ]),
        undefined,
        '/images/x.png',
      ),
    ).toBe('A');
    expect(
      routeRequest(
        ordered('first-match', [
          ['/*', 'B'],
          ['/images/*', 'A'],
        ]),
        undefined,
        '/images/x.png',
      ),
    ).toBe('B');
    expect(
      routeRequest(
        ordered('longest-prefix', [
          ['/*', 'B'],
          ['/images/*', 'A'],
        ]),
        undefined,
        '/images/x.png',
      ),
    ).toBe('A');
  });

  it('routes by the path only, never the query: /video?x=/images is /video', () => {
    const gw = ordered('first-match', [
      ['/images/*', 'A'],
      ['/video*', 'V'],
    ]);
    expect(pathOf('/video?x=/images')).toBe('/video');
    expect(routeRequest(gw, undefined, '/video?x=/images')).toBe('V');
  });

  it('an unmatched path goes to the default pool; without one it is not routed', () => {
    expect(
      routeRequest(ordered('first-match', [['/images/*', 'A']]), undefined, '/api/users'),
    ).toBe('default');
    expect(
      routeRequest(
        { listeners: [{ rules: [{ path: '/images/*', pool: 'A' }] }] },
        undefined,
        '/api',
      ),
    ).toBeNull();
  });

  it('multi-site listeners first (exact host > *.suffix), a basic listener for other hosts, none: not routed', () => {
    const gw: GatewayConfig = {
      listeners: [
        { rules: [], default_pool: 'basic' },
        { hosts: ['*.example.com'], rules: [], default_pool: 'wildcard' },
        { hosts: ['api.example.com'], rules: [], default_pool: 'api' },
      ],
    };
    expect(routeRequest(gw, 'api.example.com', '/')).toBe('api');
    expect(routeRequest(gw, 'www.example.com', '/')).toBe('wildcard');
    expect(routeRequest(gw, 'other.org', '/')).toBe('basic');
    const noBasic: GatewayConfig = {
      listeners: [{ hosts: ['api.example.com'], rules: [], default_pool: 'api' }],
    };
    expect(routeRequest(noBasic, 'other.org', '/')).toBeNull();
  });

  it('ALB globs are case-sensitive with * and ?; exact rules (=/path) match only that path', () => {
    expect(globMatch('/img/?.png', '/img/a.png')).toBe(true);
    expect(globMatch('/img/?.png', '/img/ab.png')).toBe(false);
    expect(globMatch('/Images/*', '/images/a')).toBe(false);
    const gw = ordered('longest-prefix', [
      ['=/', 'home'],
      ['/', 'B'],
    ]);
    expect(routeRequest(gw, undefined, '/')).toBe('home');
    expect(routeRequest(gw, undefined, '/x')).toBe('B');
  });

  it('invalid gateways are typed errors naming the field', () => {
    expect(() => validateGateway({ listeners: [] })).toThrow(ParameterError);
    expect(() =>
      validateGateway({ listeners: [{ rules: [{ path: 'images', pool: 'A' }] }] }),
    ).toThrow(/rules\[0\]\.path/);
    expect(() =>
      validateGateway({ listeners: [{ rules: [{ path: '/x', pool: 'Z' }] }] }, ['A']),
    ).toThrow(/pool/);
    expect(() =>
      validateGateway({ match: 'regex' as 'first-match', listeners: [{ rules: [] }] }),
    ).toThrow(/match/);
  });
});

describe('VRRP (RFC 5798, RFC 3768)', () => {
  it('advertisement 1 s, priority 100: takeover 3.609 s; priority 254: 3.008 s', () => {
    expect(masterDownInterval(1, 100)).toBeCloseTo(3.609, 3);
    expect(masterDownInterval(1, 254)).toBeCloseTo(3.008, 3);
  });

  it('the higher-priority backup has the shorter skew and wins; VRRPv2 skew ignores the interval', () => {
    expect(masterDownInterval(1, 200)).toBeLessThan(masterDownInterval(1, 100));
    expect(skewTime(0.1, 100, 2)).toBeCloseTo(156 / 256, 12);
    expect(skewTime(0.1, 100, 3)).toBeCloseTo(15.6 / 256, 12);
    expect(() => masterDownInterval(1, 0)).toThrow(ParameterError);
    expect(() => masterDownInterval(0, 100)).toThrow(ParameterError);
  });
});

describe('closed forms (§0, §1.8)', () => {
  it('round robin = E_k/M/1: the reference values', () => {
    const cases: Array<[number, number, number]> = [
      [0.5, 2, 1.618],
      [0.5, 10, 1.325],
      [0.9, 2, 7.588],
      [0.9, 4, 6.383],
      [0.9, 10, 5.66],
      [0.9, 100, 5.227],
      [0.5, 100, 1.262],
    ];
    for (const [rho, k, W] of cases) expect(roundRobinErlang(k, rho).W).toBeCloseTo(W, 3);
    expect(roundRobinErlang(1, 0.9).W).toBeCloseTo(10, 9);
  });

  it('supermarket model: mean sojourn table and the tail at lambda = 0.9', () => {
    const table: Array<[number, number, number, number]> = [
      [0.5, 2.0, 1.266, 1.125],
      [0.7, 3.333, 1.614, 1.357],
      [0.9, 10.0, 2.614, 2.028],
      [0.95, 20.0, 3.383, 2.535],
      [0.99, 100.0, 5.432, 3.858],
    ];
    for (const [rho, d1, d2, d3] of table) {
      expect(supermarketMeanResponse(1, rho)).toBeCloseTo(d1, 2);
      expect(supermarketMeanResponse(2, rho)).toBeCloseTo(d2, 3);
      expect(supermarketMeanResponse(3, rho)).toBeCloseTo(d3, 3);
    }
    expect([1, 2, 3, 4, 5].map((i) => +supermarketTail(2, 0.9, i).toFixed(3))).toEqual([
      0.9, 0.729, 0.478, 0.206, 0.038,
    ]);
    expect([1, 2, 3, 4, 5].map((i) => +supermarketTail(1, 0.9, i).toFixed(3))).toEqual([
      0.9, 0.81, 0.729, 0.656, 0.59,
    ]);
  });

  it('pooling order: M/M/k < round robin < random split at the same load', () => {
    for (const rho of [0.5, 0.9]) {
      expect(pooledBound(10, rho)).toBeLessThan(roundRobinErlang(10, rho).W);
      expect(roundRobinErlang(10, rho).W).toBeLessThan(randomSplit(rho).W);
    }
  });

  it('detection delay, L4 imbalance and keys moved', () => {
    // HAProxy src/check.c schedules the next check inter after the previous one ends: U inter + fall T + (fall - 1) fastinter
    expect(detectionDelay(2, 3, 2)).toEqual({ min: 10, mean: 11, max: 12 });
    expect(detectionDelay(0.5, 3, 1)).toEqual({ min: 2.5, mean: 2.75, max: 3 }); // a dead host's check fails within inter
    expect(detectionDelay(2, 3, 2, { failure_mode: 'crash' })).toEqual({ min: 4, mean: 5, max: 6 }); // port closed: refused at once
    expect(detectionDelay(2, 3, 2, { fastinter: 0.5 })).toEqual({ min: 7, mean: 8, max: 9 });
    expect(l4PinnedImbalance(3, 8)).toBeCloseTo(8 / 3, 12);
    expect(l4PinnedImbalance(16, 8)).toBe(1);
    expect(l4PinnedImbalance(12, 8)).toBeCloseTo(16 / 12, 12);
    expect(expectedKeysMoved('modulo', 10)).toBeCloseTo(0.9, 12);
    expect(expectedKeysMoved('consistent', 10)).toBeCloseTo(0.1, 12);
    // Envoy's ring rebuilt over 9 hosts: 114 points each instead of 103
    expect(expectedKeysMoved('ring_hash', 10)).toBeCloseTo(0.1 + 0.9 * (99 / 1129) * (8 / 9), 12);
  });
});
