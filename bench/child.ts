/**
 * One benchmark run in its own process (so each model gets a fresh JIT and its own peak RSS):
 * `node child.js mm1|mm1-all LAMBDA MU CUSTOMERS SEED [--warm]` or
 * `node child.js closed N Z C MU COMPLETIONS SEED [--warm]`.
 * Prints one JSON line: events, seconds, eventsPerSec, meanResponse, throughput, peakRssMb, all of
 * the first (cold) run. With `--warm` the same model then runs a second time in the same process
 * and `warmEventsPerSec` gives its speed: the JIT's steady state, without its start-up.
 */
import { runClosed, runMM1, type ModelRun } from './models';

function runModel(kind: string, num: number[]): ModelRun {
  if (kind === 'mm1') return runMM1(num[0], num[1], num[2], num[3], 'mean');
  if (kind === 'mm1-all') return runMM1(num[0], num[1], num[2], num[3], 'all');
  if (kind === 'closed') return runClosed(num[0], num[1], num[2], num[3], num[4], num[5]);
  throw new Error(`unknown model ${kind}`);
}

function main(argv: string[]): void {
  const warm = argv.includes('--warm');
  const [kind, ...rest] = argv.filter((a) => a !== '--warm');
  const num = rest.map(Number);
  const r = runModel(kind, num);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const second = warm ? runModel(kind, num) : null;
  const out = {
    ...r,
    eventsPerSec: r.events / r.seconds,
    peakRssMb,
    warmEventsPerSec: second ? second.events / second.seconds : null,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main(process.argv.slice(2));
