/**
 * `scalelab model NAME --key value ... [--json]`: runs one closed-form model and prints its result as
 * a table or, with --json, as one JSON object. Each model's keys are its flags (an unknown one
 * suggests the nearest, `--lamda`: did you mean --lambda?). Bad input prints one line and returns
 * exit code 2. The `scalelab` entry point passes the words after `model` to {@link modelCommand}.
 */
import { ParameterError, UnstableSystemError } from '../errors';
import type { CommandIO } from './io';
import { ModelArgs } from './model-args';
import { renderKeyValues, renderTable } from './model-format';
import { MODELS, RESULT_UNITS, type ModelCommand } from './models';
import { booleanValue, helpFlag, parseCommandLine, stringValue } from './parse';
import type { FlagSpecs } from './parse';
import { UsageError, hint, reportError } from './usage';

/** The flags of one model: a string flag per key, plus --json and --help. */
export function modelFlags(model: ModelCommand): FlagSpecs {
  const flags: FlagSpecs = {};
  for (const k of model.keys)
    flags[k.key] = { type: 'string', value: k.unit || 'VALUE', doc: k.description };
  return { ...flags, ...outputFlags };
}

const outputFlags: FlagSpecs = {
  json: { type: 'boolean', doc: 'print the result as one JSON object' },
  ...helpFlag,
};

/** Runs `scalelab model ...` with argv = the words after `model`. Returns the exit code; never exits. */
export async function modelCommand(argv: string[], io: CommandIO): Promise<number> {
  let label = 'scalelab model';
  try {
    const name = argv[0] !== undefined && !argv[0].startsWith('-') ? argv[0] : undefined;
    if (name === undefined) {
      const parsed = parseCommandLine(label, argv, outputFlags);
      if (booleanValue(parsed, 'help')) {
        io.out(overviewHelp());
        return 0;
      }
      throw new UsageError(
        `missing model name; try \`scalelab model --help\` (models: ${MODELS.map((m) => m.name).join(', ')})`,
      );
    }
    const model = MODELS.find((m) => m.name === name);
    if (!model)
      throw new UsageError(
        `unknown model "${name}"${hint(
          name,
          MODELS.map((m) => m.name),
          { max: 40 },
        )}`,
      );
    label = `scalelab model ${model.name}`;
    const parsed = parseCommandLine(label, argv.slice(1), modelFlags(model));
    if (booleanValue(parsed, 'help')) {
      io.out(modelHelp(model));
      return 0;
    }
    if (parsed.positionals.length)
      throw new UsageError(
        `unexpected argument "${parsed.positionals[0]}" (options are --key value)`,
      );
    const values = new Map<string, string>();
    for (const k of model.keys) {
      const v = stringValue(parsed, k.key);
      if (v !== undefined) values.set(k.key, v);
    }
    const args = new ModelArgs(values);
    const output = model.run(args);
    args.rejectUnused(model.keys.map((k) => k.key));
    requireFiniteResult(output.json, '');
    if (booleanValue(parsed, 'json')) {
      io.out(jsonWithInfinity(output.json));
      return 0;
    }
    const hidden = new Set(output.tabled ?? []);
    const scalars = Object.fromEntries(Object.entries(output.json).filter(([k]) => !hidden.has(k)));
    const parts = [renderKeyValues(scalars, RESULT_UNITS)];
    for (const t of output.tables ?? [])
      parts.push(`\n${t.title}:\n${renderTable(t.header, t.rows)}`);
    io.out(parts.join('\n'));
    return 0;
  } catch (e) {
    if (e instanceof ParameterError || e instanceof UnstableSystemError) {
      io.err(`${label}: ${e.name}: ${oneLine(e.message)}`);
      return 2;
    }
    return reportError(label, e, io);
  }
}

/**
 * Results are finite numbers or refused (issue 23, point 5): a NaN or an overflow to ±Infinity
 * anywhere in a result means the inputs left the range where the model computes reliably, so the
 * command refuses with exit code 2 (a quantity with no value by definition is null, e.g. Gustafson's limit).
 */
function requireFiniteResult(value: unknown, path: string): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new ParameterError(
      `result ${path || 'value'}`,
      value,
      'must be a finite number: these inputs are outside the range where the model gives a reliable answer',
    );
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      requireFiniteResult(v, path ? `${path}.${k}` : k);
  }
}

/** JSON in which ±Infinity stays distinct from null: written as the strings "Infinity" and "-Infinity". */
export function jsonWithInfinity(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v,
  );
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
    ...MODELS.map(
      (m) =>
        `  ${m.name.padEnd(width)}  ${m.summary}\n  ${' '.repeat(width)}    ${m.keys.map(keyUsage).join(' ')}`,
    ),
    '',
    'Examples:',
    '  scalelab model mmc --lambda 35 --mu 10 --c 5',
    '  scalelab model mm1 --lambda 0.75 --mu 1 --json',
    '  scalelab model mva --users 3 --think 15 --demands 0.605,2.1,1.35',
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
    ...m.keys.map(
      (k) =>
        `  --${k.key.padEnd(width - 2)}  ${k.unit.padEnd(unitWidth)}  ${k.description}${k.optional ? ' (optional)' : ''}`,
    ),
    '',
    'Examples:',
    `  scalelab model ${m.example}`,
    `  scalelab model ${m.example} --json`,
  ].join('\n');
}
