// A command whose stage has not landed yet: says so in one line instead of pretending.
import type { Command } from '../command.ts';
import { EXIT_USAGE } from '../command.ts';

export function notAvailable(name: string, summary: string): Command {
  const help = `Usage: wfp-agent ${name}\n\n${summary}\n\nNot available in this build yet.\n`;
  return {
    name,
    summary: `${summary} (not available yet)`,
    help,
    async run(_args, io) {
      io.stderr(`wfp-agent ${name}: not available in this build yet.\n`);
      return EXIT_USAGE;
    },
  };
}
