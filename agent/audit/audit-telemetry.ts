// What the audit stage tells the backends: a gauge per managed subcategory (desired and current Setting
// Value), a drift gauge, a counter of corrections, and one log record per drift found and per change made.
// Providers are injected; by default the global ones, so this module never owns an SDK.
import { metrics } from '@opentelemetry/api';
import type { Counter, Gauge, MeterProvider } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import type { Logger, LoggerProvider } from '@opentelemetry/api-logs';
import { AGENT_VERSION } from '../shared/index.ts';
import { settingValue } from './audit-setting.ts';
import type { DriftRow } from './drift.ts';
import type { Subcategory } from '../shared/index.ts';

export const AUDIT_SCOPE = 'wfp-block-agent.audit';

export type AuditEventName =
  | 'wfp.audit.drift'
  | 'wfp.audit.change'
  | 'wfp.audit.gpo_managed'
  | 'wfp.audit.security_log'
  | 'wfp.audit.error';

export interface AuditLogEvent {
  readonly name: AuditEventName;
  readonly severity: 'info' | 'warn' | 'error';
  /** A capitalized sentence ending with a period. */
  readonly message: string;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

export interface AuditTelemetry {
  recordState(rows: readonly DriftRow[]): void;
  recordCorrection(subcategory: Subcategory): void;
  log(event: AuditLogEvent): void;
}

export interface AuditTelemetryOptions {
  readonly meterProvider?: MeterProvider;
  readonly loggerProvider?: LoggerProvider;
}

const SEVERITY = {
  info: [SeverityNumber.INFO, 'INFO'],
  warn: [SeverityNumber.WARN, 'WARN'],
  error: [SeverityNumber.ERROR, 'ERROR'],
} as const;

/** The 4719 record's attribute names (agent/README.md "Record contract"), GUID lower-case as there, so both join. */
export function subcategoryAttributes(sub: Subcategory): Record<string, string> {
  return { 'windows.audit.subcategory.name': sub.name, 'windows.audit.subcategory.guid': sub.guid.toLowerCase() };
}

export function createAuditTelemetry(options: AuditTelemetryOptions = {}): AuditTelemetry {
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(AUDIT_SCOPE, AGENT_VERSION);
  const logger: Logger = (options.loggerProvider ?? logs.getLoggerProvider()).getLogger(AUDIT_SCOPE, AGENT_VERSION);
  const setting: Gauge = meter.createGauge('wfp.audit.subcategory.setting', {
    description: 'Audit Setting Value of a managed subcategory (0 none, 1 success, 2 failure, 3 both), desired and current.',
  });
  const drift: Gauge = meter.createGauge('wfp.audit.subcategory.drift', {
    description: '1 when a managed subcategory differs from the desired state (or is missing), else 0.',
  });
  const corrections: Counter = meter.createCounter('wfp.audit.corrections', {
    description: 'Subcategory settings the agent re-applied because they had drifted.',
  });

  return {
    recordState(rows) {
      for (const row of rows) {
        const attrs = subcategoryAttributes(row.subcategory);
        if (row.target !== null) setting.record(settingValue(row.target), { ...attrs, 'wfp.audit.setting.source': 'desired' });
        if (row.current !== null) setting.record(settingValue(row.current), { ...attrs, 'wfp.audit.setting.source': 'current' });
        drift.record(row.state === 'in-sync' ? 0 : 1, attrs);
      }
    },
    recordCorrection(sub) {
      corrections.add(1, subcategoryAttributes(sub));
    },
    log(event) {
      const [severityNumber, severityText] = SEVERITY[event.severity];
      logger.emit({ eventName: event.name, severityNumber, severityText, body: event.message, attributes: { ...event.attributes } });
    },
  };
}
