/**
 * `scalelab plan FILE`: --json prints the plan (closed users, or open requests/s with --rate and a
 * p99 target), --html writes the page with its figures, and a bad file names the field by its JSON
 * path (exit 2, as every bad input of the command layer).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { planCommand } from '../../../lib/cli/plan';
import { architecturesDir } from '../../../lib/labs/lab12/steps';

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
};

describe('scalelab plan', () => {
  test('--json prints the plan', async () => {
    const c = io();
    const code = await planCommand(
      [
        path.join(architecturesDir, '04-read-replicas.json'),
        '--users',
        '500',
        '--replications',
        '0',
        '--json',
      ],
      c.io,
    );
    expect(code).toBe(0);
    const plan = JSON.parse(c.out.join('\n'));
    expect(plan.name).toBe('read-replicas');
    expect(plan.best.feasible).toBe(true);
    expect(plan.failures.map((f: { component: string }) => f.component)).toEqual([
      'balancer',
      'web server',
      'primary',
      'replica',
    ]);
  });

  test('open load: --rate and --p99, the text report and the page', async () => {
    const c = io();
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plan-')), 'plan.html');
    const code = await planCommand(
      [
        path.join(architecturesDir, 'open-load-api.json'),
        '--rate',
        '300',
        '--p99',
        '1',
        '--replications',
        '0',
        '--html',
        out,
      ],
      c.io,
    );
    expect(code).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/^open-load-api: 300 requests\/s, target p95 <= 0\.5 s, p99 <= 1 s/);
    expect(text).toMatch(
      /cheapest: \d+ web servers, \d+ read replicas, balancer pair (yes|no), \d+ cache servers/,
    );
    expect(text).toMatch(/kafka: .* on the response path/);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/response-time percentiles against the load/);
  });

  test('a bad file names the field', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plan-')), 'bad.json');
    const a = JSON.parse(
      fs.readFileSync(path.join(architecturesDir, '03-load-balancer.json'), 'utf8'),
    );
    a.database.replcas = 2;
    fs.writeFileSync(file, JSON.stringify(a));
    const c = io();
    expect(await planCommand([file], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(
      /database\.replcas = 2 is out of range: is not a known key; did you mean "replicas"\?/,
    );
  });
});
