// Error paths of the OTel sink against a real HTTP(S) receiver on loopback: the backend refuses (4xx), fails
// (5xx, 429 with Retry-After), is down, or presents a certificate from a private CA (generated here with
// openssl, never committed); and the batch queue overflows. flush() must say so, never resolve `ok` falsely.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../agent/config/index.ts';
import { createBasicEnricher } from '../../agent/enrich/index.ts';
import { createEventPipeline } from '../../agent/pipeline/index.ts';
import type { ProcessedEvent } from '../../agent/pipeline/index.ts';
import { createOtelTelemetrySink } from '../../agent/export/index.ts';
import type { OtelTelemetrySink } from '../../agent/export/index.ts';
import { loadReplayFile } from '../../agent/source/index.ts';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { protoUnavailable, startOtlpReceiver } from '../helpers/otlp-receiver.ts';
import type { Answer, OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { tempDir } from './cli-io.ts';
import type { TempDir } from './cli-io.ts';
import { FIXTURE_DIR } from './fixture-counts.ts';
import { freePort } from './metrics-backends.ts';
import { needs } from '../helpers/test-dependency.ts';

const RESOURCE = resourceFromAttributes({ 'service.name': 'wfp-block-agent' });

function events(): ProcessedEvent[] {
  const config = parseConfig('', { file: 't', env: () => undefined });
  const pipeline = createEventPipeline(config, { enricher: createBasicEnricher() });
  const out: ProcessedEvent[] = [];
  for (const item of loadReplayFile(`${FIXTURE_DIR}otrf/metasploit_procdump_lsass_memory_dump.wfp-subset.jsonl`).items) {
    const r = pipeline.process(item);
    if (r.ok && r.value.disposition === 'logged') out.push(r.value);
  }
  return out; // 13 × 5152 + 1 × 5157
}

async function sinkFor(yaml: string): Promise<OtelTelemetrySink> {
  const config = parseConfig(yaml, { file: 'test.yaml', env: () => undefined });
  const created = await createOtelTelemetrySink({ config, env: () => undefined, resource: RESOURCE });
  assert.ok(created.ok, created.ok ? '' : created.problems.join('\n'));
  return created.value;
}

/** OTLP logs only; `otlpExtra` lines go under exporters.otlp, `extra` lines under exporters. */
function logsOnly(url: string, extra = '', otlpExtra = ''): string {
  return `exporters:\n  otlp:\n    logs_endpoint: ${url}/v1/logs\n    metrics: false\n    timeout_ms: 2500\n${otlpExtra}${extra}`;
}

async function emitAll(sink: OtelTelemetrySink): Promise<number> {
  const all = events();
  for (const p of all) sink.emit(p.event, p.enrichment, p.record);
  return all.length;
}

async function withReceiver<T>(
  answer: (n: number) => Answer,
  run: (r: OtlpReceiver) => Promise<T>,
  tls?: { key: string; cert: string; clientCa?: string },
): Promise<T> {
  const receiver = await startOtlpReceiver(tls === undefined ? { answer: (_req, n) => answer(n) } : { answer: (_req, n) => answer(n), tls });
  try {
    return await run(receiver);
  } finally {
    await receiver.close();
  }
}

const skip = needs('OTLP .proto files', protoUnavailable());

describe('OTel sink error paths', { skip }, () => {
  it('reports a 4xx refusal with the status and the backend text, not retryable, without retrying', async () => {
    await withReceiver(() => ({ status: 400, body: 'log record too large' }), async (r) => {
      const sink = await sinkFor(logsOnly(r.url, '  prometheus: {enabled: true, port: 0}\n'));
      const n = await emitAll(sink);
      const result = await sink.flush();
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.retryable, false);
      assert.match(result.error, /HTTP 400 .*log record too large/);
      assert.match(result.error, new RegExp(`${n} log records not accepted`));
      assert.equal(r.requests.length, 1);
      assert.deepEqual({ ...sink.stats(), lastError: null }, { events: n, logRecords: n, exported: 0, failed: n, dropped: 0, metricExportsFailed: 0, lastError: null });
      // The next flush answers only for what happened since: nothing new, so ok.
      assert.deepEqual(await sink.flush(), { ok: true });
      // Self-metrics: our failed-export counter and the SDK's processed-records counter with the error type.
      const text = await (await fetch(sink.prometheusUrl ?? '')).text();
      assert.match(text, /^wfp_agent_export_failures_total\{signal="logs",error_type="http_4xx",.*\} 1$/m);
      assert.match(text, new RegExp(`^otel_sdk_processor_log_processed_total\\{.*error_type="OTLPExporterError".*\\} ${n}$`, 'm'));
      await sink.shutdown();
    });
  });

  it('keeps what failed and sends it again on the next flush: every record arrives exactly once', async () => {
    let failing = true;
    await withReceiver(() => (failing ? { status: 500, body: 'down for maintenance' } : { status: 200 }), async (r) => {
      const sink = await sinkFor(logsOnly(r.url));
      const n = await emitAll(sink);
      const first = await sink.flush();
      assert.ok(!first.ok && first.retryable, JSON.stringify(first));
      assert.match(first.error, new RegExp(`${n} log records waiting to be sent again`));
      // Still down: the retry fails too, and nothing is reported as delivered.
      const second = await sink.flush();
      assert.ok(!second.ok && second.retryable, JSON.stringify(second));
      assert.equal(r.logs.length, 0);
      failing = false;
      assert.deepEqual(await sink.flush(), { ok: true });
      assert.equal(r.logs.length, n);
      assert.equal(new Set(r.logs.map((l) => JSON.stringify(l))).size, n, 'no record twice');
      const s = sink.stats();
      assert.equal(s.exported, n);
      assert.equal(s.failed, 0);
      await sink.shutdown();
    });
  });

  it('treats credentials and path errors (401, 403, 404) as waiting for an admin, not as a reason to drop', async () => {
    for (const status of [401, 403, 404]) {
      await withReceiver(() => ({ status, body: 'no' }), async (r) => {
        const sink = await sinkFor(logsOnly(r.url));
        const n = await emitAll(sink);
        const result = await sink.flush();
        assert.ok(!result.ok && result.retryable, `${status}: ${JSON.stringify(result)}`);
        assert.equal(sink.stats().failed, n);
        await sink.shutdown();
      });
    }
  });

  it('reports a 500 as retryable', async () => {
    await withReceiver(() => ({ status: 500, body: 'internal' }), async (r) => {
      const sink = await sinkFor(logsOnly(r.url));
      await emitAll(sink);
      const result = await sink.flush();
      assert.ok(!result.ok && result.retryable && /HTTP 500/.test(result.error), JSON.stringify(result));
      await sink.shutdown();
    });
  });

  it('retries 503 with backoff until the export timeout, then reports it as retryable', async () => {
    await withReceiver(() => ({ status: 503 }), async (r) => {
      const sink = await sinkFor(logsOnly(r.url));
      await emitAll(sink);
      const started = Date.now();
      const result = await sink.flush();
      assert.ok(!result.ok && result.retryable, JSON.stringify(result));
      assert.match(result.error, /HTTP 503 on every retry until the export timeout/);
      assert.equal(result.retryInMs, undefined);
      assert.ok(r.requests.length >= 2, `retried: ${r.requests.length} requests`);
      assert.ok(Date.now() - started < 6000, 'gave up within about the timeout');
      await sink.shutdown();
    });
  });

  it('honours 429 Retry-After and succeeds on the next attempt', async () => {
    await withReceiver((n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }), async (r) => {
      const sink = await sinkFor(logsOnly(r.url));
      const n = await emitAll(sink);
      assert.deepEqual(await sink.flush(), { ok: true });
      assert.equal(r.requests.length, 2);
      const gap = r.requests[1]!.receivedAt - r.requests[0]!.receivedAt;
      assert.ok(gap >= 950, `waited ${gap} ms for Retry-After: 1`);
      assert.equal(r.logs.length, n);
      assert.equal(sink.stats().exported, n);
      await sink.shutdown();
    });
  });

  it('does not wait for a Retry-After longer than the timeout: fails fast, retryable', async () => {
    await withReceiver(() => ({ status: 429, headers: { 'retry-after': '120' } }), async (r) => {
      const sink = await sinkFor(logsOnly(r.url));
      await emitAll(sink);
      const started = Date.now();
      const result = await sink.flush();
      assert.ok(!result.ok && result.retryable, JSON.stringify(result));
      assert.match(result.error, /HTTP 429 \(Retry-After 120 s\) on every retry/);
      assert.equal(result.retryInMs, 120_000, 'the backend\'s own delay goes to the pump');
      assert.ok(Date.now() - started < 2000);
      assert.equal(r.requests.length, 1);
      await sink.shutdown();
    });
  });

  it('reports a backend that is down (connection refused) as retryable, and metrics too', async () => {
    const port = await freePort();
    const sink = await sinkFor(`exporters:\n  otlp:\n    endpoint: http://127.0.0.1:${port}\n    timeout_ms: 1500\n`);
    const n = await emitAll(sink);
    const result = await sink.flush();
    assert.ok(!result.ok, 'not ok');
    if (result.ok) return;
    assert.equal(result.retryable, true);
    assert.match(result.error, /ECONNREFUSED/);
    assert.match(result.error, /metrics export failed/);
    assert.equal(sink.stats().failed, n);
    assert.ok(sink.stats().metricExportsFailed >= 1);
    await sink.shutdown();
  });

  it("flush('logs') sends the log records only; the next full flush pushes the metrics and reports their failure", async () => {
    const receiver = await startOtlpReceiver({ answer: (req) => (req.path === '/v1/metrics' ? { status: 400, body: 'no metrics here' } : { status: 200 }) });
    try {
      const sink = await sinkFor(`exporters:\n  otlp:\n    endpoint: ${receiver.url}\n    timeout_ms: 2500\n`);
      const n = await emitAll(sink);
      assert.deepEqual(await sink.flush('logs'), { ok: true });
      assert.deepEqual(receiver.requests.map((q) => q.path), ['/v1/logs']);
      assert.equal(sink.stats().exported, n);
      const full = await sink.flush();
      assert.ok(!full.ok, 'not ok');
      assert.match(full.ok ? '' : full.error, /metrics export failed.*HTTP 400/);
      assert.deepEqual(receiver.requests.map((q) => q.path), ['/v1/logs', '/v1/metrics']);
      await sink.shutdown();
    } finally {
      await receiver.close();
    }
  });

  it('counts and reports what the batch queue drops when it is full', async () => {
    await withReceiver(() => ({ status: 200 }), async (r) => {
      const sink = await sinkFor(logsOnly(r.url, '  batch: {max_queue_size: 5, max_export_batch_size: 5}\n  prometheus: {enabled: true, port: 0}\n'));
      const n = await emitAll(sink); // synchronously, faster than any export: the queue overflows
      const result = await sink.flush();
      const s = sink.stats();
      assert.ok(s.dropped > 0 && s.dropped < n, `dropped ${s.dropped} of ${n}`);
      // Dropped records are gone: trying the flush again cannot bring them back, so it is not retryable.
      assert.ok(!result.ok && !result.retryable, JSON.stringify(result));
      assert.match(result.error, new RegExp(`^${s.dropped} log records dropped \\(batch queue full, max_queue_size 5\\)$`));
      assert.equal(s.exported + s.dropped, n, 'every record is either delivered or counted as dropped');
      assert.equal(r.logs.length, s.exported);
      assert.equal(s.failed, 0);
      const text = await (await fetch(sink.prometheusUrl ?? '')).text();
      assert.match(text, new RegExp(`^otel_sdk_processor_log_processed_total\\{.*error_type="queue_full".*\\} ${s.dropped}$`, 'm'));
      await sink.shutdown();
    });
  });
});

