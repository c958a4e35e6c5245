// Decorators that see every export result. The SDK's forceFlush resolves even when the backend refused the
// data, so the sink learns what was really delivered here: records exported / failed and the last error.
import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter, ResourceMetrics, InstrumentType } from '@opentelemetry/sdk-metrics';

const SUCCESS = 0; // ExportResultCode.SUCCESS; a const enum in the SDK's types

/** Told about every failed export, e.g. to count it in a self-metric. */
export type OnExportFailure = (error: unknown) => void;

export interface ExportTally {
  /** Log records the backend accepted. */
  exported: number;
  /** Log records (or metric exports) whose export attempt failed (a resent record can fail more than once). */
  failed: number;
  /** Log records refused for good (HTTP 400/413): never sent again. */
  rejected: number;
  /**
   * Log records whose export failed for a reason that can pass (backend down, 5xx, 429, TLS or credentials
   * an admin must fix): the SDK forgets them, so they are kept here and sent again by `resendPending`.
   */
  pending: ReadableLogRecord[];
  /** Metric exports: how many succeeded / failed in total, and whether the latest one succeeded. */
  exports: number;
  lastOk: boolean;
  lastError: unknown;
  /** Set by the sink at shutdown after a failure: fail further exports at once instead of retrying into a dead backend. */
  giveUp: boolean;
  /** The URL this exporter sends to (null for the console), to look up the backend's last answer. */
  readonly url: string | null;
}

export function createTally(url: string | null = null): ExportTally {
  return { exported: 0, failed: 0, rejected: 0, pending: [], exports: 0, lastOk: true, lastError: null, giveUp: false, url };
}

const GAVE_UP: ExportResult = { code: 1, error: new Error('not sent: the backend was failing when the agent shut down') };

/** Count one export result: `count` items accepted or failed. */
function tallyResult(tally: ExportTally, result: ExportResult, count: number, onFailure: OnExportFailure): void {
  tally.exports += 1;
  if (result.code === SUCCESS) {
    tally.exported += count;
    tally.lastOk = true;
    return;
  }
  tally.failed += count;
  tally.lastOk = false;
  tally.lastError = result.error ?? new Error('export failed');
  onFailure(tally.lastError);
}

/** At most this many failed log records wait for a resend; past it the oldest count as rejected. */
export const MAX_PENDING_RECORDS = 65_536;

export interface ObservedLogExporter extends LogRecordExporter {
  /** Send the pending records again, in one export; resolves true when none are left pending. */
  resendPending(): Promise<boolean>;
}

