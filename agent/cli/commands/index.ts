// Every subcommand, in the order the top-level help lists them. A command's module (and the libraries it needs:
// the OpenTelemetry SDK, ajv, yaml, edge-js ...) loads only when that command runs, so `--version`, `--help` and
// the light commands do not pay for `run`'s memory (issue 12c; figures in deploy/README.md). The name and summary
// here are the top-level help's; test/unit/cli/command-table.test.ts checks they match each command's own.
import type { Command } from '../command.ts';

export interface CommandEntry {
  readonly name: string;
  /** One line for the top-level help (the same as the command's own summary). */
  readonly summary: string;
  /** Loads the command's module. */
  readonly load: () => Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'explain',
    summary: 'Print exactly what the agent would export for each event in FILE...',
    load: async () => (await import('./explain-command.ts')).explainCommand,
  },
  {
    name: 'replay',
    summary: 'Send event files through the full pipeline to the configured exporters.',
    load: async () => (await import('./replay-command.ts')).replayCommand,
  },
  {
    name: 'run',
    summary: 'Read the Windows Security log live and export block events (Windows only).',
    load: async () => (await import('./run-command.ts')).runCommand,
  },
  {
    name: 'status',
    summary: "Show the health of this machine's agent (service, exports, lag, loss, audit, filters).",
    load: async () => (await import('./status-command.ts')).statusCommand,
  },
  {
    name: 'demo',
    summary: 'Run the pipeline on the bundled real events and show what it exports.',
    load: async () => (await import('./demo-command.ts')).demoCommand,
  },
  {
    name: 'filters',
    summary: 'List the WFP filter catalog (which filter id is which rule).',
    load: async () => (await import('./filters-command.ts')).filtersCommand,
  },
  {
    name: 'audit',
    summary: 'Show, apply or restore the audit policy that makes block events exist.',
    load: async () => (await import('./audit-command.ts')).auditCommand,
  },
  {
    name: 'config',
    summary: 'Validate a configuration file or print the effective configuration.',
    load: async () => (await import('./config-command.ts')).configCommand,
  },
];
