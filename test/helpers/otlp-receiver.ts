// A test OTLP/HTTP receiver: decodes what the agent sends, protobuf (with the official opentelemetry-proto
// definitions, Debian package `opentelemetry-proto` unpacked by test/setup/steps/20-metrics-backends.sh, read
// with protobufjs) and JSON, plain or gzip, over http or https. It stands in for a log backend: none is
// packaged for Debian. Scripted answers (4xx, 5xx, 429 + Retry-After) exercise the error paths.
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';

export const PROTO_INCLUDE = new URL('../../.tools/opentelemetry-proto/usr/include/', import.meta.url).pathname;

/** Why the protobuf decoder cannot be built here, or null when it can. */
export function protoUnavailable(): string | null {
  return existsSync(join(PROTO_INCLUDE, 'opentelemetry/proto/collector/logs/v1/logs_service.proto'))
    ? null
    : `OTLP .proto files not found under ${PROTO_INCLUDE}: run bash test/setup/steps/20-metrics-backends.sh`;
}

type Scalar = string | number | boolean;

export interface ReceivedLog {
  readonly eventName: string;
  /** Nanoseconds since the epoch, as a decimal string (exact; beyond Number precision). */
  readonly timeUnixNano: string;
  readonly observedTimeUnixNano: string;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: string;
  readonly attributes: Record<string, Scalar>;
  readonly resource: Record<string, Scalar>;
  readonly scope: string;
}

export interface ReceivedPoint {
  readonly metric: string;
  readonly unit: string;
  readonly value: number;
  readonly attributes: Record<string, Scalar>;
  readonly temporality: number;
}

export interface ReceivedRequest {
  readonly path: string;
  readonly contentType: string;
  readonly contentEncoding: string;
  readonly headers: IncomingMessage['headers'];
  /** Date.now() when the request was complete. */
  readonly receivedAt: number;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface ReceiverOptions {
  /** Decide the answer per request (n counts from 1 over all requests); default 200 with an empty body. */
  readonly answer?: (request: ReceivedRequest, n: number) => Answer;
  /** Serve https with this key and certificate (PEM); with `clientCa`, require a client certificate it signed. */
  readonly tls?: { readonly key: string; readonly cert: string; readonly clientCa?: string };
}

export interface OtlpReceiver {
  readonly url: string;
  readonly logs: ReceivedLog[];
  readonly points: ReceivedPoint[];
  /** Points per accepted metrics request, in arrival order (cumulative: the last one holds the totals). */
  readonly pointBatches: ReceivedPoint[][];
  /** Gauge points (e.g. wfp_agent.source.lag) in arrival order; temporality 0. */
  readonly gauges: ReceivedPoint[];
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

let decoders: { logs: protobuf.Type; metrics: protobuf.Type } | null = null;

export function protoDecoders(): { logs: protobuf.Type; metrics: protobuf.Type } {
  if (decoders !== null) return decoders;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_INCLUDE, target);
  root.loadSync([
    'opentelemetry/proto/collector/logs/v1/logs_service.proto',
    'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
  ]);
  decoders = {
    logs: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
    metrics: root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'),
  };
  return decoders;
}

// Both encodings normalised to the OTLP/JSON shape (lowerCamelCase names, 64-bit integers as strings).
type Json = Record<string, unknown>;

function anyValue(v: Json | undefined): Scalar {
  if (v === undefined) return '';
  if ('stringValue' in v) return String(v['stringValue']);
  if ('intValue' in v) return Number(v['intValue']);
  if ('doubleValue' in v) return Number(v['doubleValue']);
  if ('boolValue' in v) return Boolean(v['boolValue']);
  return JSON.stringify(v);
}

function attributes(list: unknown): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const kv of (list as { key: string; value?: Json }[] | undefined) ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}

function collectLogs(req: Json, into: ReceivedLog[]): void {
  for (const rl of (req['resourceLogs'] as Json[] | undefined) ?? []) {
    const resource = attributes((rl['resource'] as Json | undefined)?.['attributes']);
    for (const sl of (rl['scopeLogs'] as Json[] | undefined) ?? []) {
      const scope = String((sl['scope'] as Json | undefined)?.['name'] ?? '');
      for (const r of (sl['logRecords'] as Json[] | undefined) ?? []) {
        into.push({
          eventName: String(r['eventName'] ?? ''),
          timeUnixNano: String(r['timeUnixNano'] ?? '0'),
          observedTimeUnixNano: String(r['observedTimeUnixNano'] ?? '0'),
          severityNumber: Number(r['severityNumber'] ?? 0),
          severityText: String(r['severityText'] ?? ''),
          body: String(anyValue(r['body'] as Json | undefined)),
          attributes: attributes(r['attributes']),
          resource,
          scope,
        });
      }
    }
  }
}

