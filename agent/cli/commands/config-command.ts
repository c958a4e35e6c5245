// `wfp-agent config validate [FILE]` and `wfp-agent config print [FILE]`.
import { buildDesiredPolicy } from '../../audit/index.ts';
import { ConfigError, loadLocalConfig, secretPaths } from '../../config/index.ts';
import type { AgentConfig } from '../../config/index.ts';
import { REDACTED } from '../../shared/index.ts';
import type { Command, CliIo } from '../command.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { printWithOrigins } from '../config-origins.ts';
import { loadEffectiveCliConfig } from '../load-effective-cli-config.ts';
import type { PolicyDeps } from '../load-effective-cli-config.ts';

const HELP = `Usage: wfp-agent config validate [FILE]
       wfp-agent config print [FILE]

  validate   Check a configuration file against the schema. Prints every problem as
             FILE:LINE: key: message, and exits 1 when there is any.
  print      Print the effective configuration as YAML, each value followed by where it came from:
             # policy   Group Policy / Intune (HKLM\\SOFTWARE\\Policies\\wfp-block-agent, Windows)
             # file     FILE
             # install  install.yaml beside FILE (the MSI's properties)
             # default  the schema's default (or the bundled config/agent.yaml without FILE)
             # env      an OTEL_EXPORTER_OTLP_* variable, for OTLP keys nothing else sets
             Precedence, key by key: policy > file > install > default (config/README.md).
             Secrets are shown as ${REDACTED}: every header value, and every value that came
             from \${env:NAME} (it may be a credential; the environment is where to look).

Without FILE, the bundled default (config/agent.yaml) is used.
`;

/** A copy of `config` with the value at every secret path replaced by <redacted>. */
function redactedConfig(config: AgentConfig): AgentConfig {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const path of secretPaths(config)) {
    const keys = path.match(/[^.[\]]+/g) ?? [];
    let node: unknown = copy;
    for (const k of keys.slice(0, -1)) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined;
    const last = keys.at(-1);
    if (last !== undefined && node !== null && typeof node === 'object' && last in node) (node as Record<string, unknown>)[last] = REDACTED;
  }
  // Header names may hold dots, which the paths above cannot tell from nesting: every header, by name.
  const otlp = (copy['exporters'] as { otlp: { headers: Record<string, string> } }).otlp;
  for (const name of Object.keys(otlp.headers)) otlp.headers[name] = REDACTED;
  return copy as unknown as AgentConfig;
}

export function createConfigCommand(deps: PolicyDeps = { platform: process.platform }): Command {
  return {
    name: 'config',
    summary: 'Validate a configuration file or print the effective configuration.',
    help: HELP,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const parsed = parseOptions(args, {});
      if (!parsed.ok) {
        io.stderr(`wfp-agent config: ${parsed.message}\n`);
        return EXIT_USAGE;
      }
      const [action, file, ...extra] = parsed.parsed.positionals;
      if (parsed.parsed.values['help'] === true) {
        io.stdout(HELP);
        return EXIT_OK;
      }
      if ((action !== 'validate' && action !== 'print') || extra.length > 0) {
        io.stderr(`wfp-agent config: expected 'validate [FILE]' or 'print [FILE]'. See wfp-agent config --help.\n`);
        return EXIT_USAGE;
      }
      if (action === 'print') {
        const loaded = await loadEffectiveCliConfig('config print', file, io, deps);
        if (loaded === null) return EXIT_PROBLEMS;
        const policy = buildDesiredPolicy(loaded.config.audit_policy);
        if (!policy.ok) {
          for (const line of policy.detail.split('\n')) io.stderr(`${file ?? '<embedded default>'}: ${line}\n`);
          return EXIT_PROBLEMS;
        }
        io.stdout(printWithOrigins(redactedConfig(loaded.config), loaded.origins));
        return EXIT_OK;
      }
      try {
        const config = loadLocalConfig(file, (name) => io.env[name]);
        // Checks the schema cannot express: subcategory names resolve to exactly one audit subcategory.
        const policy = buildDesiredPolicy(config.audit_policy);
        if (!policy.ok) {
          for (const line of policy.detail.split('\n')) io.stderr(`${file ?? '<embedded default>'}: ${line}\n`);
          return EXIT_PROBLEMS;
        }
        io.stdout(`${file ?? '<embedded default>'}: valid\n`);
        return EXIT_OK;
      } catch (error) {
        if (error instanceof ConfigError) {
          io.stderr(`${error.message}\n`);
          return EXIT_PROBLEMS;
        }
        throw error;
      }
    },
  };
}

export const configCommand: Command = createConfigCommand();