describe('OTel sink over TLS with a private CA', { skip }, () => {
  let dir: TempDir;
  let ca: string;
  let tls: { key: string; cert: string };
  before(() => {
    dir = tempDir('wfp-tls-');
    const p = (f: string) => `${dir.path}/${f}`;
    const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '1', '-subj', '/CN=wfp test CA');
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=127.0.0.1');
    dir.write('ext.cnf', 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
    openssl('x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('server.pem'), '-days', '1', '-extfile', p('ext.cnf'));
    // A client certificate from the same CA, for mutual TLS.
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', p('client.key'), '-out', p('client.csr'), '-subj', '/CN=wfp-agent');
    dir.write('client.cnf', 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
    openssl('x509', '-req', '-in', p('client.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('client.pem'), '-days', '1', '-extfile', p('client.cnf'));
    ca = p('ca.pem');
    tls = { key: readFileSync(p('server.key'), 'utf8'), cert: readFileSync(p('server.pem'), 'utf8') };
  });
  after(() => dir.remove());

  it('refuses the unknown CA by default, names the certificate problem, and keeps the records (reading waits for an admin)', async () => {
    await withReceiver(() => ({ status: 200 }), async (r) => {
      const sink = await sinkFor(logsOnly(r.url));
      const n = await emitAll(sink);
      const result = await sink.flush();
      assert.ok(!result.ok && result.retryable, JSON.stringify(result));
      assert.equal(sink.stats().failed, n);
      assert.match(result.error, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|unable to verify/i);
      assert.equal(r.logs.length, 0);
      await sink.shutdown();
    }, tls);
  });

  it('trusts the CA from exporters.otlp.tls.ca_file and delivers everything', async () => {
    await withReceiver(() => ({ status: 200 }), async (r) => {
      const sink = await sinkFor(logsOnly(r.url, '', `    tls: {ca_file: ${ca}}\n`));
      const n = await emitAll(sink);
      assert.deepEqual(await sink.flush(), { ok: true });
      assert.equal(r.logs.length, n);
      await sink.shutdown();
    }, tls);
  });

  it('accepts any certificate only with the explicit insecure_skip_verify opt-in', async () => {
    await withReceiver(() => ({ status: 200 }), async (r) => {
      const sink = await sinkFor(logsOnly(r.url, '', '    tls: {insecure_skip_verify: true}\n'));
      const n = await emitAll(sink);
      assert.deepEqual(await sink.flush(), { ok: true });
      assert.equal(r.logs.length, n);
      await sink.shutdown();
    }, tls);
  });

  it('presents the client certificate from tls.client_certificate_file / client_key_file (mutual TLS)', async () => {
    const mtls = { ...tls, clientCa: readFileSync(ca, 'utf8') };
    await withReceiver(() => ({ status: 200 }), async (r) => {
      const without = await sinkFor(logsOnly(r.url, '', `    tls: {ca_file: ${ca}}\n`));
      await emitAll(without);
      const refused = await without.flush();
      assert.equal(refused.ok, false, 'the server requires a client certificate');
      await without.shutdown();
      const cert = `${dir.path}/client.pem`;
      const key = `${dir.path}/client.key`;
      const sink = await sinkFor(logsOnly(r.url, '', `    tls: {ca_file: ${ca}, client_certificate_file: ${cert}, client_key_file: ${key}}\n`));
      const n = await emitAll(sink);
      assert.deepEqual(await sink.flush(), { ok: true });
      assert.equal(r.logs.length, n);
      await sink.shutdown();
    }, mtls);
  });

  it('says which file is missing when the CA bundle cannot be read', async () => {
    const config = parseConfig('exporters:\n  otlp:\n    tls: {ca_file: /nonexistent/ca.pem}\n', { file: 't', env: () => undefined });
    const created = await createOtelTelemetrySink({ config, env: () => undefined, resource: RESOURCE });
    assert.equal(created.ok, false);
    if (!created.ok) assert.deepEqual(created.problems, ['exporters.otlp (metrics): cannot read the CA bundle /nonexistent/ca.pem (ENOENT)']);
  });
});
