// The layered configuration for the commands that run the agent or report on it (`run`, `status`,
// `config print`): registry policy through reg.exe on Windows (or the runner a test injects), problems on
// stderr one line each, a bad file exits 2 as before.
import { readFileSync } from 'node:fs';
import type { CommandRunner } from '../audit/index.ts';
import { createExecFileRunner } from '../audit/index.ts';
import { ConfigError } from '../config/index.ts';
import { loadEffectiveConfig } from '../policy/index.ts';
import type { EffectiveConfig, EffectiveConfigOptions } from '../policy/index.ts';
import type { CliIo } from './command.ts';

export interface PolicyDeps {
  readonly platform: NodeJS.Platform;
  /** Runs reg.exe; default: the real one on Windows, none elsewhere; null: no policy layer. */
  readonly runner?: CommandRunner | null;
}

export function effectiveConfigOptions(configPath: string | undefined, io: CliIo, deps: PolicyDeps): EffectiveConfigOptions {
  return {
    configPath,
    env: (n) => io.env[n],
    runner: deps.runner === null ? undefined : (deps.runner ?? (deps.platform === 'win32' ? createExecFileRunner() : undefined)),
    systemRoot: io.env['SystemRoot'] ?? io.env['SYSTEMROOT'] ?? 'C:\\Windows',
    readText: readTextOrNull,
  };
}

export async function loadEffectiveCliConfig(command: string, configPath: string | undefined, io: CliIo, deps: PolicyDeps): Promise<EffectiveConfig | null> {
  try {
    const loaded = await loadEffectiveConfig(effectiveConfigOptions(configPath, io, deps));
    for (const p of loaded.policyProblems) io.stderr(`wfp-agent ${command}: ${p}\n`);
    return loaded;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return null;
    }
    throw error;
  }
}

export function readTextOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
