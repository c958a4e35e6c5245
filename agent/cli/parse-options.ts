// Thin wrapper over node:util parseArgs that turns its exceptions into one-line usage errors.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedOptions {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
}

export type ParseOutcome = { ok: true; parsed: ParsedOptions } | { ok: false; message: string };

export function parseOptions(args: readonly string[], options: OptionSpec): ParseOutcome {
  try {
    const parsed = parseArgs({
      args: [...args],
      options: { help: { type: 'boolean', short: 'h' }, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { ok: true, parsed: { values: parsed.values, positionals: parsed.positionals } };
  } catch (error) {
    return { ok: false, message: (error as Error).message.split('\n')[0] ?? 'invalid arguments' };
  }
}

export function stringOption(parsed: ParsedOptions, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function flag(parsed: ParsedOptions, name: string): boolean {
  return parsed.values[name] === true;
}
