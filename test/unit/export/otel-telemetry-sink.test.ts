import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { LoggerProvider as ApiLogsLoggerProvider } from '@opentelemetry/api-logs';
import { logs as apiLogs } from '@opentelemetry/api-logs';
import { logs, metrics } from '@opentelemetry/api';
import { parseConfig } from '../../../agent/config/index.ts';
import { createBasicEnricher } from '../../../agent/enrich/index.ts';
import { createEventPipeline } from '../../../agent/pipeline/index.ts';
import type { ProcessedEvent } from '../../../agent/pipeline/index.ts';
import { loadReplayFile } from '../../../agent/source/index.ts';
import { msDocsFiles, otrfFiles } from '../../helpers/fixtures.ts';
import { EventLogRecord, classifyExportError, createOtelTelemetrySink, hrNow, parseRfc3339 } from '../../../agent/export/index.ts';
import { parseRetryAfter } from '../../../agent/export/http-response-observer.ts';

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
const RESOURCE = resourceFromAttributes({ 'service.name': 'wfp-block-agent' });

function processed(yaml: string, files: readonly string[]): ProcessedEvent[] {
  const config = parseConfig(yaml, { file: 't', env: () => undefined });
  const pipeline = createEventPipeline(config, { enricher: createBasicEnricher() });
  const out: ProcessedEvent[] = [];
  for (const f of files) {
    for (const item of loadReplayFile(`${FIXTURES}${f}`).items) {
      const r = pipeline.process(item);
      if (r.ok && r.value.disposition !== 'not-collected') out.push(r.value);
    }
  }
  return out;
}

