// `wfp-agent status [--json]`: is the agent on this machine healthy? The service state (sc query), and what
// the running agent last wrote to <state_dir>/status.json: version, config, exports, lag, loss, audit drift,
// filter catalog age. Exit 0 healthy, 1 degraded, 2 failing (the fleet scripts in deploy/ use these).
import { existsSync, readFileSync } from 'node:fs';
import { win32 } from 'node:path';
import type { CommandRunner } from '../../audit/index.ts';
import { createExecFileRunner } from '../../audit/index.ts';
import { resolveStateDir, statePath } from '../../shared/index.ts';
import { assessStatus, exitCodeFor, parseStatusDocument, queryServiceState, STATUS_FILE } from '../../status/index.ts';
import type { AgentStatusDocument, Assessment, ServiceState } from '../../status/index.ts';
import type { CliIo, Command } from '../command.ts';
import { EXIT_USAGE } from '../command.ts';
import { flag, parseOptions, stringOption } from '../parse-options.ts';
import { loadCliConfig } from '../load-cli-config.ts';

const HELP = `Usage: wfp-agent status [--json] [--config FILE] [--state-dir DIR]

Show whether the agent on this machine is healthy: the service state (sc query wfp-block-agent), its
version, configuration and where each setting came from, the last export success and failure (with the
backend's answer), lag, possible loss, audit-policy drift and the filter catalog's age. The running agent
writes these to <state_dir>/status.json every 30 s and at once on a change.

Options:
  --json            Print the verdict, the reasons and the whole status document as JSON.
  --config FILE     The agent's configuration, for its state_dir. Default on Windows:
                    %ProgramData%\\wfp-block-agent\\agent.yaml when it exists; else the bundled one.
  --state-dir DIR   Read DIR\\status.json instead of the configuration's state_dir.
  -h, --help        Show this help.

Exit codes: 0 healthy, 1 degraded (running, but something needs a look), 2 failing (service stopped or
missing, no or stale status, exports failing for over 15 minutes), also for a usage error.
`;

export interface StatusCommandDeps {
  readonly platform?: NodeJS.Platform;
  /** Runs sc.exe; default: the real one on Windows, none elsewhere (service state then unknown). */
  readonly runner?: CommandRunner;
  readonly now?: () => number;
}

export function createStatusCommand(deps: StatusCommandDeps = {}): Command {
  const platform = deps.platform ?? process.platform;
  return {
    name: 'status',
    summary: "Show the health of this machine's agent (service, exports, lag, loss, audit, filters).",
    help: HELP,
    async run(args, io) {
      const parsed = parseOptions(args, { json: { type: 'boolean' }, config: { type: 'string' }, 'state-dir': { type: 'string' } });
      if (!parsed.ok || parsed.parsed.positionals.length > 0) {
        io.stderr(`wfp-agent status: ${parsed.ok ? 'takes no FILE' : parsed.message}. See wfp-agent status --help.\n`);
        return EXIT_USAGE;
      }
      const stateDir = stateDirFor(stringOption(parsed.parsed, 'state-dir'), stringOption(parsed.parsed, 'config'), platform, io);
      if (stateDir === null) return EXIT_USAGE;
      const file = statePath(stateDir, STATUS_FILE);
      const read = readStatus(file);
      const runner = deps.runner ?? (platform === 'win32' ? createExecFileRunner() : undefined);
      const systemRoot = io.env['SystemRoot'] ?? io.env['SYSTEMROOT'] ?? 'C:\\Windows';
      const service: ServiceState = runner === undefined ? { kind: 'unknown', detail: '' } : await queryServiceState(runner, systemRoot);
      const assessment = assessStatus(read.doc, service, (deps.now ?? Date.now)(), read.problem);
      if (flag(parsed.parsed, 'json')) {
        io.stdout(`${JSON.stringify({ health: assessment.health, reasons: assessment.reasons, service, status_file: file, status: read.doc }, null, 2)}\n`);
      } else {
        io.stdout(formatStatus(assessment, service, file, read.doc, (deps.now ?? Date.now)()));
      }
      return exitCodeFor(assessment.health);
    },
  };
}

