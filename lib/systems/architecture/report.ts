/**
 * What `scalelab plan FILE` prints and draws for a {@link Plan}: the text report (the cheapest
 * configuration, the analytic and simulated latency, the utilisation per tier, the Kafka group,
 * what a single failure of each component does, analytically and simulated) and the HTML page's
 * figures (the percentile against the load for the plan with the simulated point and the target;
 * the utilisation per tier; the single failures' p95 and failed share, analytic beside simulated).
 */
import { figure, line, markers } from '../../plot/builders';
import { writeHtml, type PageItem } from '../../plot/html';
import { evaluateClosedWith, evaluateOpenWith } from './analytic';
import { withConfig, type Plan } from './plan';
import type { Architecture } from './types';

function fmt(x: number, d = 3): string {
  return x === Infinity ? 'outage' : Number.isNaN(x) ? 'writes fail' : x.toFixed(d);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)} %`;
}

export function planText(p: Plan): string {
  const t = p.target;
  const lines = [
    `${p.name}: ${p.load} ${p.loadKind}, target p95 <= ${t.p95} s${t.p99 !== undefined ? `, p99 <= ${t.p99} s` : ''}, availability >= ${t.availability}`,
  ];
  if (!p.best) return [...lines, `no feasible configuration: ${p.reason}`].join('\n');
  const b = p.best;
  lines.push(
    `cheapest: ${b.webServers} web servers, ${b.replicas} read replicas, balancer pair ${b.pair ? 'yes' : 'no'}${b.cacheServers > 0 ? `, ${b.cacheServers} cache servers` : ''}: ${b.servers} servers, cost ${b.cost.toFixed(2)}/hour`,
    `analytic: p95 ${fmt(b.p95)} s, p99 ${fmt(b.p99)} s, availability ${b.availability.toFixed(5)}, bottleneck ${p.bottleneck} (${p.evaluated} configurations evaluated)`,
  );
  const s = p.simulated;
  if (s) {
    lines.push(
      `simulated (${s.replications} replications): p95 ${fmt(s.p95)} s [${fmt(s.p95Lo)}, ${fmt(s.p95Hi)}], p99 ${fmt(s.p99)} s [${fmt(s.p99Lo)}, ${fmt(s.p99Hi)}] (95 % CI), ${s.throughput.toFixed(1)} requests/s` +
        (s.overloaded.length > 0
          ? `; OVERLOADED (queue grew through the run): ${s.overloaded.join(', ')}`
          : ''),
    );
  }
  lines.push(
    'utilisation: ' + p.tiers.map((x) => `${x.tier} ${x.utilisation.toFixed(2)}`).join(', '),
  );
  const k = p.evaluation?.kafka;
  if (k)
    lines.push(
      `kafka: ${k.recordRate.toFixed(1)} records/s per datacenter, busiest consumer ${k.utilisation.toFixed(2)} (${k.activeMembers} active), lag ${k.stable ? 'stable' : `grows ${k.lagGrowth.toFixed(1)} records/s`}, produce latency ${(1000 * k.produceLatency).toFixed(1)} ms ${k.responseDelay > 0 ? 'on the response path' : 'off the response path'}`,
    );
  lines.push(
    'single failures (analytic; simulated: one instance down from the start of a window, in its datacenter):',
  );
  for (const f of p.failures) {
    const sim = f.simulated
      ? `   simulated ${f.simulated.window.toFixed(0)} s: p95 ${fmt(f.simulated.p95)} s, failed ${pct(f.simulated.failedShare)}`
      : '';
    lines.push(
      `  ${f.component.padEnd(12)} p95 ${fmt(f.p95).padEnd(11)} failed ${pct(f.failedShare).padEnd(8)} ${f.meetsTarget ? 'meets' : 'misses'} the target: ${f.effect}${sim}`,
    );
  }
  return lines.join('\n');
}

/** The page's items: the report as text, then the figures. */
export function planPage(p: Plan, a: Architecture): PageItem[] {
  const items: PageItem[] = [
    { html: `<pre>${planText(p).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>` },
  ];
  if (!p.best) return items;
  const best = p.best;
  const b = withConfig(a, best);
  const open = p.loadKind === 'requests/s';
  const k = a.geodns ? a.geodns.datacenters : 1;
  const xs = open
    ? Array.from({ length: 20 }, (_, i) => (p.load * 1.5 * (i + 1)) / 20)
    : Array.from({ length: 20 }, (_, i) =>
        Math.max(k, Math.round((p.load * 2 * (i + 1)) / 20 / k) * k),
      );
  const evals = xs.map((x) =>
    open ? evaluateOpenWith(b, x, best.webServers) : evaluateClosedWith(b, x, best.webServers),
  );
  const finite = (v: number): number => (Number.isFinite(v) ? v : NaN);
  const sim = p.simulated
    ? [
        markers([p.load], [p.simulated.p95], {
          name: 'simulated p95 (95 % CI)',
          lower: [p.simulated.p95Lo],
          upper: [p.simulated.p95Hi],
        }),
        markers([p.load], [p.simulated.p99], {
          name: 'simulated p99 (95 % CI)',
          lower: [p.simulated.p99Lo],
          upper: [p.simulated.p99Hi],
        }),
      ]
    : [];
  const targets = [
    line([xs[0], xs[xs.length - 1]], [p.target.p95, p.target.p95], {
      name: 'target p95',
      dash: 'dash',
    }),
  ];
  if (p.target.p99 !== undefined)
    targets.push(
      line([xs[0], xs[xs.length - 1]], [p.target.p99, p.target.p99], {
        name: 'target p99',
        dash: 'dot',
      }),
    );
  const top = 3 * (p.target.p99 ?? p.target.p95);
  items.push(
    figure(
      [
        line(
          xs,
          evals.map((e) => finite(e.p95)),
          { name: 'p95 (analytic)' },
        ),
        line(
          xs,
          evals.map((e) => finite(e.p99)),
          { name: 'p99 (analytic)' },
        ),
        ...sim,
        ...targets,
      ],
      {
        title: `The plan: response-time percentiles against the load (${best.webServers} web servers)`,
        x: { title: p.loadKind },
        y: { title: 'response time (s)', range: [0, top] },
      },
    ),
    figure(
      [
        markers(
          p.tiers.map((t) => t.tier),
          p.tiers.map((t) => t.utilisation),
          { name: 'utilisation of one server' },
        ),
      ],
      {
        title: 'Utilisation per tier at the planned load',
        y: { title: 'utilisation', range: [0, 1] },
      },
    ),
  );
  const fs = p.failures;
  if (fs.length > 0) {
    const names = fs.map((f) => f.component);
    const simulated = fs.filter((f) => f.simulated !== null);
    items.push(
      figure(
        [
          markers(
            names,
            fs.map((f) => f.failedShare),
            { name: 'analytic' },
          ),
          markers(
            simulated.map((f) => f.component),
            simulated.map((f) => (f.simulated as { failedShare: number }).failedShare),
            { name: 'simulated' },
          ),
        ],
        {
          title:
            'A single failure of each component: share of requests that fail in its datacenter over the window',
          y: { title: 'failed share' },
        },
      ),
      figure(
        [
          markers(
            names,
            fs.map((f) => (Number.isFinite(f.p95) ? Math.min(f.p95, top) : NaN)),
            { name: 'analytic (steady state without it)' },
          ),
          markers(
            simulated.map((f) => f.component),
            simulated.map((f) => Math.min((f.simulated as { p95: number }).p95, top)),
            { name: 'simulated (window from the failure)' },
          ),
          line([names[0], names[names.length - 1]], [p.target.p95, p.target.p95], {
            name: 'target p95',
            dash: 'dash',
          }),
        ],
        {
          title: `p95 after a single failure (capped at ${top} s; outages and failed writes have no bar)`,
          y: { title: 'p95 (s)', range: [0, top] },
        },
      ),
    );
  }
  return items;
}

/** Writes the plan's page to `out` and returns its path. */
export function writePlanHtml(p: Plan, a: Architecture, out: string): string {
  return writeHtml(planPage(p, a), out, { title: `scalelab plan: ${p.name}` });
}
