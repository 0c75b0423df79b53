// The shape of a CLI command, and argument parsing on top of node:util parseArgs.

import { parseArgs } from 'node:util';
import { VoxlabError } from '../common/errors.js';

/** One option of a command, as `--name value` (string) or `--name` (boolean). */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly help: string;
  readonly short?: string;
  readonly default?: string | boolean;
}

/** A `voxlab` subcommand. `run` returns the process exit code. */
export interface Command {
  readonly name: string;
  /** Usage line after `voxlab NAME`, e.g. `FILE [--json]`. */
  readonly usage: string;
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** How many positional arguments: [min, max]. */
  readonly positionals: readonly [number, number];
  run(args: ParsedArgs): Promise<number>;
}

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/** Parses argv for `command`; unknown options and wrong positional counts throw BAD_ARGUMENT. */
export function parseCommandArgs(command: Command, argv: readonly string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.default !== undefined ? { default: spec.default } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new VoxlabError('BAD_ARGUMENT', `${(e as Error).message.replace(/\. To specify.*$/s, '')}. See 'voxlab ${command.name} --help'.`);
  }
  if (parsed.values.help === true) return { values: parsed.values, positionals: parsed.positionals };
  const [min, max] = command.positionals;
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    throw new VoxlabError('BAD_ARGUMENT', `usage: voxlab ${command.name} ${command.usage}`);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** The help text of a command. */
export function commandHelp(command: Command): string {
  const lines = [`usage: voxlab ${command.name} ${command.usage}`, '', command.summary, ''];
  const entries = Object.entries(command.options);
  if (entries.length > 0) lines.push('options:');
  for (const [name, spec] of entries) {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ' VALUE' : ''}`;
    const def = spec.default !== undefined && spec.default !== false ? ` (default: ${String(spec.default)})` : '';
    lines.push(`  ${flag.padEnd(26)} ${spec.help}${def}`);
  }
  lines.push(`      --help                 show this help`);
  return lines.join('\n');
}

/** Reads a string option as a number, with a clear error when it is not one. */
export function numberOption(args: ParsedArgs, name: string, opts: { integer?: boolean; min?: number } = {}): number | undefined {
  const raw = args.values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const ok = typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(value) && (!opts.integer || Number.isInteger(value)) && (opts.min === undefined || value >= opts.min);
  if (!ok) {
    const what = opts.integer ? 'a whole number' : 'a number';
    const bound = opts.min !== undefined ? ` of at least ${opts.min}` : '';
    throw new VoxlabError('BAD_ARGUMENT', `--${name} must be ${what}${bound}, got '${String(raw)}'`);
  }
  return value;
}

/** Reads a string option, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const raw = args.values[name];
  return typeof raw === 'string' ? raw : undefined;
}

/** A string option that must be given; BAD_ARGUMENT naming it otherwise. */
export function requiredOption(args: ParsedArgs, name: string): string {
  const raw = args.values[name];
  if (typeof raw !== 'string' || raw === '') throw new VoxlabError('BAD_ARGUMENT', `--${name} is required`);
  return raw;
}