function stateDirFor(override: string | undefined, configPath: string | undefined, platform: NodeJS.Platform, io: CliIo): string | null {
  const context = { platform, env: io.env, cwd: io.cwd };
  if (override !== undefined) return resolveStateDir(override, context);
  let path = configPath;
  if (path === undefined && platform === 'win32') {
    const installed = win32.join(io.env['ProgramData'] ?? io.env['PROGRAMDATA'] ?? 'C:\\ProgramData', 'wfp-block-agent', 'agent.yaml');
    if (existsSync(installed)) path = installed;
  }
  const config = loadCliConfig(path, io);
  return config === null ? null : resolveStateDir(config.state_dir, context);
}

function readStatus(file: string): { doc: AgentStatusDocument | null; problem: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { doc: null, problem: code === 'ENOENT' ? `${file} does not exist (the agent has not run here)` : `${file} unreadable (${code ?? 'error'})` };
  }
  const parsed = parseStatusDocument(text);
  return parsed.ok ? { doc: parsed.value, problem: '' } : { doc: null, problem: `${file}: ${parsed.error}` };
}

function formatStatus(a: Assessment, service: ServiceState, file: string, doc: AgentStatusDocument | null, now: number): string {
  const rows: [string, string][] = [
    ['Service', service.kind === 'state' ? service.state : service.kind === 'not-installed' ? 'not installed' : `unknown${service.detail === '' ? ' (not Windows)' : ''}`],
  ];
  if (doc !== null) {
    const ago = (iso: string | null): string => (iso === null ? 'never' : `${iso} (${humanAge(now - Date.parse(iso))} ago)`);
    const origins = Object.entries(doc.config.origins).map(([k, n]) => `${k} ${n}`).join(', ');
    const ex = doc.export;
    const loss = doc.loss.length === 0 ? 'none reported' : doc.loss.map((l) => `${l.reason} at ${l.at}`).join('; ');
    rows.push(
      ['Version', `${doc.version} (pid ${doc.pid}, started ${doc.started_at})`],
      ['Config', `${doc.config.file}${origins === '' ? '' : ` (keys by origin: ${origins})`}`],
      ['Last export', `success ${ago(ex.last_success_at)}`],
      ['Last failure', ex.last_failure_at === null ? 'none' : `${ago(ex.last_failure_at)}: ${ex.last_error ?? ''}`],
      ['Lag', `${doc.lag.seconds === null ? '-' : `${doc.lag.seconds} s`}, ${doc.lag.records_behind === null ? '-' : doc.lag.records_behind} records behind`],
      ['Possible loss', loss],
      ['Audit policy', doc.audit === null ? 'not checked (mode off, or no check yet)' : doc.audit.drift.length === 0 ? `as configured (${doc.audit.mode}, checked ${doc.audit.checked_at})` : `${doc.audit.drift.length} subcategories differ (${doc.audit.mode})`],
      ['Filter catalog', doc.filters === null ? 'not live (recorded snapshot or off)' : doc.filters.snapshot_at === null ? 'no snapshot yet' : `${doc.filters.filters} filters, snapshot ${ago(doc.filters.snapshot_at)}`],
      ['Status file', `${file}, updated ${ago(doc.updated_at)}`],
    );
  } else rows.push(['Status file', file]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [`wfp-block-agent: ${a.health}`, ...rows.map(([k, v]) => `  ${`${k}:`.padEnd(width + 1)} ${v}`)];
  if (a.reasons.length > 0) lines.push('', ...a.reasons.map((r) => `  - ${r}`));
  return `${lines.join('\n')}\n`;
}

function humanAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

export const statusCommand: Command = createStatusCommand();