export function observeLogExporter(inner: LogRecordExporter, tally: ExportTally, onFailure: OnExportFailure = () => {}): ObservedLogExporter {
  const keep = (logs: readonly ReadableLogRecord[], result: ExportResult): void => {
    if (result.code === SUCCESS) return;
    if (!classifyExportError(result.error).retryable) {
      tally.rejected += logs.length;
      return;
    }
    tally.pending.push(...logs);
    const over = tally.pending.length - MAX_PENDING_RECORDS;
    if (over > 0) {
      tally.pending.splice(0, over);
      tally.rejected += over;
    }
  };
  return {
    export(logs: ReadableLogRecord[], done: (result: ExportResult) => void) {
      inner.export(logs, (result) => {
        tallyResult(tally, result, logs.length, onFailure);
        keep(logs, result);
        done(result);
      });
    },
    resendPending(): Promise<boolean> {
      if (tally.pending.length === 0) return Promise.resolve(true);
      const batch = tally.pending;
      tally.pending = [];
      return new Promise((resolve) => {
        inner.export(batch, (result) => {
          tallyResult(tally, result, batch.length, onFailure);
          keep(batch, result);
          resolve(tally.pending.length === 0);
        });
      });
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
}

export function observeMetricExporter(inner: PushMetricExporter, tally: ExportTally, onFailure: OnExportFailure = () => {}): PushMetricExporter {
  const observed: PushMetricExporter = {
    export(metrics: ResourceMetrics, done: (result: ExportResult) => void) {
      if (tally.giveUp) {
        tallyResult(tally, GAVE_UP, 1, onFailure);
        done(GAVE_UP);
        return;
      }
      inner.export(metrics, (result) => {
        tallyResult(tally, result, 1, onFailure);
        done(result);
      });
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
  // The reader asks the exporter which temporality / aggregation it wants: pass the question through.
  if (inner.selectAggregationTemporality !== undefined) {
    const select = inner.selectAggregationTemporality.bind(inner);
    observed.selectAggregationTemporality = (t: InstrumentType) => select(t);
  }
  if (inner.selectAggregation !== undefined) {
    const select = inner.selectAggregation.bind(inner);
    observed.selectAggregation = (t: InstrumentType) => select(t);
  }
  return observed;
}

export interface ClassifiedError {
  readonly retryable: boolean;
  readonly message: string;
  /** Bounded value for the `error.type` metric attribute. */
  readonly type: ExportErrorType;
}

export type ExportErrorType = 'http_4xx' | 'http_5xx' | 'retries_exhausted' | 'network' | 'tls' | 'timeout' | 'other';

const TLS_CODE = /CERT|SELF_SIGNED|SSL|TLS|UNABLE_TO_(GET|VERIFY)/;

// Network failures that go away by themselves (the others, TLS among them, need an admin).
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH',
]);

/** Turn an SDK export error into one line and whether trying again later can help. */
export function classifyExportError(error: unknown): ClassifiedError {
  if (error === null || typeof error !== 'object') return { retryable: true, message: String(error), type: 'other' };
  const e = error as { message?: unknown; code?: unknown; data?: unknown; name?: unknown };
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(e.name ?? 'export failed');
  if (typeof e.code === 'number') {
    // OTLPExporterError from a non-retryable HTTP answer: the status code and the backend's own words.
    // "Retryable" here means "do not drop": the event log is the buffer, so only an answer about this very
    // payload (400 bad request, 413 too large) gives a batch up; 401/403/404/415 need an admin, and reading
    // waits for them instead of losing events.
    // The body is the backend's, so hostile at worst: one short line of it, no control characters.
    const body = typeof e.data === 'string' && e.data !== '' ? `: ${oneLine(e.data, MAX_BODY_CHARS)}` : '';
    const retryable = e.code !== 400 && e.code !== 413;
    return { retryable, message: `HTTP ${e.code} ${oneLine(message)}${body}`, type: e.code >= 500 ? 'http_5xx' : 'http_4xx' };
  }
  if (typeof e.code === 'string') {
    // Network failures pass by themselves; TLS failures need an admin. Neither is a reason to drop events.
    const type: ExportErrorType = RETRYABLE_CODES.has(e.code) ? 'network' : TLS_CODE.test(e.code) ? 'tls' : 'other';
    return { retryable: true, message: `${e.code}: ${oneLine(message)}`, type };
  }
  if (/retryable status/i.test(message)) {
    return {
      retryable: true,
      message: 'backend answered 429/502/503/504 on every retry until the export timeout (Retry-After honoured)',
      type: 'retries_exhausted',
    };
  }
  if (/timed? ?out/i.test(message)) return { retryable: true, message: `timeout: ${oneLine(message)}`, type: 'timeout' };
  return { retryable: true, message: oneLine(message), type: 'other' };
}

/** What is kept of a backend's answer body in an error (status file, stderr). */
const MAX_BODY_CHARS = 200;

/**
 * One line of at most `max` characters: runs of whitespace, control and format characters (terminal escape
 * sequences, CR/LF that would forge log lines, bidi overrides) become one space. Only the start of a long
 * text is looked at.
 */
function oneLine(s: string, max = MAX_BODY_CHARS): string {
  const line = s.slice(0, 4 * max).replace(/[\s\p{Cc}\p{Cf}]+/gu, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}
