/**
 * One benchmark run in its own process (so each model gets a fresh JIT and its own peak RSS):
 * `node child.js mm1|mm1-all LAMBDA MU CUSTOMERS SEED` or `node child.js closed N Z C MU COMPLETIONS SEED`.
 * Prints one JSON line: events, seconds, eventsPerSec, meanResponse, throughput, peakRssMb.
 */
import { runClosed, runMM1, type ModelRun } from './models';

function main(argv: string[]): void {
  const [kind, ...rest] = argv;
  const num = rest.map(Number);
  let r: ModelRun;
  if (kind === 'mm1') r = runMM1(num[0], num[1], num[2], num[3], 'mean');
  else if (kind === 'mm1-all') r = runMM1(num[0], num[1], num[2], num[3], 'all');
  else if (kind === 'closed') r = runClosed(num[0], num[1], num[2], num[3], num[4], num[5]);
  else throw new Error(`unknown model ${kind}`);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ...r, eventsPerSec: r.events / r.seconds, peakRssMb }) + '\n');
}

main(process.argv.slice(2));
