/**
 * `scalelab plan FILE`: the cheapest configuration of the architecture in FILE (JSON, validated
 * against schema.json; a bad field is named by its path) that meets its target, by
 * {@link planArchitecture}, at closed users (--users) or open requests/s (--rate); the text and
 * the page come from lib/systems/architecture/report.ts (`--json` prints the plan as JSON,
 * `--html OUT` writes the page with the figures).
 */
import * as fs from 'fs';
import type { CommandIO } from './io';
import { ParameterError } from '../errors';
import { planArchitecture } from '../systems/architecture/plan';
import { planText, writePlanHtml } from '../systems/architecture/report';
import { parseArchitecture } from '../systems/architecture/validate';
import { booleanValue, flagHelp, helpFlag, parseCommandLine, stringValue } from './parse';
import type { FlagSpecs } from './parse';
import { UsageError, reportError } from './usage';

export const planFlags: FlagSpecs = {
  users: {
    type: 'string',
    value: 'N',
    doc: "users to plan for, closed load (default the file's users.count)",
  },
  rate: {
    type: 'string',
    value: 'R',
    doc: "requests/s to plan for, open load (default the file's arrivalRate)",
  },
  p95: {
    type: 'string',
    value: 'SECONDS',
    doc: "target p95 response time (default the file's target.p95)",
  },
  p99: {
    type: 'string',
    value: 'SECONDS',
    doc: "target p99 response time as well (default the file's target.p99, if any)",
  },
  availability: {
    type: 'string',
    value: 'A',
    doc: "target availability (default the file's target.availability)",
  },
  replications: {
    type: 'string',
    value: 'N',
    doc: 'simulated replications confirming the plan (default 3; 0 for none, and no simulated failures)',
  },
  seed: { type: 'string', value: 'S', doc: 'seed of the simulation' },
  json: { type: 'boolean', doc: 'print the plan as JSON' },
  html: { type: 'string', value: 'OUT.html', doc: 'also write a page with the figures' },
  ...helpFlag,
};

const USAGE = `Usage: scalelab plan FILE [options]

The cheapest configuration (web servers, read replicas, balancer pair, cache servers) of the
architecture in FILE that meets its target (p95, and p99 when given) and availability at N users
or R requests/s, searched with the analytic model and confirmed by simulated replications, with
the bottleneck and what a single failure of each component does, analytically and simulated.

Options:
${flagHelp(planFlags)}

Examples:
  scalelab plan data/architectures/05-memcache.json --users 2000 --replications 0
  scalelab plan data/architectures/04-read-replicas.json --users 500 --replications 0 --json
  scalelab plan data/architectures/open-load-api.json --rate 300 --p99 1 --replications 0`;

/** `scalelab plan FILE ...`. */
export async function planCommand(argv: string[], io: CommandIO): Promise<number> {
  const label = 'scalelab plan';
  try {
    const parsed = parseCommandLine(label, argv, planFlags);
    if (booleanValue(parsed, 'help')) {
      io.out(USAGE);
      return 0;
    }
    if (parsed.positionals.length !== 1)
      throw new UsageError(
        `give one architecture file (usage: scalelab plan FILE [options]; see scalelab plan --help)`,
      );
    const file = parsed.positionals[0];
    const num = (k: string): number | undefined => {
      const text = stringValue(parsed, k);
      if (text === undefined) return undefined;
      const v = text.trim() === '' ? NaN : Number(text);
      if (!Number.isFinite(v)) throw new ParameterError(`--${k}`, text, 'must be a number');
      return v;
    };
    if (!fs.existsSync(file))
      throw new ParameterError('FILE', file, 'must be an existing architecture file');
    const a = parseArchitecture(fs.readFileSync(file, 'utf8'), file);
    const p95 = num('p95');
    const p99 = num('p99');
    const availability = num('availability');
    if (p95 !== undefined) a.target.p95 = p95;
    if (p99 !== undefined) a.target.p99 = p99;
    if (availability !== undefined) a.target.availability = availability;
    const plan = planArchitecture(a, {
      users: num('users'),
      rate: num('rate'),
      replications: num('replications'),
      seed: num('seed'),
    });
    if (booleanValue(parsed, 'json'))
      io.out(
        JSON.stringify(
          plan,
          (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
          2,
        ),
      );
    else io.out(planText(plan));
    const html = stringValue(parsed, 'html');
    if (html !== undefined) io.err(`wrote ${writePlanHtml(plan, a, html)}`);
    return 0;
  } catch (e) {
    return reportError(label, e, io); // a bad file or flag (a ParameterError naming the field): 2
  }
}
