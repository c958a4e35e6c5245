// Top-level dispatch: `wfp-agent <command> [options]`.
import { AGENT_VERSION } from '../shared/index.ts';
import type { CliIo } from './command.ts';
import { EXIT_OK, EXIT_USAGE } from './command.ts';
import { COMMANDS } from './commands/index.ts';

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `wfp-agent ${AGENT_VERSION}: Windows Filtering Platform block events as OpenTelemetry logs and metrics.

Usage: wfp-agent <command> [options]

Commands:
${lines.join('\n')}

Options:
  -h, --help     Show help (also after a command: wfp-agent explain --help).
  -v, --version  Print the version.

Exit codes: 0 ok, 1 ran but found problems, 2 usage or configuration error.
`;
}

/** `io` is the process's, already redacting (wfp-agent.ts); tests pass their own. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.stdout(topHelp());
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '-v' || first === '--version') {
    io.stdout(`${AGENT_VERSION}\n`);
    return EXIT_OK;
  }
  const entry = COMMANDS.find((c) => c.name === first);
  if (entry === undefined) {
    io.stderr(`wfp-agent: unknown command '${first}'. Commands: ${COMMANDS.map((c) => c.name).join(', ')}.\n`);
    return EXIT_USAGE;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help);
    return EXIT_OK;
  }
  return command.run(rest, io);
}
