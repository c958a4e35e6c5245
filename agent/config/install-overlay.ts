// install.yaml: the MSI's install properties, beside the config the service runs with
// (%ProgramData%\wfp-block-agent\install.yaml next to agent.yaml). WfpAgentService.exe install-finish writes it
// from HKLM\SOFTWARE\wfp-block-agent on every install and upgrade; agent.yaml itself is written only when missing,
// so the properties of a later install still take effect. A property given at install wins over the same key in
// agent.yaml; a property left out is absent from the file and agent.yaml decides.
//
//   otlp_endpoint        exporters.otlp.endpoint
//   otlp_headers         exporters.otlp.headers, merged key by key ("k=v,k2=v2", values percent-encoded, as in
//                        OTEL_EXPORTER_OTLP_HEADERS)
//   otlp_protocol        exporters.otlp.protocol
//   resource_attributes  service.resource_attributes, merged key by key ("k=v,...", as OTEL_RESOURCE_ATTRIBUTES)
//   audit_mode           audit_policy.mode
//
// Pure apart from reading the file, which is injected.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { ConfigError } from './config-error.ts';
import type { ConfigProblem } from './config-error.ts';

export const INSTALL_OVERLAY_FILE = 'install.yaml';

export interface InstallOverlay {
  readonly otlpEndpoint?: string;
  readonly otlpHeaders?: Readonly<Record<string, string>>;
  readonly otlpProtocol?: 'http/protobuf' | 'http/json';
  readonly resourceAttributes?: Readonly<Record<string, string>>;
  readonly auditMode?: 'enforce' | 'verify' | 'off';
}

const KEYS = ['otlp_endpoint', 'otlp_headers', 'otlp_protocol', 'resource_attributes', 'audit_mode'] as const;
type OverlayKey = (typeof KEYS)[number];

/** Parses install.yaml; throws ConfigError naming the file, line and key of every problem. */
export function parseInstallOverlay(text: string, file: string): InstallOverlay {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined): number | null => (offset === undefined ? null : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) {
    throw new ConfigError(file, doc.errors.map((e) => ({ path: '', line: lineOf(e.pos[0]), message: `YAML syntax: ${e.message.split('\n')[0] ?? ''}` })));
  }
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) throw new ConfigError(file, [{ path: '', line: 1, message: 'expected a mapping of install properties' }]);
  const problems: ConfigProblem[] = [];
  const values = new Map<OverlayKey, { value: string; line: number | null }>();
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = lineOf(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
    if (!(KEYS as readonly string[]).includes(key)) {
      problems.push({ path: key, line, message: `unknown install property; expected one of ${KEYS.join(', ')}` });
      continue;
    }
    const value: unknown = isScalar(pair.value) ? pair.value.value : pair.value;
    if (value === null || value === '') continue;
    if (typeof value !== 'string') {
      problems.push({ path: key, line, message: 'expected a string' });
      continue;
    }
    values.set(key as OverlayKey, { value: value.trim(), line });
  }
  const overlay: { -readonly [K in keyof InstallOverlay]: InstallOverlay[K] } = {};
  for (const [key, { value, line }] of values) {
    const fail = (message: string): void => void problems.push({ path: key, line, message });
    switch (key) {
      case 'otlp_endpoint':
        if (/^https?:\/\/[^\s/]+/i.test(value) && URL.canParse(value)) overlay.otlpEndpoint = value;
        else fail(`expected an http:// or https:// URL, got '${value}'`);
        break;
      case 'otlp_protocol':
        if (value === 'http/protobuf' || value === 'http/json') overlay.otlpProtocol = value;
        else fail(`expected http/protobuf or http/json, got '${value}'`);
        break;
      case 'audit_mode':
        if (value === 'enforce' || value === 'verify' || value === 'off') overlay.auditMode = value;
        else fail(`expected enforce, verify or off, got '${value}'`);
        break;
      case 'otlp_headers':
      case 'resource_attributes': {
        const pairs = parseKeyValueList(value);
        if (typeof pairs === 'string') fail(pairs);
        else if (key === 'otlp_headers') overlay.otlpHeaders = pairs;
        else if ('service.version' in pairs) fail("service.version is the agent's own and cannot be set");
        else overlay.resourceAttributes = pairs;
        break;
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return overlay;
}

/** "k=v,k2=v2" with percent-encoded values (the OTel environment variable format), or why not. */
export function parseKeyValueList(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const eq = item.indexOf('=');
    const key = eq < 0 ? '' : item.slice(0, eq).trim();
    if (key === '') return `expected key=value pairs separated by commas, got '${item.trim()}'`;
    try {
      out[key] = decodeURIComponent(item.slice(eq + 1).trim());
    } catch {
      return `${key}: the value is not valid percent-encoding`;
    }
  }
  return out;
}

type Json = Record<string, unknown>;
const objectAt = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});

/** The parsed config document with the install properties laid over it (a new object; the input is unchanged). */
export function applyInstallOverlay(document: Json, overlay: InstallOverlay): Json {
  const out: Json = { ...document };
  if (overlay.otlpEndpoint !== undefined || overlay.otlpHeaders !== undefined || overlay.otlpProtocol !== undefined) {
    const exporters = { ...objectAt(out['exporters']) };
    const otlp = { ...objectAt(exporters['otlp']) };
    if (overlay.otlpEndpoint !== undefined) otlp['endpoint'] = overlay.otlpEndpoint;
    if (overlay.otlpProtocol !== undefined) otlp['protocol'] = overlay.otlpProtocol;
    if (overlay.otlpHeaders !== undefined) otlp['headers'] = { ...objectAt(otlp['headers']), ...overlay.otlpHeaders };
    exporters['otlp'] = otlp;
    out['exporters'] = exporters;
  }
  if (overlay.resourceAttributes !== undefined) {
    const service = { ...objectAt(out['service']) };
    service['resource_attributes'] = { ...objectAt(service['resource_attributes']), ...overlay.resourceAttributes };
    out['service'] = service;
  }
  if (overlay.auditMode !== undefined) out['audit_policy'] = { ...objectAt(out['audit_policy']), mode: overlay.auditMode };
  return out;
}

export type ReadText = (path: string) => string;

/**
 * The overlay for a config file: install.yaml in the same folder, or null when there is none. Throws ConfigError
 * when it exists but cannot be read or used.
 */
export function readInstallOverlay(configPath: string, readText: ReadText = (p) => readFileSync(p, 'utf8')): InstallOverlay | null {
  const file = join(dirname(configPath), INSTALL_OVERLAY_FILE);
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') return null;
    throw new ConfigError(file, [{ path: '', line: null, message: `cannot read the file (${code})` }]);
  }
  return parseInstallOverlay(text, file);
}
