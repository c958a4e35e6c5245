// The Windows service's state from `sc query wfp-block-agent`, through the command runner. The state words
// (RUNNING, STOPPED, ...) and the numbers are the same on every display language; the labels around them
// (STATE / STATUS / ÉTAT) are not, so only the number-and-word pair is read.
import type { CommandRunner } from '../audit/index.ts';

export const SERVICE_NAME = 'wfp-block-agent';

export type ServiceState =
  | { readonly kind: 'state'; readonly state: string; readonly code: number }
  | { readonly kind: 'not-installed' }
  /** detail '': not asked (not Windows). */
  | { readonly kind: 'unknown'; readonly detail: string };

const STATES = 'STOPPED|START_PENDING|STOP_PENDING|RUNNING|CONTINUE_PENDING|PAUSE_PENDING|PAUSED';
const STATE_LINE = new RegExp(`:\\s*([1-7])\\s+(${STATES})\\b`);

/** `sc query` exit code and output → the state. 1060: the service does not exist. */
export function parseScQuery(code: number | null, stdout: string): ServiceState {
  if (code === 1060 || /\b1060\b/.test(stdout)) return { kind: 'not-installed' };
  const m = STATE_LINE.exec(stdout);
  if (m !== null) return { kind: 'state', state: m[2]!, code: Number(m[1]) };
  const first = stdout.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
  return { kind: 'unknown', detail: `sc query exited ${code ?? 'without a code'}${first === '' ? '' : `: ${first}`}` };
}

export async function queryServiceState(runner: CommandRunner, systemRoot: string): Promise<ServiceState> {
  const outcome = await runner.run(`${systemRoot}\\System32\\sc.exe`, ['query', SERVICE_NAME], { timeoutMs: 10_000 });
  if (outcome.code === null && outcome.stdout === '') return { kind: 'unknown', detail: outcome.stderr.trim() || 'sc.exe did not run' };
  return parseScQuery(outcome.code, outcome.stdout);
}
