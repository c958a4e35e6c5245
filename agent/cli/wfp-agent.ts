#!/usr/bin/env node
// Process entry: run the CLI, turn anything unexpected into one line on stderr and exit code 1.
import { processIo } from './command.ts';
import { main } from './main.ts';
import { redactSecrets } from '../shared/index.ts';

try {
  process.exitCode = await main(process.argv.slice(2), processIo());
} catch (error) {
  const e = error as Error;
  process.stderr.write(redactSecrets(`wfp-agent: unexpected error: ${e.message}\n`));
  if (process.env['WFP_AGENT_DEBUG'] === '1') process.stderr.write(redactSecrets(`${e.stack ?? ''}\n`));
  process.exitCode = 1;
}