function collectGauges(req: Json, into: ReceivedPoint[]): void {
  for (const rm of (req['resourceMetrics'] as Json[] | undefined) ?? []) {
    for (const sm of (rm['scopeMetrics'] as Json[] | undefined) ?? []) {
      for (const m of (sm['metrics'] as Json[] | undefined) ?? []) {
        const gauge = m['gauge'] as Json | undefined;
        if (gauge === undefined) continue;
        for (const p of (gauge['dataPoints'] as Json[] | undefined) ?? []) {
          into.push({ metric: String(m['name']), unit: String(m['unit'] ?? ''), value: Number(p['asInt'] ?? p['asDouble'] ?? 0), attributes: attributes(p['attributes']), temporality: 0 });
        }
      }
    }
  }
}

function collectPoints(req: Json, into: ReceivedPoint[]): void {
  for (const rm of (req['resourceMetrics'] as Json[] | undefined) ?? []) {
    for (const sm of (rm['scopeMetrics'] as Json[] | undefined) ?? []) {
      for (const m of (sm['metrics'] as Json[] | undefined) ?? []) {
        const sum = m['sum'] as Json | undefined;
        if (sum === undefined) continue;
        for (const p of (sum['dataPoints'] as Json[] | undefined) ?? []) {
          into.push({
            metric: String(m['name']),
            unit: String(m['unit'] ?? ''),
            value: Number(p['asInt'] ?? p['asDouble'] ?? 0),
            attributes: attributes(p['attributes']),
            temporality: Number(sum['aggregationTemporality'] ?? 0),
          });
        }
      }
    }
  }
}

export async function startOtlpReceiver(options: ReceiverOptions = {}): Promise<OtlpReceiver> {
  const logs: ReceivedLog[] = [];
  const points: ReceivedPoint[] = [];
  const pointBatches: ReceivedPoint[][] = [];
  const gauges: ReceivedPoint[] = [];
  const requests: ReceivedRequest[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: ReceivedRequest = {
        path: req.url ?? '',
        contentType: String(req.headers['content-type'] ?? ''),
        contentEncoding: String(req.headers['content-encoding'] ?? ''),
        headers: req.headers,
        receivedAt: Date.now(),
      };
      requests.push(request);
      const answer = options.answer?.(request, requests.length) ?? { status: 200 };
      if (answer.status >= 200 && answer.status < 300) {
        let body = Buffer.concat(chunks);
        if (request.contentEncoding === 'gzip') body = gunzipSync(body);
        const isLogs = request.path.endsWith('/v1/logs');
        let decoded: Json;
        if (request.contentType.startsWith('application/json')) {
          decoded = JSON.parse(body.toString('utf8')) as Json;
        } else {
          const type = isLogs ? protoDecoders().logs : protoDecoders().metrics;
          decoded = type.toObject(type.decode(body), { longs: String, enums: Number, bytes: String }) as Json;
        }
        if (isLogs) {
          collectLogs(decoded, logs);
        } else {
          const batch: ReceivedPoint[] = [];
          collectPoints(decoded, batch);
          points.push(...batch);
          pointBatches.push(batch);
          collectGauges(decoded, gauges);
        }
      }
      res.writeHead(answer.status, { 'content-type': request.contentType || 'application/x-protobuf', ...answer.headers });
      res.end(answer.body ?? (request.contentType.startsWith('application/json') ? '{}' : ''));
    });
  };
  const server: Server =
    options.tls === undefined
      ? createHttpServer(handler)
      : createHttpsServer(
          options.tls.clientCa === undefined
            ? { key: options.tls.key, cert: options.tls.cert }
            : { key: options.tls.key, cert: options.tls.cert, ca: options.tls.clientCa, requestCert: true, rejectUnauthorized: true },
          handler,
        );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    logs,
    points,
    pointBatches,
    gauges,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
