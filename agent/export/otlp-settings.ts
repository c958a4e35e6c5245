// One pure function decides every OTLP setting: explicit config ?? OTEL_EXPORTER_OTLP_* (per-signal variable
// first, then the generic one) ?? the OTel default. Problems name the key or variable, what was expected and
// what was found.
import { rememberSecret } from '../shared/index.ts';
import type { EnvLookup, OtlpCompression, OtlpExporterConfig, OtlpProtocol, MetricsConfig, MetricTemporality } from '../config/index.ts';

// One lookup type for every reader of the environment (config's); re-exported for the export API.
export type { EnvLookup };
export type Signal = 'logs' | 'metrics';

export interface OtlpTlsSettings {
  readonly caFile: string | null;
  readonly certFile: string | null;
  readonly keyFile: string | null;
  readonly insecure: boolean;
}

export interface OtlpSignalSettings {
  readonly url: string;
  readonly protocol: OtlpProtocol;
  readonly headers: Readonly<Record<string, string>>;
  readonly compression: OtlpCompression;
  readonly timeoutMillis: number;
  readonly tls: OtlpTlsSettings;
}

export interface MetricSettings {
  readonly temporality: MetricTemporality;
  readonly exportIntervalMillis: number;
}

export type SettingsOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly string[] };

export const OTLP_DEFAULTS = {
  endpoint: 'http://localhost:4318',
  protocol: 'http/protobuf',
  compression: 'none',
  timeoutMillis: 10_000,
  temporality: 'cumulative',
  exportIntervalMillis: 60_000,
} as const;

const SIGNAL_PATH: Record<Signal, string> = { logs: 'v1/logs', metrics: 'v1/metrics' };

export function resolveOtlpSettings(
  config: OtlpExporterConfig,
  signal: Signal,
  env: EnvLookup,
): SettingsOutcome<OtlpSignalSettings> {
  const problems: string[] = [];
  const S = signal.toUpperCase();
  // A variable set to '' counts as unset (as the OTel spec says for empty values).
  const read = (name: string): { name: string; value: string } | undefined => {
    const value = env(name)?.trim();
    return value === undefined || value === '' ? undefined : { name, value };
  };
  const pick = (suffix: string) => read(`OTEL_EXPORTER_OTLP_${S}_${suffix}`) ?? read(`OTEL_EXPORTER_OTLP_${suffix}`);

  const url = resolveUrl(config, signal, read, problems);

  const protocolEnv = pick('PROTOCOL');
  let protocol: OtlpProtocol = config.protocol ?? OTLP_DEFAULTS.protocol;
  if (config.protocol === undefined && protocolEnv !== undefined) {
    if (protocolEnv.value === 'http/protobuf' || protocolEnv.value === 'http/json') protocol = protocolEnv.value;
    else problems.push(`${protocolEnv.name}: expected http/protobuf or http/json, found ${JSON.stringify(protocolEnv.value)}`);
  }

  const compressionEnv = pick('COMPRESSION');
  let compression: OtlpCompression = config.compression ?? OTLP_DEFAULTS.compression;
  if (config.compression === undefined && compressionEnv !== undefined) {
    if (compressionEnv.value === 'gzip' || compressionEnv.value === 'none') compression = compressionEnv.value;
    else problems.push(`${compressionEnv.name}: expected gzip or none, found ${JSON.stringify(compressionEnv.value)}`);
  }

  let timeoutMillis: number = config.timeout_ms ?? OTLP_DEFAULTS.timeoutMillis;
  const timeoutEnv = pick('TIMEOUT');
  if (config.timeout_ms === undefined && timeoutEnv !== undefined) {
    const n = Number(timeoutEnv.value);
    if (Number.isInteger(n) && n > 0) timeoutMillis = n;
    else problems.push(`${timeoutEnv.name}: expected a positive whole number of milliseconds, found ${JSON.stringify(timeoutEnv.value)}`);
  }

  // Headers merge key by key: generic variable < per-signal variable < config.
  const headers: Record<string, string> = {};
  for (const v of [read('OTEL_EXPORTER_OTLP_HEADERS'), read(`OTEL_EXPORTER_OTLP_${S}_HEADERS`)]) {
    if (v === undefined) continue;
    rememberSecret(v.value);
    const parsed = parseHeaderList(v.value);
    if (parsed === null) problems.push(`${v.name}: expected key=value pairs separated by commas`);
    else {
      for (const value of Object.values(parsed)) rememberSecret(value);
      Object.assign(headers, parsed);
    }
  }
  Object.assign(headers, config.headers);

  const fileSetting = (value: string | undefined, suffix: string): string | null =>
    value ?? pick(suffix)?.value ?? null;
  const tls: OtlpTlsSettings = {
    caFile: fileSetting(config.tls.ca_file, 'CERTIFICATE'),
    certFile: fileSetting(config.tls.client_certificate_file, 'CLIENT_CERTIFICATE'),
    keyFile: fileSetting(config.tls.client_key_file, 'CLIENT_KEY'),
    insecure: config.tls.insecure_skip_verify,
  };
  if ((tls.certFile === null) !== (tls.keyFile === null)) {
    problems.push('exporters.otlp.tls: a client certificate needs its key and the key its certificate');
  }

  if (problems.length > 0 || url === null) return { ok: false, problems };
  return { ok: true, value: { url, protocol, headers, compression, timeoutMillis, tls } };
}

