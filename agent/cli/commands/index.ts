// Every subcommand, in the order the top-level help lists them.
import type { Command } from '../command.ts';
import { explainCommand } from './explain-command.ts';
import { replayCommand } from './replay-command.ts';
import { runCommand } from './run-command.ts';
import { demoCommand } from './demo-command.ts';
import { filtersCommand } from './filters-command.ts';
import { auditCommand } from './audit-command.ts';
import { configCommand } from './config-command.ts';
import { statusCommand } from './status-command.ts';

export const COMMANDS: readonly Command[] = [
  explainCommand,
  replayCommand,
  runCommand,
  statusCommand,
  demoCommand,
  filtersCommand,
  auditCommand,
  configCommand,
];
