/**
 * Typed experiment parameters: each with a default, a unit, a valid range and a sentence of
 * documentation; validation whose errors name the parameter, the value and what is allowed; and
 * parsing of command-line text (`--set rho=0.9`, `--set utilisations=0.5,0.8,0.9`).
 */
import { ParameterError, formatValue } from '../errors';

interface SpecBase {
  /** One sentence: what the parameter means. */
  doc: string;
  unit?: string;
}

export interface NumberSpec extends SpecBase {
  type: 'number';
  default: number;
  min?: number;
  max?: number;
  /** Exclude the bound itself (e.g. utilisation < 1). */
  minOpen?: boolean;
  maxOpen?: boolean;
}

export interface IntegerSpec extends SpecBase {
  type: 'integer';
  default: number;
  min?: number;
  max?: number;
}

export interface BooleanSpec extends SpecBase {
  type: 'boolean';
  default: boolean;
}

export interface ChoiceSpec extends SpecBase {
  type: 'choice';
  default: string;
  choices: readonly string[];
}

/** A list of numbers, e.g. the utilisations a sweep visits. */
export interface NumbersSpec extends SpecBase {
  type: 'numbers';
  default: readonly number[];
  min?: number;
  max?: number;
  minOpen?: boolean;
  maxOpen?: boolean;
  integer?: boolean;
  /** Fewest and most entries. Default 1 and 1000. */
  minLength?: number;
  maxLength?: number;
}

/** A list of choices, e.g. the models a figure compares. */
export interface ChoicesSpec extends SpecBase {
  type: 'choices';
  default: readonly string[];
  choices: readonly string[];
}

export type ParamSpec =
  NumberSpec | IntegerSpec | BooleanSpec | ChoiceSpec | NumbersSpec | ChoicesSpec;
export type ParamSpecs = Record<string, ParamSpec>;

/** The value type a spec describes. */
export type ParamValue<S extends ParamSpec> = S extends NumberSpec | IntegerSpec
  ? number
  : S extends BooleanSpec
    ? boolean
    : S extends ChoiceSpec
      ? string
      : S extends NumbersSpec
        ? number[]
        : S extends ChoicesSpec
          ? string[]
          : never;

/** The parameter values of an experiment with specs `S`. */
export type ParamValues<S extends ParamSpecs> = { [K in keyof S]: ParamValue<S[K]> };

/** What a parameter accepts, in words: used in errors, `scalelab list` and `--help`. */
export function describeRange(spec: ParamSpec): string {
  const interval = (min?: number, max?: number, minOpen?: boolean, maxOpen?: boolean): string => {
    if (min === undefined && max === undefined) return '';
    const lo = min === undefined ? '(-inf' : `${minOpen ? '(' : '['}${min}`;
    const hi = max === undefined ? 'inf)' : `${max}${maxOpen ? ')' : ']'}`;
    return ` in ${lo}, ${hi}`;
  };
  switch (spec.type) {
    case 'number':
      return `a number${interval(spec.min, spec.max, spec.minOpen, spec.maxOpen)}`;
    case 'integer':
      return `an integer${interval(spec.min, spec.max)}`;
    case 'boolean':
      return 'true or false';
    case 'choice':
      return `one of ${spec.choices.join(', ')}`;
    case 'numbers':
      return `a comma-separated list of ${spec.integer ? 'integers' : 'numbers'}${interval(spec.min, spec.max, spec.minOpen, spec.maxOpen)}`;
    case 'choices':
      return `a comma-separated list of ${spec.choices.join(', ')}`;
  }
}

/**
 * Smallest magnitude a non-zero number parameter may have: below it a value is subnormal (it has
 * lost precision) and its reciprocal overflows to Infinity (a service time of 1e-320 would become
 * a rate of Infinity deep inside a simulator, and the error would name the rate, not the parameter).
 */
export const SMALLEST_NORMAL = 2.2250738585072014e-308;

function inRange(
  x: number,
  spec: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean },
): boolean {
  if (!Number.isFinite(x)) return false;
  if (x !== 0 && Math.abs(x) < SMALLEST_NORMAL) return false;
  if (spec.min !== undefined && (spec.minOpen ? x <= spec.min : x < spec.min)) return false;
  if (spec.max !== undefined && (spec.maxOpen ? x >= spec.max : x > spec.max)) return false;
  return true;
}

