/**
 * `scalelab model NAME --key value ... [--json]`: runs one closed-form model and prints its result as
 * a table or, with --json, as one JSON object. Bad input prints one line and returns exit code 2.
 * The `scalelab` entry point passes the words after `model` to {@link modelCommand}.
 */
import { ParameterError, UnstableSystemError } from '../errors';
import type { CommandIO } from '../command-io';
import { ModelArgs, UsageError, parseArgs } from './cli-args';
import { renderKeyValues, renderTable } from './cli-format';
import { MODELS, RESULT_UNITS, type ModelCommand } from './cli-models';


/** Runs `scalelab model ...` with argv = the words after `model`. Returns the exit code; never exits. */
export async function modelCommand(argv: string[], io: CommandIO): Promise<number> {
  let label = 'scalelab model';
  try {
    const parsed = parseArgs(argv);
    if (parsed.name === undefined) {
      if (parsed.help) {
        io.out(overviewHelp());
        return 0;
      }
      io.err(`${label}: missing model name; try \`scalelab model --help\` (models: ${MODELS.map((m) => m.name).join(', ')})`);
      return 2;
    }
    const model = MODELS.find((m) => m.name === parsed.name);
    if (!model) {
      io.err(`${label}: unknown model "${parsed.name}" (models: ${MODELS.map((m) => m.name).join(', ')})`);
      return 2;
    }
    label = `scalelab model ${model.name}`;
    if (parsed.help) {
      io.out(modelHelp(model));
      return 0;
    }
    const args = new ModelArgs(parsed.values);
    const output = model.run(args);
    args.rejectUnused(model.keys.map((k) => k.key));
    requireFiniteResult(output.json, '');
    if (parsed.json) {
      io.out(jsonWithInfinity(output.json));
      return 0;
    }
    const hidden = new Set(output.tabled ?? []);
    const scalars = Object.fromEntries(Object.entries(output.json).filter(([k]) => !hidden.has(k)));
    const parts = [renderKeyValues(scalars, RESULT_UNITS)];
    for (const t of output.tables ?? []) parts.push(`\n${t.title}:\n${renderTable(t.header, t.rows)}`);
    io.out(parts.join('\n'));
    return 0;
  } catch (e) {
    if (e instanceof ParameterError || e instanceof UnstableSystemError || e instanceof UsageError) {
      io.err(`${label}: ${e.name}: ${oneLine(e.message)}`);
      return 2;
    }
    io.err(`${label}: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}`);
    return 1;
  }
}

/**
 * Results are finite numbers or refused (issue 23, point 5): a NaN or an overflow to ±Infinity
 * anywhere in a result means the inputs left the range where the model computes reliably, so the
 * command refuses with exit code 2 (a quantity with no value by definition is null, e.g. Gustafson's limit).
 */
function requireFiniteResult(value: unknown, path: string): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new ParameterError(`result ${path || 'value'}`, value, 'must be a finite number: these inputs are outside the range where the model gives a reliable answer');
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) requireFiniteResult(v, path ? `${path}.${k}` : k);
  }
}

/** JSON in which ±Infinity stays distinct from null: written as the strings "Infinity" and "-Infinity". */
export function jsonWithInfinity(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v));
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}

function overviewHelp(): string {
  const width = Math.max(...MODELS.map((m) => m.name.length));
  const lines = [
    'usage: scalelab model NAME --key value ... [--json]',
    '       scalelab model NAME --help    (keys and units of one model)',
    '',
    'Closed-form queueing and scaling models. Rates are per unit time, times in the same unit',
    '(e.g. lambda in 1/s and W in s). --json prints one JSON object; bad input exits with code 2.',
    '',
    'models:',
    ...MODELS.map((m) => `  ${m.name.padEnd(width)}  ${m.summary}\n  ${' '.repeat(width)}    ${m.keys.map(keyUsage).join(' ')}`),
  ];
  return lines.join('\n');
}

function keyUsage(k: { key: string; optional?: boolean }): string {
  return k.optional ? `[--${k.key}]` : `--${k.key}`;
}

function modelHelp(m: ModelCommand): string {
  const width = Math.max(...m.keys.map((k) => k.key.length + 2));
  const unitWidth = Math.max(...m.keys.map((k) => k.unit.length));
  return [
    `scalelab model ${m.name}: ${m.summary}`,
    '',
    `usage: scalelab model ${m.name} ${m.keys.map(keyUsage).join(' ')} [--json]`,
    '',
    'keys:',
    ...m.keys.map((k) => `  --${k.key.padEnd(width - 2)}  ${k.unit.padEnd(unitWidth)}  ${k.description}${k.optional ? ' (optional)' : ''}`),
    '',
    `example: scalelab model ${m.example}`,
  ].join('\n');
}
