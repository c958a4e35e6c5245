// `wfp-agent status`'s verdict: healthy (0), degraded (1) or failing (2), with one reason line each, from the
// status document, the service state and the clock. Pure; the thresholds are the documented ones
// (deploy/README.md "Agent status").
import type { AgentStatusDocument } from './status-document.ts';
import type { ServiceState } from './service-state.ts';

export type Health = 'healthy' | 'degraded' | 'failing';

export interface Assessment {
  readonly health: Health;
  /** Why not healthy, worst first. */
  readonly reasons: readonly string[];
}

/** Exports failing longer than this make the agent failing (shorter: degraded, the pump is retrying). */
export const EXPORT_FAILING_AFTER_S = 15 * 60;
/** A possible loss within this window degrades the status. */
export const LOSS_WINDOW_S = 24 * 3600;
/** Events leaving the agent later than this after they happened degrade it. */
export const LAG_DEGRADED_S = 300;
/** A status file not rewritten for this many write intervals means the agent is not running (or hung). */
export const STALE_INTERVALS = 3;

export function assessStatus(doc: AgentStatusDocument | null, service: ServiceState, nowMs: number, docProblem = ''): Assessment {
  const failing: string[] = [];
  const degraded: string[] = [];
  const age = (iso: string | null): number => (iso === null ? Infinity : (nowMs - Date.parse(iso)) / 1000);

  if (service.kind === 'not-installed') failing.push('The service wfp-block-agent is not installed.');
  else if (service.kind === 'state' && service.state !== 'RUNNING') failing.push(`The service wfp-block-agent is ${service.state}.`);
  else if (service.kind === 'unknown' && service.detail !== '') degraded.push(`Service state unknown: ${service.detail}`);

  if (doc === null) {
    failing.push(`No agent status: ${docProblem || 'status.json missing'}.`);
    return verdict(failing, degraded);
  }
  if (doc.stopped_at !== null) failing.push(`The agent stopped at ${doc.stopped_at}.`);
  else if (age(doc.updated_at) > STALE_INTERVALS * Math.max(1, doc.write_interval_s)) {
    failing.push(`The agent has not updated its status since ${doc.updated_at} (it writes every ${doc.write_interval_s} s): not running or hung.`);
  }

  const ex = doc.export;
  if (ex.failing_since !== null) {
    const answer = ex.last_error === null ? '' : ` Last answer: ${ex.last_error}`;
    const line = `Exports failing since ${ex.failing_since} (last success ${ex.last_success_at ?? 'never'}).${answer}`;
    (age(ex.failing_since) > EXPORT_FAILING_AFTER_S ? failing : degraded).push(line);
  }
  if (ex.events_dropped > 0) degraded.push(`${ex.events_dropped} events were dropped (rejected by the backend for good).`);

  const recentLoss = doc.loss.filter((l) => age(l.at) <= LOSS_WINDOW_S);
  for (const l of recentLoss) {
    degraded.push(`Possible loss (${l.reason}${l.possibly_lost === null ? '' : `, up to ${l.possibly_lost} records`}) at ${l.at}: ${l.detail}`);
  }
  if (doc.lag.seconds !== null && doc.lag.seconds > LAG_DEGRADED_S) degraded.push(`Lag: events leave the agent ${doc.lag.seconds} s after they happen.`);

  if (doc.audit !== null) {
    if (doc.audit.drift.length > 0) degraded.push(`Audit policy drift (${doc.audit.mode}): ${doc.audit.drift.join('; ')}.`);
    for (const e of doc.audit.errors) degraded.push(`Audit: ${e}`);
  }
  const f = doc.filters;
  if (f !== null) {
    if (f.snapshot_at === null) degraded.push('No filter snapshot yet: blocks are not attributed to rules.');
    else if (f.refresh_interval_s > 0 && age(f.snapshot_at) > 2 * f.refresh_interval_s + 60) {
      degraded.push(`Filter catalog from ${f.snapshot_at}, older than twice its refresh interval (${f.refresh_interval_s} s).`);
    }
  }
  return verdict(failing, degraded);
}

function verdict(failing: readonly string[], degraded: readonly string[]): Assessment {
  const health: Health = failing.length > 0 ? 'failing' : degraded.length > 0 ? 'degraded' : 'healthy';
  return { health, reasons: [...failing, ...degraded] };
}

export function exitCodeFor(health: Health): number {
  return health === 'healthy' ? 0 : health === 'degraded' ? 1 : 2;
}
