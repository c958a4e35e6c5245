// The effective configuration from layers, key by key: policy (registry, agent/policy) > the YAML file >
// install.yaml (the MSI's properties) > defaults (the schema's), and the OTEL_* environment for the OTLP keys
// no layer sets. Also where each value came from, for `config print` and the status file.
import type { AgentConfig } from './agent-config.ts';
import { ConfigError } from './config-error.ts';
import type { EnvLookup } from './load-config.ts';
import { validateConfigData } from './load-config.ts';

export type ConfigOrigin = 'policy' | 'file' | 'install' | 'default' | 'env';

export interface ConfigLayer {
  readonly origin: Exclude<ConfigOrigin, 'env'>;
  /** For messages: the file path or the registry key. */
  readonly name: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface LayeredConfig {
  readonly config: AgentConfig;
  /** Every leaf key (`exporters.otlp.endpoint`, `service.resource_attributes.site`) → where its value came from. */
  readonly origins: ReadonlyMap<string, ConfigOrigin>;
}

/** Maps set as a whole, not key by key (the YAML says so: a map written there replaces the default one). */
const WHOLE_MAPS = new Set(['audit_policy.subcategories']);

/** Keys the OpenTelemetry environment sets when no layer does (agent/export/otlp-settings.ts). */
const ENV_KEYS: Readonly<Record<string, readonly string[]>> = {
  'exporters.otlp.endpoint': ['OTEL_EXPORTER_OTLP_ENDPOINT'],
  'exporters.otlp.logs_endpoint': ['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'],
  'exporters.otlp.metrics_endpoint': ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'],
  'exporters.otlp.protocol': ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL', 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL'],
  'exporters.otlp.compression': ['OTEL_EXPORTER_OTLP_COMPRESSION', 'OTEL_EXPORTER_OTLP_LOGS_COMPRESSION', 'OTEL_EXPORTER_OTLP_METRICS_COMPRESSION'],
  'exporters.otlp.timeout_ms': ['OTEL_EXPORTER_OTLP_TIMEOUT', 'OTEL_EXPORTER_OTLP_LOGS_TIMEOUT', 'OTEL_EXPORTER_OTLP_METRICS_TIMEOUT'],
  'exporters.otlp.headers': ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_LOGS_HEADERS', 'OTEL_EXPORTER_OTLP_METRICS_HEADERS'],
  'metrics.temporality': ['OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE'],
  'metrics.export_interval_ms': ['OTEL_METRIC_EXPORT_INTERVAL'],
};

/** Merge `layers` (lowest precedence first), validate, and name each value's origin. Throws ConfigError. */
export function mergeConfigLayers(layers: readonly ConfigLayer[], env: EnvLookup = () => undefined): LayeredConfig {
  let merged: Record<string, unknown> = {};
  for (const layer of layers) merged = mergeInto(merged, layer.data, '');
  const checked = validateConfigData(merged);
  if (!checked.ok) throw new ConfigError(layers.map((l) => l.name).join(' + ') || '<defaults>', checked.problems);
  const origins = new Map<string, ConfigOrigin>();
  const leaves: string[] = [];
  collectLeaves(checked.config as unknown as Record<string, unknown>, '', leaves);
  // OTLP keys no layer sets but the environment does: listed so `config print` shows them.
  for (const key of Object.keys(ENV_KEYS)) if (!leaves.includes(key) && !leaves.some((l) => l.startsWith(`${key}.`))) leaves.push(key);
  for (const leaf of leaves) {
    const top = [...layers].reverse().find((l) => hasPath(l.data, leaf));
    if (top !== undefined) origins.set(leaf, top.origin);
    else if ((ENV_KEYS[leaf] ?? []).some((name) => env(name) !== undefined)) origins.set(leaf, 'env');
    else if (leaf in ENV_KEYS && !hasPath(checked.config as unknown as Record<string, unknown>, leaf)) continue;
    else origins.set(leaf, 'default');
  }
  return { config: checked.config, origins };
}

/**
 * `file` without the keys whose value is the bundled default's (`defaults`): what the admin actually set. The
 * MSI installs the bundled agent.yaml as the service's file, so every key there is "set"; without this, the
 * install properties (install.yaml) could never change a key the bundled file spells out (audit_policy.mode).
 */
export function withoutDefaults(file: Readonly<Record<string, unknown>>, defaults: Readonly<Record<string, unknown>>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(file)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const base = defaults[key];
    if (isPlainObject(value) && isPlainObject(base) && !WHOLE_MAPS.has(path)) {
      const inner = withoutDefaults(value, base, path);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else if (JSON.stringify(value) !== JSON.stringify(base)) out[key] = value;
  }
  return out;
}

/** Counts per origin (`{file: 40, policy: 3, ...}`), for the status file and `wfp-agent status`. */
export function countOrigins(origins: ReadonlyMap<string, ConfigOrigin>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of origins.values()) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergeInto(base: Record<string, unknown>, over: Readonly<Record<string, unknown>>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const current = out[key];
    out[key] = isPlainObject(value) && isPlainObject(current) && !WHOLE_MAPS.has(path) ? mergeInto(current, value, path) : structuredClone(value);
  }
  return out;
}

function collectLeaves(node: Record<string, unknown>, prefix: string, out: string[]): void {
  for (const [key, value] of Object.entries(node)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isPlainObject(value) && !WHOLE_MAPS.has(path) && Object.keys(value).length > 0) collectLeaves(value, path, out);
    else out.push(path);
  }
}

/** Does `data` set `path`? Map keys may contain dots (`service.resource_attributes.deployment.site`): walk greedily. */
function hasPath(data: Readonly<Record<string, unknown>>, path: string): boolean {
  const walk = (node: unknown, rest: string): boolean => {
    if (!isPlainObject(node)) return false;
    if (Object.hasOwn(node, rest)) return true;
    for (const key of Object.keys(node)) {
      if (rest.startsWith(`${key}.`) && walk(node[key], rest.slice(key.length + 1))) return true;
    }
    return false;
  };
  return walk(data, path);
}