function resolveUrl(
  config: OtlpExporterConfig,
  signal: Signal,
  read: (name: string) => { name: string; value: string } | undefined,
  problems: string[],
): string | null {
  const perSignalConfig = signal === 'logs' ? config.logs_endpoint : config.metrics_endpoint;
  if (perSignalConfig !== undefined) return perSignalConfig;
  if (config.endpoint !== undefined) return appendPath(config.endpoint, SIGNAL_PATH[signal]);
  const perSignalEnv = read(`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`);
  if (perSignalEnv !== undefined) return checkUrl(perSignalEnv.name, perSignalEnv.value, problems);
  const generic = read('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (generic !== undefined) {
    const base = checkUrl(generic.name, generic.value, problems);
    return base === null ? null : appendPath(base, SIGNAL_PATH[signal]);
  }
  return appendPath(OTLP_DEFAULTS.endpoint, SIGNAL_PATH[signal]);
}

function checkUrl(name: string, value: string, problems: string[]): string | null {
  if (/^https?:\/\/[^/]/.test(value) && URL.canParse(value)) return value;
  problems.push(`${name}: expected an http:// or https:// URL, found ${JSON.stringify(value)}`);
  return null;
}

/** The spec: the generic endpoint is a base URL and the signal path is appended (with exactly one slash). */
function appendPath(base: string, path: string): string {
  return base.endsWith('/') ? `${base}${path}` : `${base}/${path}`;
}

/** `k1=v1,k2=v2` with percent-encoded values (W3C baggage style, as the OTel spec defines the variable). */
export function parseHeaderList(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const key = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      return null;
    }
    if (key === '') return null;
    out[key] = value;
  }
  return out;
}

export function resolveMetricSettings(config: MetricsConfig, env: EnvLookup): SettingsOutcome<MetricSettings> {
  const problems: string[] = [];
  let temporality: MetricTemporality = config.temporality ?? OTLP_DEFAULTS.temporality;
  const tEnv = env('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE')?.trim().toLowerCase();
  if (config.temporality === undefined && tEnv !== undefined && tEnv !== '') {
    if (tEnv === 'cumulative' || tEnv === 'delta') temporality = tEnv;
    else if (tEnv === 'lowmemory') temporality = 'delta'; // counters are delta under lowmemory too
    else problems.push(`OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: expected cumulative, delta or lowmemory, found ${JSON.stringify(tEnv)}`);
  }
  let exportIntervalMillis: number = config.export_interval_ms ?? OTLP_DEFAULTS.exportIntervalMillis;
  const iEnv = env('OTEL_METRIC_EXPORT_INTERVAL')?.trim();
  if (config.export_interval_ms === undefined && iEnv !== undefined && iEnv !== '') {
    const n = Number(iEnv);
    if (Number.isInteger(n) && n > 0) exportIntervalMillis = n;
    else problems.push(`OTEL_METRIC_EXPORT_INTERVAL: expected a positive whole number of milliseconds, found ${JSON.stringify(iEnv)}`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { temporality, exportIntervalMillis } };
}
