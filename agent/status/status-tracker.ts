// Collects what `wfp-agent status` reports while the agent runs: fed by the pump's sink (flush results), the
// source's observer (loss, newest record), the pipeline (event times) and the audit governor's reports.
// No I/O: the writer turns `document()` into the file; `onChange` tells it something worth writing happened.
import type { CheckReport } from '../audit/index.ts';
import type { CatalogStatus } from '../enrich/index.ts';
import type { FlushResult, TelemetrySink } from '../export/index.ts';
import type { PipelineOutcome } from '../pipeline/index.ts';
import type { SourceEvent } from '../source/index.ts';
import type { AgentStatusDocument, AuditStatus, LossReport } from './status-document.ts';
import { STATUS_SCHEMA } from './status-document.ts';

export interface StatusTrackerOptions {
  readonly version: string;
  readonly pid: number;
  readonly configFile: string;
  /** Keys by origin (`policy`, `file`, `install`, `default`, `env`), from `config print`'s resolution. */
  readonly configOrigins?: Readonly<Record<string, number>>;
  readonly writeIntervalS: number;
  readonly now?: () => number;
  /** The live catalog's state at write time; null when the catalog is not live. */
  readonly catalog?: () => { readonly status: CatalogStatus; readonly refreshIntervalS: number } | null;
}

export interface StatusTracker {
  /** The sink the pump uses: the same one, with every flush result noted. */
  observeSink(sink: TelemetrySink): TelemetrySink;
  sourceEvent(event: SourceEvent): void;
  /** Every pipeline outcome (event times for the lag, record ids for records behind). */
  processed(outcome: PipelineOutcome): void;
  auditReport(report: CheckReport): void;
  setConfigOrigins(origins: Readonly<Record<string, number>>): void;
  stopped(): void;
  document(): AgentStatusDocument;
  /** Called after a change a reader should see soon (export state flipped, loss, drift). */
  onChange(listener: () => void): void;
}

const MAX_LOSS_REPORTS = 5;

export function createStatusTracker(options: StatusTrackerOptions): StatusTracker {
  const now = options.now ?? Date.now;
  const iso = (ms: number): string => new Date(ms).toISOString();
  const startedAt = iso(now());
  let configOrigins = options.configOrigins ?? {};
  let lastSuccess: string | null = null;
  let lastFailure: string | null = null;
  let lastError: string | null = null;
  let failingSince: string | null = null;
  let exported = 0;
  let dropped = 0;
  let pending = 0;
  let pendingNewestTime: string | null = null;
  let pendingNewestRecord: number | null = null;
  let lagSeconds: number | null = null;
  let lastExportedRecord: number | null = null;
  let newestRecord: number | null = null;
  let stoppedAt: string | null = null;
  let audit: AuditStatus | null = null;
  const loss: LossReport[] = [];
  const listeners: (() => void)[] = [];
  const changed = (): void => {
    for (const l of listeners) l();
  };

  const noteFlush = (result: FlushResult): void => {
    const at = now();
    if (result.ok) {
      const wasFailing = failingSince !== null;
      lastSuccess = iso(at);
      failingSince = null;
      exported += pending;
      if (pendingNewestTime !== null) {
        const eventMs = Date.parse(pendingNewestTime);
        if (!Number.isNaN(eventMs)) lagSeconds = Math.max(0, Math.round((at - eventMs) / 1000));
      }
      if (pendingNewestRecord !== null) lastExportedRecord = pendingNewestRecord;
      pending = 0;
      pendingNewestTime = null;
      if (wasFailing) changed();
      return;
    }
    lastFailure = iso(at);
    lastError = result.error;
    if (failingSince === null) {
      failingSince = lastFailure;
      changed();
    }
    if (!result.retryable) {
      dropped += pending;
      pending = 0;
      pendingNewestTime = null;
    }
  };

  return {
    observeSink(sink) {
      return {
        emit: (event, enrichment, record) => sink.emit(event, enrichment, record),
        emitRecord: (record) => sink.emitRecord(record),
        async flush(what) {
          const result = await sink.flush(what);
          noteFlush(result);
          return result;
        },
        shutdown: () => sink.shutdown(),
      };
    },
    sourceEvent(event) {
      if (event.kind === 'newest-record') newestRecord = event.recordId;
      if (event.kind === 'possible-loss') {
        loss.push({ at: iso(now()), reason: event.reason, possibly_lost: event.possiblyLost, detail: event.detail });
        if (loss.length > MAX_LOSS_REPORTS) loss.shift();
        changed();
      }
      if (event.kind === 'log-cleared') {
        loss.push({ at: iso(now()), reason: 'cleared', possibly_lost: null, detail: `The Security log was cleared while the agent ran (1102, record ${event.recordId}).` });
        if (loss.length > MAX_LOSS_REPORTS) loss.shift();
        changed();
      }
    },
    processed(outcome) {
      if (!outcome.ok) return;
      pending++;
      const raw = outcome.value.event.raw;
      if (raw.time !== '' && (pendingNewestTime === null || raw.time > pendingNewestTime)) pendingNewestTime = raw.time;
      if (raw.recordId !== null) {
        pendingNewestRecord = Math.max(pendingNewestRecord ?? 0, raw.recordId);
        if (newestRecord === null || raw.recordId > newestRecord) newestRecord = raw.recordId;
      }
    },
    auditReport(report) {
      const rows = report.after ?? report.rows;
      const drift = rows.filter((r) => r.state !== 'in-sync').map((r) => `${r.subcategory.name} ${r.subcategory.guid}: ${r.state}`);
      const before = JSON.stringify(audit?.drift ?? []) + JSON.stringify(audit?.errors ?? []);
      audit = { mode: report.mode, checked_at: iso(now()), drift, gpo_managed: report.gpo?.managed ?? null, errors: [...report.errors] };
      if (JSON.stringify(drift) + JSON.stringify(audit.errors) !== before) changed();
    },
    setConfigOrigins(origins) {
      configOrigins = origins;
      changed();
    },
    stopped() {
      stoppedAt = iso(now());
      changed();
    },
    document() {
      const catalog = options.catalog?.() ?? null;
      return {
        schema: STATUS_SCHEMA,
        version: options.version,
        pid: options.pid,
        started_at: startedAt,
        updated_at: iso(now()),
        write_interval_s: options.writeIntervalS,
        stopped_at: stoppedAt,
        config: { file: options.configFile, origins: configOrigins },
        export: {
          last_success_at: lastSuccess,
          last_failure_at: lastFailure,
          last_error: lastError,
          failing_since: failingSince,
          events_acknowledged: exported,
          events_dropped: dropped,
        },
        lag: {
          seconds: lagSeconds,
          records_behind: newestRecord === null || lastExportedRecord === null ? null : Math.max(0, newestRecord - lastExportedRecord),
        },
        loss: [...loss],
        audit,
        filters:
          catalog === null
            ? null
            : {
                snapshot_at: catalog.status.snapshotAt === null ? null : iso(catalog.status.snapshotAt),
                source: catalog.status.snapshotSource,
                filters: catalog.status.size,
                refresh_interval_s: catalog.refreshIntervalS,
              },
      };
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
