/**
 * `scalelab plan FILE`: the cheapest configuration of the architecture in FILE (JSON, validated
 * against schema.json; a bad field is named by its path) that meets its target, by
 * {@link planArchitecture}; `--json` prints the plan as JSON, `--html OUT` writes a page with the
 * figures (p95 against users for the plan, utilisation per tier).
 */
import * as fs from 'fs';
import type { CommandIO } from './io';
import { ParameterError } from '../errors';
import { figure, line, markers } from '../plot/builders';
import { writeHtml, type PageItem } from '../plot/html';
import { evaluateClosedWith } from '../systems/architecture/analytic';
import { planArchitecture, withConfig, type Plan } from '../systems/architecture/plan';
import { parseArchitecture } from '../systems/architecture/validate';
import { booleanValue, flagHelp, helpFlag, parseCommandLine, stringValue } from './parse';
import type { FlagSpecs } from './parse';
import { UsageError, reportError } from './usage';

export const planFlags: FlagSpecs = {
  users: { type: 'string', value: 'N', doc: "users to plan for (default the file's users.count)" },
  p95: { type: 'string', value: 'SECONDS', doc: "target p95 response time (default the file's target.p95)" },
  availability: { type: 'string', value: 'A', doc: "target availability (default the file's target.availability)" },
  replications: { type: 'string', value: 'R', doc: 'simulated replications confirming the plan (default 3; 0 for none)' },
  seed: { type: 'string', value: 'S', doc: 'seed of the simulation' },
  json: { type: 'boolean', doc: 'print the plan as JSON' },
  html: { type: 'string', value: 'OUT.html', doc: 'also write a page with the figures' },
  ...helpFlag,
};

const USAGE = `Usage: scalelab plan FILE [options]

The cheapest configuration (web servers, read replicas, balancer pair) of the architecture in FILE
that meets its target p95 and availability at N users, searched with the analytic model and
confirmed by simulated replications, with the bottleneck and what a single failure of each
component does.

Options:
${flagHelp(planFlags)}

Examples:
  scalelab plan data/architectures/05-memcache.json --users 2000 --replications 0
  scalelab plan data/architectures/04-read-replicas.json --users 500 --replications 0 --json`;

function fmt(x: number, d = 3): string {
  return x === Infinity ? 'outage' : Number.isNaN(x) ? 'writes fail' : x.toFixed(d);
}

export function planText(p: Plan): string {
  const lines = [`${p.name}: ${p.users} users, target p95 <= ${p.target.p95} s, availability >= ${p.target.availability}`];
  if (!p.best) return [...lines, `no feasible configuration: ${p.reason}`].join('\n');
  const b = p.best;
  lines.push(
    `cheapest: ${b.webServers} web servers, ${b.replicas} read replicas, balancer pair ${b.pair ? 'yes' : 'no'}: ${b.servers} servers, cost ${b.cost.toFixed(2)}/hour`,
    `analytic: p95 ${fmt(b.p95)} s, availability ${b.availability.toFixed(5)}, bottleneck ${p.bottleneck} (${p.evaluated} configurations evaluated)`,
  );
  if (p.simulated) lines.push(`simulated (${p.simulated.replications} replications): p95 ${fmt(p.simulated.p95)} s [${fmt(p.simulated.p95Lo)}, ${fmt(p.simulated.p95Hi)}] (95 % CI), ${p.simulated.throughput.toFixed(1)} requests/s`);
  lines.push('utilisation: ' + p.tiers.map((t) => `${t.tier} ${t.utilisation.toFixed(2)}`).join(', '));
  lines.push('single failures:');
  for (const f of p.failures) lines.push(`  ${f.component.padEnd(11)} p95 ${fmt(f.p95).padEnd(11)} ${f.meetsTarget ? 'meets' : 'misses'} the target: ${f.effect}`);
  return lines.join('\n');
}

function writePlanHtml(p: Plan, a: ReturnType<typeof parseArchitecture>, out: string): string {
  const items: PageItem[] = [{ html: `<pre>${planText(p).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>` }];
  if (p.best) {
    const b = withConfig(a, p.best);
    const k = a.geodns ? a.geodns.datacenters : 1;
    const ns = Array.from({ length: 20 }, (_, i) => Math.max(k, Math.round((p.users * 2 * (i + 1)) / 20 / k) * k));
    const evals = ns.map((n) => evaluateClosedWith(b, n, p.best!.webServers));
    const sim = p.simulated ? [markers([p.users], [p.simulated.p95], { name: 'simulated p95 (95 % CI)', lower: [p.simulated.p95Lo], upper: [p.simulated.p95Hi] })] : [];
    items.push(
      figure([line(ns, evals.map((e) => e.p95), { name: 'p95 (analytic)' }), ...sim, line([ns[0], ns[ns.length - 1]], [p.target.p95, p.target.p95], { name: 'target', dash: 'dash' })], { title: 'The plan: p95 against users', x: { title: 'users' }, y: { title: 'p95 (s)', range: [0, 3 * p.target.p95] } }),
      figure([markers(p.tiers.map((t) => t.tier), p.tiers.map((t) => t.utilisation), { name: 'utilisation of one server' })], { title: 'Utilisation per tier at the planned load', y: { title: 'utilisation', range: [0, 1] } }),
    );
  }
  return writeHtml(items, out, { title: `scalelab plan: ${p.name}` });
}

/** `scalelab plan FILE ...`. */
export async function planCommand(argv: string[], io: CommandIO): Promise<number> {
  const label = 'scalelab plan';
  try {
    const parsed = parseCommandLine(label, argv, planFlags);
    if (booleanValue(parsed, 'help')) {
      io.out(USAGE);
      return 0;
    }
    if (parsed.positionals.length !== 1) throw new UsageError(`give one architecture file (usage: scalelab plan FILE [options]; see scalelab plan --help)`);
    const file = parsed.positionals[0];
    const num = (k: string): number | undefined => {
      const text = stringValue(parsed, k);
      if (text === undefined) return undefined;
      const v = text.trim() === '' ? NaN : Number(text);
      if (!Number.isFinite(v)) throw new ParameterError(`--${k}`, text, 'must be a number');
      return v;
    };
    if (!fs.existsSync(file)) throw new ParameterError('FILE', file, 'must be an existing architecture file');
    const a = parseArchitecture(fs.readFileSync(file, 'utf8'), file);
    const p95 = num('p95');
    const availability = num('availability');
    if (p95 !== undefined) a.target.p95 = p95;
    if (availability !== undefined) a.target.availability = availability;
    const plan = planArchitecture(a, { users: num('users'), replications: num('replications'), seed: num('seed') });
    if (booleanValue(parsed, 'json')) io.out(JSON.stringify(plan, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2));
    else io.out(planText(plan));
    const html = stringValue(parsed, 'html');
    if (html !== undefined) io.err(`wrote ${writePlanHtml(plan, a, html)}`);
    return 0;
  } catch (e) {
    return reportError(label, e, io); // a bad file or flag (a ParameterError naming the field): 2
  }
}
