// The running agent's status file (`<state_dir>/status.json`, read by `wfp-agent status`): the tracker the
// run command feeds, and the writer that keeps the file current. Kept out of run-command.ts.
import { nodeCheckpointFs } from '../checkpoint/index.ts';
import type { CatalogStatus } from '../enrich/index.ts';
import { AGENT_VERSION, redactSecrets, statePath } from '../shared/index.ts';
import { createStatusTracker, createStatusWriter, STATUS_FILE } from '../status/index.ts';
import type { StatusTracker, StatusWriter } from '../status/index.ts';

/** How often the file is rewritten when nothing changes (changes are written at once). */
export const STATUS_WRITE_INTERVAL_S = 30;

export interface RunStatusOptions {
  readonly stateDir: string;
  /** `--config` as given; undefined: the bundled defaults. */
  readonly configFile: string | undefined;
  readonly catalog?: (() => { readonly status: CatalogStatus; readonly refreshIntervalS: number }) | undefined;
  readonly say: (line: string) => void;
  readonly configOrigins?: Readonly<Record<string, number>>;
}

export interface RunStatus {
  readonly tracker: StatusTracker;
  readonly writer: StatusWriter;
}

export function startRunStatus(options: RunStatusOptions): RunStatus {
  const catalog = options.catalog;
  const tracker = createStatusTracker({
    version: AGENT_VERSION,
    pid: process.pid,
    configFile: options.configFile ?? '(bundled defaults)',
    writeIntervalS: STATUS_WRITE_INTERVAL_S,
    ...(options.configOrigins === undefined ? {} : { configOrigins: options.configOrigins }),
    ...(catalog === undefined ? {} : { catalog: () => catalog() }),
  });
  const writer = createStatusWriter({
    tracker,
    path: statePath(options.stateDir, STATUS_FILE),
    writeAtomic: (path, text) => nodeCheckpointFs.writeAtomic(path, text),
    intervalMs: STATUS_WRITE_INTERVAL_S * 1000,
    redact: redactSecrets,
    onError: options.say,
  });
  return { tracker, writer };
}
