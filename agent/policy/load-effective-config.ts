// The configuration the agent runs with: defaults (or the bundled file), install.yaml beside the config file
// (written by the MSI from its properties), the config file, and the Group Policy values in the registry,
// merged key by key (agent/config/layered-config.ts). Registry problems are reported and never stop the agent:
// a bad policy value is left out, one line each.
import type { CommandRunner } from '../audit/index.ts';
import { ConfigError, localConfigLayers, mergeConfigLayers } from '../config/index.ts';
import type { AgentConfig, ConfigLayer, ConfigOrigin, EnvLookup } from '../config/index.ts';
import { buildPolicyLayer } from './policy-layer.ts';
import { POLICY_KEY } from './policy-settings.ts';
import { parseRegQuery } from './reg-query.ts';
import type { RegTree } from './reg-query.ts';

export interface EffectiveConfigOptions {
  /** `--config`; undefined: the bundled config/agent.yaml (its values count as defaults). */
  readonly configPath: string | undefined;
  readonly env: EnvLookup;
  /** Runs reg.exe; undefined: no policy layer (not Windows). */
  readonly runner: CommandRunner | undefined;
  readonly systemRoot: string;
  /** A file's text, or null when it does not exist or cannot be read. */
  readonly readText: (path: string) => string | null;
}

export interface EffectiveConfig {
  readonly config: AgentConfig;
  readonly origins: ReadonlyMap<string, ConfigOrigin>;
  /** Policy names that set a value. */
  readonly policyApplied: readonly string[];
  /** One line per registry value left out, or a failed registry read. */
  readonly policyProblems: readonly string[];
  /** The layers' names, lowest first (for messages). */
  readonly layers: readonly string[];
}

/** Throws ConfigError when the file or install.yaml is not usable (as before policies existed). */
export async function loadEffectiveConfig(options: EffectiveConfigOptions): Promise<EffectiveConfig> {
  const layers: ConfigLayer[] = localConfigLayers(options.configPath, options.env, options.readText);
  const policyProblems: string[] = [];
  let policyApplied: readonly string[] = [];
  if (options.runner !== undefined) {
    const tree = await readPolicyTree(options.runner, options.systemRoot);
    if ('error' in tree) policyProblems.push(tree.error);
    else {
      const policy = buildPolicyLayer(tree.tree, { env: options.env, readText: options.readText });
      policyProblems.push(...policy.problems);
      if (policy.applied.length > 0) {
        layers.push({ origin: 'policy', name: POLICY_KEY, data: policy.data });
        policyApplied = policy.applied;
      }
    }
  }
  try {
    const merged = mergeConfigLayers(layers, options.env);
    return { ...merged, policyApplied, policyProblems, layers: layers.map((l) => l.name) };
  } catch (error) {
    // Each policy value passed its own check, but together with the file they do not: the file's settings win.
    if (!(error instanceof ConfigError) || layers[layers.length - 1]?.origin !== 'policy') throw error;
    const withoutPolicy = layers.slice(0, -1);
    for (const p of error.problems) policyProblems.push(`${POLICY_KEY} (policy): ${p.path}: ${p.message}; the policy values are not used`);
    const merged = mergeConfigLayers(withoutPolicy, options.env);
    return { ...merged, policyApplied: [], policyProblems, layers: withoutPolicy.map((l) => l.name) };
  }
}

/** `reg query HKLM\SOFTWARE\Policies\wfp-block-agent /s`: the values, an empty tree when the key is absent. */
export async function readPolicyTree(runner: CommandRunner, systemRoot: string): Promise<{ tree: RegTree } | { error: string }> {
  const outcome = await runner.run(`${systemRoot}\\System32\\reg.exe`, ['query', POLICY_KEY, '/s'], { timeoutMs: 15_000 });
  if (outcome.code === 0) return { tree: parseRegQuery(outcome.stdout, POLICY_KEY) };
  // Exit 1 and nothing on stdout: the key does not exist (no policy set); the error text is translated.
  if (outcome.code === 1 && outcome.stdout.trim() === '') return { tree: new Map() };
  const detail = (outcome.stderr || outcome.stdout).trim().split(/\r?\n/)[0] ?? '';
  return { error: `${POLICY_KEY}: reading the policy failed (reg query exited ${outcome.code ?? (outcome.timedOut ? 'on its timeout' : 'without a code')}${detail === '' ? '' : `: ${detail}`}); the policy values are not used` };
}
