/**
 * `scalelab plan FILE`: the cheapest configuration of the architecture in FILE (JSON, validated
 * against schema.json; a bad field is named by its path) that meets its target, by
 * {@link planArchitecture}; `--json` prints the plan as JSON, `--html OUT` writes a page with the
 * figures (p95 against users for the plan, utilisation per tier).
 */
import * as fs from 'fs';
import type { CommandIO } from '../../command-io';
import { ParameterError } from '../../errors';
import { figure, line, markers } from '../../plot/builders';
import { writeHtml, type PageItem } from '../../plot/html';
import { evaluateClosedWith } from './analytic';
import { planArchitecture, withConfig, type Plan } from './plan';
import { parseArchitecture } from './validate';

const USAGE = `usage: scalelab plan FILE [--users N] [--p95 SECONDS] [--availability A] [--replications R] [--seed S] [--json] [--html OUT.html]
  The cheapest configuration (web servers, read replicas, balancer pair) of the architecture in FILE
  that meets its target p95 and availability at N users (default the file's users.count), searched
  with the analytic model and confirmed by R simulated replications (default 3; 0 for none), with the
  bottleneck and what a single failure of each component does.`;

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

export async function planCommand(argv: string[], io: CommandIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
    (argv.length === 0 ? io.err : io.out)(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const files: string[] = [];
  const opts: Record<string, string> = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (['--users', '--p95', '--availability', '--replications', '--seed', '--html'].includes(arg)) {
      if (i + 1 >= argv.length) {
        io.err(`scalelab plan: ${arg} needs a value\n${USAGE}`);
        return 2;
      }
      opts[arg.slice(2)] = argv[++i];
    } else if (arg.startsWith('--')) {
      io.err(`scalelab plan: unknown option ${arg}\n${USAGE}`);
      return 2;
    } else files.push(arg);
  }
  if (files.length !== 1) {
    io.err(`scalelab plan: give one architecture file\n${USAGE}`);
    return 2;
  }
  try {
    const num = (k: string): number | undefined => {
      if (opts[k] === undefined) return undefined;
      const v = Number(opts[k]);
      if (!Number.isFinite(v)) throw new ParameterError(`--${k}`, opts[k], 'must be a number');
      return v;
    };
    if (!fs.existsSync(files[0])) throw new ParameterError('FILE', files[0], 'must be an existing architecture file');
    const a = parseArchitecture(fs.readFileSync(files[0], 'utf8'), files[0]);
    if (opts.p95 !== undefined) a.target.p95 = num('p95') as number;
    if (opts.availability !== undefined) a.target.availability = num('availability') as number;
    const plan = planArchitecture(a, { users: num('users'), replications: num('replications'), seed: num('seed') });
    if (json) io.out(JSON.stringify(plan, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2));
    else io.out(planText(plan));
    if (opts.html !== undefined) io.err(`wrote ${writePlanHtml(plan, a, opts.html)}`);
    return 0;
  } catch (e) {
    if (e instanceof RangeError) {
      io.err(`scalelab plan: ${(e as Error).message}`);
      return 1;
    }
    throw e;
  }
}
