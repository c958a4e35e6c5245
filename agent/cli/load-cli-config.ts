// Load the configuration for a command; a bad one is reported on stderr and the command exits 2.
import { ConfigError, loadLocalConfig } from '../config/index.ts';
import type { AgentConfig } from '../config/index.ts';
import type { CliIo } from './command.ts';

export function loadCliConfig(path: string | undefined, io: CliIo): AgentConfig | null {
  try {
    return loadLocalConfig(path, (n) => io.env[n]);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return null;
    }
    throw error;
  }
}
