#!/usr/bin/env node
// Process entry: run the CLI, turn anything unexpected into one line on stderr and exit code 1. Every byte
// the process prints goes through the one redacting io made here (agent/shared/secrets.ts).
import { processIo, redactingIo } from './command.ts';
import { main } from './main.ts';

const io = redactingIo(processIo());

function reportUnexpected(error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(error));
  io.stderr(`wfp-agent: unexpected error: ${e.message}\n`);
  if (process.env['WFP_AGENT_DEBUG'] === '1') io.stderr(`${e.stack ?? ''}\n`);
}

// Node's own report of an uncaught error (a throw in a timer or callback, an unhandled rejection) would print
// its message and stack unredacted: the same redacted line instead, and the same exit code Node uses.
process.on('uncaughtException', (error) => {
  try {
    reportUnexpected(error);
  } finally {
    process.exit(1);
  }
});

try {
  process.exitCode = await main(process.argv.slice(2), io);
} catch (error) {
  reportUnexpected(error);
  process.exitCode = 1;
}
