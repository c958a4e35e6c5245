// `wfp-agent config validate [FILE]` and `wfp-agent config print [FILE]`.
import { stringify } from 'yaml';
import { buildDesiredPolicy } from '../../audit/index.ts';
import { ConfigError, loadConfig } from '../../config/index.ts';
import type { Command, CliIo } from '../command.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../command.ts';
import { parseOptions } from '../parse-options.ts';

const HELP = `Usage: wfp-agent config validate [FILE]
       wfp-agent config print [FILE]

  validate   Check a configuration file against the schema. Prints every problem as
             FILE:LINE: key: message, and exits 1 when there is any.
  print      Print the effective configuration (defaults filled in, \${env:NAME} resolved) as YAML.

Without FILE, the bundled default (config/agent.yaml) is used.
`;

export const configCommand: Command = {
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
    try {
      const config = loadConfig(file, (name) => io.env[name]);
      // Checks the schema cannot express: subcategory names resolve to exactly one audit subcategory.
      const policy = buildDesiredPolicy(config.audit_policy);
      if (!policy.ok) {
        for (const line of policy.detail.split('\n')) io.stderr(`${file ?? '<embedded default>'}: ${line}\n`);
        return EXIT_PROBLEMS;
      }
      if (action === 'print') io.stdout(stringify(config));
      else io.stdout(`${file ?? '<embedded default>'}: valid\n`);
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
