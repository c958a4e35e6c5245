import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../agent/config/index.ts';
import { parseHeaderList, resolveMetricSettings, resolveOtlpSettings } from '../../../agent/export/index.ts';
import type { OtlpSignalSettings } from '../../../agent/export/index.ts';

function otlp(yaml = '') {
  return parseConfig(yaml, { file: 'test.yaml', env: () => undefined }).exporters.otlp;
}
function metrics(yaml = '') {
  return parseConfig(yaml, { file: 'test.yaml', env: () => undefined }).metrics;
}
function env(vars: Record<string, string>) {
  return (name: string) => vars[name];
}
function resolved(yaml: string, signal: 'logs' | 'metrics', vars: Record<string, string> = {}): OtlpSignalSettings {
  const r = resolveOtlpSettings(otlp(yaml), signal, env(vars));
  assert.ok(r.ok, r.ok ? '' : r.problems.join('\n'));
  return r.value;
}

describe('resolveOtlpSettings', () => {
  it('uses the OTel defaults when neither config nor environment says anything', () => {
    const s = resolved('', 'logs');
    assert.equal(s.url, 'http://localhost:4318/v1/logs');
    assert.equal(s.protocol, 'http/protobuf');
    assert.equal(s.compression, 'none');
    assert.equal(s.timeoutMillis, 10000);
    assert.deepEqual(s.headers, {});
    assert.deepEqual(s.tls, { caFile: null, certFile: null, keyFile: null, insecure: false });
    assert.equal(resolved('', 'metrics').url, 'http://localhost:4318/v1/metrics');
  });

  it('appends the signal path to the generic endpoint (config or env) and uses per-signal URLs as they are', () => {
    const vars = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' };
    assert.equal(resolved('', 'logs', vars).url, 'http://collector:4318/v1/logs');
    assert.equal(
      resolved('', 'metrics', { ...vars, OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://vm:8428/opentelemetry/v1/metrics' }).url,
      'http://vm:8428/opentelemetry/v1/metrics',
    );
    assert.equal(resolved('exporters: {otlp: {endpoint: "https://gw.example/otlp"}}', 'logs').url, 'https://gw.example/otlp/v1/logs');
  });

  it('lets any config key win over every environment variable, and per-signal variables over generic ones', () => {
    const vars = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env-generic:4318',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://env-logs:4318/v1/logs',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '700',
    };
    const fromEnv = resolved('', 'logs', vars);
    assert.equal(fromEnv.url, 'http://env-logs:4318/v1/logs');
    assert.equal(fromEnv.protocol, 'http/protobuf');
    assert.equal(fromEnv.compression, 'gzip');
    assert.equal(fromEnv.timeoutMillis, 2500);
    const m = resolved('', 'metrics', vars);
    assert.equal(m.url, 'http://env-generic:4318/v1/metrics');
    assert.equal(m.protocol, 'http/json');
    assert.equal(m.timeoutMillis, 700);

    const yaml = 'exporters: {otlp: {endpoint: "http://cfg:4318", protocol: http/json, compression: none, timeout_ms: 99}}';
    const fromConfig = resolved(yaml, 'logs', vars);
    assert.equal(fromConfig.url, 'http://cfg:4318/v1/logs', 'config endpoint beats even the per-signal variable');
    assert.equal(fromConfig.protocol, 'http/json');
    assert.equal(fromConfig.compression, 'none');
    assert.equal(fromConfig.timeoutMillis, 99);
  });

  it('merges headers key by key: generic env < per-signal env < config', () => {
    const vars = {
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Basic%20Z2VuZXJpYw==,x-tenant=env',
      OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-tenant=logs-env, x-extra = 1',
    };
    const s = resolved('exporters: {otlp: {headers: {authorization: "Bearer cfg"}}}', 'logs', vars);
    assert.deepEqual(s.headers, { authorization: 'Bearer cfg', 'x-tenant': 'logs-env', 'x-extra': '1' });
    assert.deepEqual(resolved('', 'metrics', vars).headers, { authorization: 'Basic Z2VuZXJpYw==', 'x-tenant': 'env' });
  });

  it('takes TLS files from config or the certificate variables, and keeps insecure an explicit opt-in', () => {
    const vars = {
      OTEL_EXPORTER_OTLP_CERTIFICATE: '/env/ca.pem',
      OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE: '/env/m.crt',
      OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY: '/env/m.key',
    };
    assert.deepEqual(resolved('', 'metrics', vars).tls, { caFile: '/env/ca.pem', certFile: '/env/m.crt', keyFile: '/env/m.key', insecure: false });
    const s = resolved('exporters: {otlp: {tls: {ca_file: /cfg/ca.pem, insecure_skip_verify: true}}}', 'logs', vars);
    assert.deepEqual(s.tls, { caFile: '/cfg/ca.pem', certFile: null, keyFile: null, insecure: true });
  });

  it('treats empty variables as unset', () => {
    assert.equal(resolved('', 'logs', { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_PROTOCOL: ' ' }).url, 'http://localhost:4318/v1/logs');
  });

  it('names the variable, the expectation and the value for every bad environment setting', () => {
    const r = resolveOtlpSettings(
      otlp(),
      'logs',
      env({
        OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_TIMEOUT: '10s',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        OTEL_EXPORTER_OTLP_HEADERS: 'novalue',
        OTEL_EXPORTER_OTLP_CLIENT_KEY: '/only/key.pem',
      }),
    );
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(r.problems, [
      'OTEL_EXPORTER_OTLP_ENDPOINT: expected an http:// or https:// URL, found "collector:4318"',
      'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: expected http/protobuf or http/json, found "grpc"',
      'OTEL_EXPORTER_OTLP_COMPRESSION: expected gzip or none, found "zstd"',
      'OTEL_EXPORTER_OTLP_TIMEOUT: expected a positive whole number of milliseconds, found "10s"',
      'OTEL_EXPORTER_OTLP_HEADERS: expected key=value pairs separated by commas',
      'exporters.otlp.tls: a client certificate needs its key and the key its certificate',
    ]);
  });
});

describe('parseHeaderList', () => {
  it('decodes percent-encoded values and rejects pairs without =', () => {
    assert.deepEqual(parseHeaderList('a=1,b=x%3Dy'), { a: '1', b: 'x=y' });
    assert.equal(parseHeaderList('a'), null);
    assert.equal(parseHeaderList('a=%E0%A4%A'), null);
  });
});

describe('resolveMetricSettings', () => {
  it('config ?? OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE / OTEL_METRIC_EXPORT_INTERVAL ?? default', () => {
    assert.deepEqual(resolveMetricSettings(metrics(), env({})), { ok: true, value: { temporality: 'cumulative', exportIntervalMillis: 60000 } });
    assert.deepEqual(
      resolveMetricSettings(metrics(), env({ OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'Delta', OTEL_METRIC_EXPORT_INTERVAL: '5000' })),
      { ok: true, value: { temporality: 'delta', exportIntervalMillis: 5000 } },
    );
    assert.deepEqual(
      resolveMetricSettings(metrics('metrics: {temporality: cumulative, export_interval_ms: 1000}'), env({ OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta' })),
      { ok: true, value: { temporality: 'cumulative', exportIntervalMillis: 1000 } },
    );
    const bad = resolveMetricSettings(metrics(), env({ OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'sometimes' }));
    assert.equal(bad.ok, false);
  });
});