describe('createOtelTelemetrySink', () => {
  it('serves the overflow series as otel_metric_overflow="true" on the pull endpoint, alertable', async () => {
    const yaml = 'exporters:\n  otlp: {enabled: false}\n  prometheus: {enabled: true, port: 0}\nmetrics: {app_cardinality_limit: 1}\n';
    const config = parseConfig(yaml, { file: 't', env: () => undefined });
    const created = await createOtelTelemetrySink({ config, env: () => undefined, resource: RESOURCE });
    assert.ok(created.ok);
    const sink = created.value;
    try {
      // 5031: listener.exe (docs) then excel.exe ×4 (OTRF): with a limit of 1, excel.exe overflows.
      for (const p of processed('', ['ms-docs/event-5031.xml', 'otrf/covenant_dcom_registerxll_2020-09-18145959.wfp-subset.jsonl'])) {
        sink.emit(p.event, p.enrichment, null);
      }
      assert.deepEqual(await sink.flush(), { ok: true });
      const text = await (await fetch(sink.prometheusUrl ?? '')).text();
      assert.match(text, /^wfp_app_blocks_total\{wfp_firewall_profiles="Domain",process_executable_name="listener\.exe",.*\} 1$/m);
      assert.match(text, /^wfp_app_blocks_total\{otel_metric_overflow="true",.*\} 4$/m);
      assert.doesNotMatch(text, /excel\.exe/);
    } finally {
      await sink.shutdown();
      await sink.shutdown(); // idempotent
    }
  });

  it('writes log records and metric series to the console writer, and counts events without a record', async () => {
    let out = '';
    const yaml = 'exporters:\n  otlp: {enabled: false}\n  console: {enabled: true}\nevents: {packet_drops: count}\n';
    const config = parseConfig(yaml, { file: 't', env: () => undefined });
    const created = await createOtelTelemetrySink({ config, env: () => undefined, write: (t) => void (out += t), resource: RESOURCE });
    assert.ok(created.ok);
    const sink = created.value;
    const events = processed(yaml, ['ms-docs/event-5157.xml', 'ms-docs/event-5152.xml']);
    for (const p of events) sink.emit(p.event, p.enrichment, p.disposition === 'logged' ? p.record : null);
    assert.deepEqual(await sink.flush(), { ok: true });
    await sink.shutdown();
    assert.deepEqual(sink.stats(), { events: 2, logRecords: 1, exported: 1, failed: 0, dropped: 0, metricExportsFailed: 0, lastError: null });
    const logs = out.split('\n').filter((l) => l.startsWith('log '));
    assert.deepEqual(logs.length, 1);
    assert.match(logs[0]!, /^log 2015-09-22T03:46:51\.662750400Z WARN wfp\.connection\.blocked "Blocked inbound TCP/);
    assert.match(out, /^metric wfp\.packet\.drops\{.*process\.executable\.name="listener\.exe".*\} 1$/m);
    assert.equal(out.match(/^metric wfp\.connection\.blocks/gm)?.length, 1, 'printed once, not again at shutdown');
  });

  it('lends its providers to other emitters (e.g. the audit work, which takes an api-logs LoggerProvider)', async () => {
    let out = '';
    const config = parseConfig('exporters:\n  otlp: {enabled: false}\n  console: {enabled: true}\n', { file: 't', env: () => undefined });
    const created = await createOtelTelemetrySink({ config, env: () => undefined, write: (t) => void (out += t), resource: RESOURCE });
    assert.ok(created.ok);
    const sink = created.value;
    const forAudit: ApiLogsLoggerProvider = sink.loggerProvider; // compile-time check that the types fit
    forAudit.getLogger('audit').emit({ eventName: 'windows.audit_policy.drift', severityText: 'WARN', body: 'drift found' });
    sink.meterProvider.getMeter('audit').createCounter('audit.drifts').add(2);
    assert.deepEqual(await sink.flush(), { ok: true });
    await sink.shutdown();
    assert.match(out, /^log \S+Z WARN windows\.audit_policy\.drift "drift found" \{\}$/m);
    assert.match(out, /^metric audit\.drifts\{\} 2$/m);
  });

  it('with registerGlobals, any module emits through the global APIs (api and api-logs) until shutdown', async () => {
    let out = '';
    const config = parseConfig('exporters:\n  otlp: {enabled: false}\n  console: {enabled: true}\n', { file: 't', env: () => undefined });
    const created = await createOtelTelemetrySink({ config, env: () => undefined, write: (t) => void (out += t), resource: RESOURCE, registerGlobals: true });
    assert.ok(created.ok);
    const sink = created.value;
    logs.getLogger('pump').emit({ eventName: 'wfp.agent.behind', body: 'api' });
    apiLogs.getLogger('audit').emit({ eventName: 'windows.audit_policy.drift', body: 'api-logs' });
    metrics.getMeter('pump').createCounter('wfp.agent.batches').add(3);
    assert.deepEqual(await sink.flush(), { ok: true });
    await sink.shutdown();
    assert.match(out, /^log \S+ +wfp\.agent\.behind "api" \{\}$/m);
    assert.match(out, /^log \S+ +windows\.audit_policy\.drift "api-logs" \{\}$/m);
    assert.match(out, /^metric wfp\.agent\.batches\{\} 3$/m);
    assert.notEqual(metrics.getMeterProvider(), sink.meterProvider, 'unregistered at shutdown');
  });

  it('refuses an unreadable client key with one line naming the file', async () => {
    const config = parseConfig('exporters:\n  otlp:\n    tls: {client_certificate_file: /nope/c.pem, client_key_file: /nope/k.pem}\n    metrics: false\n', {
      file: 't',
      env: () => undefined,
    });
    const created = await createOtelTelemetrySink({ config, env: () => undefined, resource: RESOURCE });
    assert.deepEqual(created, { ok: false, problems: ['exporters.otlp (logs): cannot read the client certificate /nope/c.pem (ENOENT)'] });
  });
});

describe('parseRfc3339 / EventLogRecord', () => {
  it('keeps 7 and 9 fraction digits exactly and reads offsets', () => {
    assert.deepEqual(parseRfc3339('2015-09-22T03:46:51.6627504Z'), [1442893611, 662750400]);
    assert.deepEqual(parseRfc3339('2019-02-13T18:01:01.123456789Z'), [1550080861, 123456789]);
    assert.deepEqual(parseRfc3339('2023-08-15T05:33:55Z'), [1692077635, 0]);
    assert.deepEqual(parseRfc3339('2023-08-15T07:33:55.5+02:00'), [1692077635, 500000000]);
    assert.equal(parseRfc3339(''), null);
    assert.equal(parseRfc3339('15/08/2023'), null);
  });

  it('reads every form exactly as Date.parse and the fraction digits would (fast UTC path and general path alike)', () => {
    // The reference: the fraction read as text, the rest by Date.parse (what the reader did before its fast path).
    const reference = (text: string): [number, number] | null => {
      const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
      const ms = m === null ? NaN : Date.parse(`${m[1]}${m[3]}`);
      return m === null || Number.isNaN(ms) ? null : [Math.floor(ms / 1000), Number((m[2] ?? '').padEnd(9, '0'))];
    };
    const config = parseConfig('events: {include_allowed: true}\n', { file: 't', env: () => undefined });
    const pipeline = createEventPipeline(config, { enricher: createBasicEnricher() });
    const times = [...msDocsFiles(), ...otrfFiles()].flatMap((f) =>
      loadReplayFile(f).items.flatMap((item) => {
        const r = pipeline.process(item);
        return r.ok && r.value.disposition !== 'not-collected' ? [r.value.record.timestamp] : [];
      }),
    );
    assert.ok(times.length > 1000, `only ${times.length} bundled event times`);
    const edges = [
      '2023-08-15T05:33:55.1Z', '2023-08-15T05:33:55.123456789Z', '2023-08-15T05:33:55.1234567890Z', '2023-08-15T05:33:55.Z',
      '2023-02-30T00:00:00Z', '2024-02-29T23:59:59Z', '2023-01-01T24:00:00Z', '2016-12-31T23:59:60Z', '2023-13-01T00:00:00Z',
      '0000-01-01T00:00:00Z', '0099-12-31T23:59:59Z', '0100-01-01T00:00:00Z', '1969-12-31T23:59:59.999Z',
      '2023-08-15 05:33:55Z', '2023-08-15T05:33:55z', '2023-08-15T05:33:55', '2023-08-15T05:33:55Z ', '2023-08-15T05:33:55.5-07:30',
      '2023-08-15T05:33:55+24:00', '2023-8-15T05:33:55Z', '2023-08-15T05:33:5aZ',
    ];
    for (const text of [...times, ...edges]) assert.deepEqual(parseRfc3339(text), reference(text), text);
  });

  it('takes the event time, or the emit time when the event had no usable time', () => {
    const rec = (timestamp: string) => ({ eventName: 'x', timestamp, severityNumber: 9, severityText: 'INFO', body: 'b', attributes: { a: 1 } });
    const observed = hrNow(1_700_000_000_123);
    assert.deepEqual(observed, [1_700_000_000, 123_000_000]);
    const timed = new EventLogRecord(rec('2023-08-15T05:33:55Z'), RESOURCE, { name: 's' }, observed);
    assert.deepEqual([timed.hrTime, timed.hrTimeObserved], [[1692077635, 0], observed]);
    const untimed = new EventLogRecord(rec(''), RESOURCE, { name: 's' }, observed);
    assert.deepEqual(untimed.hrTime, observed);
    assert.deepEqual(untimed.attributes, { a: 1 });
  });
});

describe('classifyExportError', () => {
  it('gives the status and body for HTTP answers; only answers about the payload (400, 413) are final', () => {
    const http = (code: number) => Object.assign(new Error('Bad Request'), { code, data: 'line1\nline2' });
    assert.deepEqual(classifyExportError(http(400)), { retryable: false, message: 'HTTP 400 Bad Request: line1 line2', type: 'http_4xx' });
    assert.equal(classifyExportError(http(413)).retryable, false);
    assert.equal(classifyExportError(http(408)).retryable, true);
    // Credentials, paths and content types need an admin: reading waits, events are not dropped.
    for (const code of [401, 403, 404, 415, 429]) assert.equal(classifyExportError(http(code)).retryable, true, String(code));
    assert.equal(classifyExportError(http(500)).retryable, true);
    assert.equal(classifyExportError(http(503)).type, 'http_5xx');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), { code: 'ECONNREFUSED' });
    assert.deepEqual(classifyExportError(refused), { retryable: true, message: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4318', type: 'network' });
    const cert = Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    assert.equal(classifyExportError(cert).retryable, true);
    assert.equal(classifyExportError(cert).type, 'tls');
    assert.deepEqual(
      [classifyExportError(new Error('Export failed with retryable status')).retryable, classifyExportError(new Error('Export failed with retryable status')).type],
      [true, 'retries_exhausted'],
    );
    assert.equal(classifyExportError(new Error('Request timed out')).type, 'timeout');
  });

  it('keeps one short clean line of a hostile body: no escape sequences, no forged lines, bounded', () => {
    const data = `\u001b[2J\u001b[31mdenied\r\nwfp-agent run: Stopped.\u202e\u0000${'x'.repeat(1_000_000)}`;
    const { message } = classifyExportError(Object.assign(new Error('Unauthorized\r\nforged'), { code: 401, data }));
    assert.ok(message.startsWith('HTTP 401 Unauthorized forged: [2J [31mdenied wfp-agent run: Stopped. xxx'), message);
    assert.doesNotMatch(message, /[\u0000-\u001f\u007f-\u009f\u202e]/);
    assert.ok(message.length <= 'HTTP 401 Unauthorized forged: '.length + 200, String(message.length));
    assert.ok(message.endsWith('...'));
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter('Fri, 27 Nov 2026 10:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Fri, 27 Nov 2026 09:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter(undefined, now), null);
  });
});