/** Checks one value against its spec; returns it (a copy for lists) or throws ParameterError. */
export function validateValue<S extends ParamSpec>(
  name: string,
  spec: S,
  value: unknown,
): ParamValue<S> {
  const bad = (): never => {
    throw new ParameterError(name, value, `must be ${describeRange(spec)}`);
  };
  switch (spec.type) {
    case 'number':
      if (typeof value !== 'number' || !inRange(value, spec)) bad();
      return value as ParamValue<S>;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || !inRange(value, spec)) bad();
      return value as ParamValue<S>;
    case 'boolean':
      if (typeof value !== 'boolean') bad();
      return value as ParamValue<S>;
    case 'choice':
      if (typeof value !== 'string' || !spec.choices.includes(value)) bad();
      return value as ParamValue<S>;
    case 'numbers': {
      const { minLength = 1, maxLength = 1000 } = spec;
      if (!Array.isArray(value) || value.length < minLength || value.length > maxLength) {
        throw new ParameterError(
          name,
          value,
          `must be a list of ${minLength} to ${maxLength} entries, each ${describeRange({ ...spec, type: 'number', default: 0 }).replace(/^a /, '')}`,
        );
      }
      for (const x of value) {
        if (typeof x !== 'number' || !inRange(x, spec) || (spec.integer && !Number.isInteger(x)))
          bad();
      }
      return [...value] as ParamValue<S>;
    }
    case 'choices':
      if (
        !Array.isArray(value) ||
        value.length === 0 ||
        value.some((x) => typeof x !== 'string' || !spec.choices.includes(x))
      )
        bad();
      return [...(value as string[])] as ParamValue<S>;
  }
}

/**
 * Complete parameter values: defaults overridden by `overrides`, every value checked. An unknown
 * name is an error listing the valid ones.
 */
export function resolveParams<S extends ParamSpecs>(
  specs: S,
  overrides: Record<string, unknown> = {},
  owner = 'experiment',
): ParamValues<S> {
  for (const key of Object.keys(overrides)) {
    if (!Object.prototype.hasOwnProperty.call(specs, key)) {
      throw new ParameterError(
        key,
        overrides[key],
        `is not a parameter of ${owner} (valid: ${Object.keys(specs).join(', ')})`,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const value = Object.prototype.hasOwnProperty.call(overrides, key)
      ? overrides[key]
      : spec.default;
    out[key] = validateValue(key, spec, value);
  }
  return out as ParamValues<S>;
}

function parseNumber(name: string, text: string, spec: ParamSpec, list?: string): number {
  const t = text.trim();
  const x = t === '' ? NaN : Number(t);
  if (!Number.isFinite(x)) {
    if (list !== undefined && t === '')
      throw new ParameterError(name, list, `has an empty entry: must be ${describeRange(spec)}`);
    throw new ParameterError(name, text, `must be ${describeRange(spec)}`);
  }
  return x;
}

function splitList(text: string): string[] {
  const t = text.trim();
  if (t.startsWith('[')) {
    try {
      const parsed = JSON.parse(t) as unknown;
      if (Array.isArray(parsed)) return parsed.map((v) => String(v));
    } catch {
      /* fall through to comma splitting */
    }
  }
  const parts = t
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((s) => s.trim());
  // a trailing comma is tolerated ("0.5,0.9,"); an empty entry inside ("1,2,,3") is an error
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Parses command-line text into a value of the spec's type, then validates it. */
export function parseValue(name: string, spec: ParamSpec, text: string): unknown {
  switch (spec.type) {
    case 'number':
    case 'integer':
      return validateValue(name, spec, parseNumber(name, text, spec));
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (t === 'true' || t === '1' || t === 'yes') return true;
      if (t === 'false' || t === '0' || t === 'no') return false;
      throw new ParameterError(name, text, 'must be true or false');
    }
    case 'choice':
      return validateValue(name, spec, text.trim());
    case 'numbers':
      return validateValue(
        name,
        spec,
        splitList(text).map((s) => parseNumber(name, s, spec, text)),
      );
    case 'choices': {
      const list = splitList(text);
      if (list.some((s) => s === ''))
        throw new ParameterError(name, text, `has an empty entry: must be ${describeRange(spec)}`);
      return validateValue(name, spec, list);
    }
  }
}

/** The default shown in help and tables. */
export function formatDefault(spec: ParamSpec): string {
  return Array.isArray(spec.default)
    ? spec.default.join(',')
    : formatValue(spec.default).replace(/^"|"$/g, '');
}
