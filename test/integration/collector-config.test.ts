// deploy/collector/: the OpenTelemetry Collector (contrib) gateway config and its Grafana Alloy twin. No
// Collector or Alloy runs here (neither is packaged for this machine), so this checks what can be checked
// without one: every component and every key the YAML uses against the keys the components document, the
// pipelines' wiring, and the gateway's promises (TLS and auth on the intake, memory_limiter first, a persistent
// queue per backend, Elasticsearch in otel mapping, service.instance.id kept out of Loki's labels). No Alloy
// syntax parser is published on npm (it is Go), so the .alloy file gets a structural parse here: tokens,
// balanced blocks, component names, arguments, and every reference resolving to a declared component.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const DIR = fileURLToPath(new URL('../../deploy/collector/', import.meta.url));

/** A documented key: `true` for a leaf, a nested table, or `[table]` for a list of objects. */
type KeyTable = { readonly [key: string]: true | KeyTable | readonly [KeyTable] };

// Keys as the components document them (config.go `mapstructure` tags and READMEs of
// open-telemetry/opentelemetry-collector and opentelemetry-collector-contrib, read through the search tool:
// config/configtls, config/confighttp, config/configgrpc, exporter/exporterhelper README, receiver/otlpreceiver,
// processor/memorylimiterprocessor, processor/batchprocessor, processor/attributesprocessor,
// processor/transformprocessor, exporter/otlphttpexporter, exporter/elasticsearchexporter/config.go,
// exporter/prometheusremotewriteexporter/config.go, extension/basicauthextension/config.go,
// extension/storage/filestorage README, extension/healthcheckextension). Only the subset this repository may use.
const TLS_SERVER: KeyTable = {
  ca_file: true, cert_file: true, key_file: true, client_ca_file: true, client_ca_file_reload: true, min_version: true,
  max_version: true, cipher_suites: true, reload_interval: true, include_system_ca_certs_pool: true,
};
const TLS_CLIENT: KeyTable = { ca_file: true, cert_file: true, key_file: true, insecure: true, insecure_skip_verify: true, server_name_override: true, min_version: true };
const AUTH: KeyTable = { authenticator: true };
const QUEUE: KeyTable = {
  enabled: true, num_consumers: true, queue_size: true, storage: true, sizer: true, wait_for_result: true, block_on_overflow: true,
  batch: { flush_timeout: true, min_size: true, max_size: true, sizer: true },
};
const RETRY: KeyTable = { enabled: true, initial_interval: true, max_interval: true, max_elapsed_time: true, multiplier: true, randomization_factor: true };
const HTTP_CLIENT: KeyTable = {
  endpoint: true, tls: TLS_CLIENT, headers: true, timeout: true, compression: true, auth: AUTH, proxy_url: true,
  read_buffer_size: true, write_buffer_size: true, max_idle_conns: true, idle_conn_timeout: true, disable_keep_alives: true,
};
const STATEMENTS: KeyTable = { context: true, statements: true, conditions: true, error_mode: true };

const DOCUMENTED: Readonly<Record<'extensions' | 'receivers' | 'processors' | 'exporters', Readonly<Record<string, KeyTable>>>> = {
  extensions: {
    basicauth: { htpasswd: { file: true, inline: true }, client_auth: { username: true, password: true, username_file: true, password_file: true } },
    file_storage: {
      directory: true, timeout: true, fsync: true, create_directory: true, directory_permissions: true,
      compaction: { on_start: true, on_rebound: true, directory: true, max_transaction_size: true, rebound_needed_threshold_mib: true, rebound_trigger_threshold_mib: true, check_interval: true },
    },
    health_check: { endpoint: true, path: true, tls: TLS_SERVER },
  },
  receivers: {
    otlp: {
      protocols: {
        grpc: { endpoint: true, tls: TLS_SERVER, auth: AUTH, include_metadata: true, max_recv_msg_size_mib: true, max_concurrent_streams: true, keepalive: true, transport: true },
        http: { endpoint: true, tls: TLS_SERVER, auth: AUTH, include_metadata: true, cors: true, max_request_body_size: true, logs_url_path: true, metrics_url_path: true, traces_url_path: true },
      },
    },
  },
  processors: {
    memory_limiter: { check_interval: true, limit_mib: true, spike_limit_mib: true, limit_percentage: true, spike_limit_percentage: true },
    batch: { timeout: true, send_batch_size: true, send_batch_max_size: true, metadata_keys: true, metadata_cardinality_limit: true },
    attributes: {
      actions: [{ key: true, value: true, pattern: true, from_attribute: true, from_context: true, converted_type: true, action: true }],
      include: true, exclude: true,
    },
    transform: { error_mode: true, log_statements: [STATEMENTS], metric_statements: [STATEMENTS], trace_statements: [STATEMENTS], flatten_data: true },
  },
  exporters: {
    otlphttp: { ...HTTP_CLIENT, logs_endpoint: true, metrics_endpoint: true, traces_endpoint: true, encoding: true, sending_queue: QUEUE, retry_on_failure: RETRY },
    prometheusremotewrite: {
      ...HTTP_CLIENT, namespace: true, external_labels: true, remote_write_queue: { enabled: true, queue_size: true, num_consumers: true },
      resource_to_telemetry_conversion: { enabled: true }, wal: { directory: true, buffer_size: true, truncate_frequency: true },
      target_info: { enabled: true }, export_created_metric: { enabled: true }, add_metric_suffixes: true, retry_on_failure: RETRY,
    },
    elasticsearch: {
      ...HTTP_CLIENT, endpoints: true, cloudid: true, num_workers: true, logs_index: true, metrics_index: true, traces_index: true, pipeline: true,
      user: true, password: true, api_key: true, discover: { on_start: true, interval: true },
      retry: { enabled: true, max_retries: true, initial_interval: true, max_interval: true, retry_on_status: true },
      mapping: { mode: true, allowed_modes: true }, sending_queue: QUEUE, include_source_on_error: true,
    },
  },
};
const TOP_LEVEL = new Set(['extensions', 'receivers', 'processors', 'exporters', 'connectors', 'service']);

type Json = Record<string, unknown>;

function unknownKeys(value: unknown, table: KeyTable, path: string): string[] {
  if (value === null || value === undefined) return [];
  assert.ok(typeof value === 'object' && !Array.isArray(value), `${path} is a map`);
  const out: string[] = [];
  for (const [key, v] of Object.entries(value as Json)) {
    const doc = table[key];
    if (doc === undefined) out.push(`${path}.${key}`);
    else if (Array.isArray(doc)) {
      assert.ok(Array.isArray(v), `${path}.${key} is a list`);
      for (const [i, item] of (v as unknown[]).entries()) out.push(...unknownKeys(item, doc[0]!, `${path}.${key}[${i}]`));
    } else if (doc !== true) out.push(...unknownKeys(v, doc as KeyTable, `${path}.${key}`));
  }
  return out;
}

const typeOf = (id: string): string => id.split('/')[0]!;

describe('deploy/collector/otelcol-gateway.yaml', () => {
  const config = parseYaml(readFileSync(`${DIR}otelcol-gateway.yaml`, 'utf8')) as Json;
  const section = (name: 'extensions' | 'receivers' | 'processors' | 'exporters'): Json => (config[name] ?? {}) as Json;
  const service = config.service as { extensions: string[]; pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }> };

  it('uses only documented components and keys', () => {
    for (const key of Object.keys(config)) assert.ok(TOP_LEVEL.has(key), key);
    const problems: string[] = [];
    for (const kind of ['extensions', 'receivers', 'processors', 'exporters'] as const) {
      for (const [id, body] of Object.entries(section(kind))) {
        const table = DOCUMENTED[kind][typeOf(id)];
        if (table === undefined) problems.push(`${kind}.${id}: not a documented component`);
        else problems.push(...unknownKeys(body, table, `${kind}.${id}`));
      }
    }
    assert.deepEqual(problems, []);
    // The check rejects a misspelt key.
    assert.deepEqual(unknownKeys({ check_intervall: '1s' }, DOCUMENTED.processors.memory_limiter!, 'p'), ['p.check_intervall']);
  });

  it('wires every pipeline to defined components; every component but the documented alternative is used', () => {
    const used = new Set<string>();
    for (const [name, p] of Object.entries(service.pipelines)) {
      assert.match(name, /^(logs|metrics|traces)(\/[\w-]+)?$/);
      for (const [kind, ids] of [['receivers', p.receivers], ['processors', p.processors ?? []], ['exporters', p.exporters]] as const) {
        for (const id of ids) {
          assert.ok(id in section(kind), `${name}: ${kind} ${id} is not defined`);
          used.add(`${kind}:${id}`);
        }
      }
    }
    for (const id of service.extensions) assert.ok(id in section('extensions'), `extension ${id}`);
    for (const kind of ['receivers', 'processors', 'exporters'] as const)
      for (const id of Object.keys(section(kind))) if (id !== 'prometheusremotewrite/mimir') assert.ok(used.has(`${kind}:${id}`), `${kind} ${id} is unused`);
    assert.deepEqual(Object.keys(section('extensions')).sort(), [...service.extensions].sort(), 'every extension is started');
  });

  it('keeps the gateway’s promises: TLS + per-site auth, memory_limiter first and batch last, a persistent queue per backend', () => {
    const otlp = section('receivers').otlp as { protocols: Record<string, { tls: { cert_file: string; key_file: string }; auth: { authenticator: string } }> };
    for (const [proto, p] of Object.entries(otlp.protocols)) {
      assert.ok(p.tls.cert_file !== '' && p.tls.key_file !== '', `${proto}: TLS`);
      assert.match(p.auth.authenticator, /^basicauth\//, `${proto}: per-site auth`);
      assert.ok(p.auth.authenticator in section('extensions'));
      assert.ok((section('extensions')[p.auth.authenticator] as Json).htpasswd !== undefined, 'server-side (htpasswd) basic auth');
    }
    for (const [name, p] of Object.entries(service.pipelines)) {
      const procs = p.processors ?? [];
      assert.equal(procs[0], 'memory_limiter', `${name}: memory_limiter first`);
      assert.equal(procs.at(-1), 'batch', `${name}: batch last`);
      for (const id of p.exporters) {
        const exporter = section('exporters')[id] as { sending_queue?: { enabled: boolean; storage?: string } };
        assert.equal(exporter.sending_queue?.enabled, true, `${id}: queue`);
        const storage = exporter.sending_queue?.storage ?? '';
        assert.equal(typeOf(storage), 'file_storage', `${id}: persistent queue`);
        assert.ok(service.extensions.includes(storage), `${id}: ${storage} is started`);
      }
    }
  });

  it('sends to Loki over OTLP without service.instance.id as a label, to Elasticsearch in otel mapping, to Mimir over OTLP', () => {
    const exporters = section('exporters');
    assert.match((exporters['otlphttp/loki'] as { endpoint: string }).endpoint, /\/otlp$/);
    assert.match((exporters['otlphttp/mimir'] as { endpoint: string }).endpoint, /\/otlp$/);
    assert.equal((exporters['elasticsearch/logs'] as { mapping: { mode: string } }).mapping.mode, 'otel');
    const loki = Object.values(service.pipelines).find((p) => p.exporters.includes('otlphttp/loki'))!;
    assert.ok(loki.processors?.includes('transform/loki'));
    const statements = ((section('processors')['transform/loki'] as { log_statements: { context: string; statements: string[] }[] }).log_statements).flatMap((g) => g.statements.map((s) => `${g.context}: ${s}`));
    assert.ok(statements.some((s) => /^log: set\(log\.attributes\["service\.instance\.id"\], resource\.attributes\["service\.instance\.id"\]\)$/.test(s)));
    assert.ok(statements.some((s) => /^resource: delete_key\(resource\.attributes, "service\.instance\.id"\)$/.test(s)));
    // Metrics keep service.instance.id: it is Prometheus/Mimir's `instance`.
    for (const p of Object.values(service.pipelines)) if (p.exporters.includes('otlphttp/mimir')) assert.ok(!(p.processors ?? []).includes('transform/loki'));
    // Secrets only through the environment.
    const text = readFileSync(`${DIR}otelcol-gateway.yaml`, 'utf8');
    for (const m of text.matchAll(/\$\{([^}]*)\}/g)) assert.match(m[1]!, /^env:[A-Z_]+$/);
  });
});

// Alloy components used, with their documented arguments and blocks (grafana.com/docs/alloy reference pages).
const ALLOY_COMPONENTS: Readonly<Record<string, { readonly exports: string; readonly body: readonly string[] }>> = {
  'otelcol.auth.basic': { exports: 'handler', body: ['htpasswd', 'client_auth', 'username', 'password', 'debug_metrics'] },
  'otelcol.storage.file': { exports: 'handler', body: ['directory', 'create_directory', 'directory_permissions', 'fsync', 'timeout', 'compaction'] },
  'otelcol.receiver.otlp': { exports: '', body: ['http', 'grpc', 'output', 'debug_metrics'] },
  'otelcol.processor.memory_limiter': { exports: 'input', body: ['check_interval', 'limit', 'spike_limit', 'limit_percentage', 'spike_limit_percentage', 'output', 'debug_metrics'] },
  'otelcol.processor.attributes': { exports: 'input', body: ['action', 'include', 'exclude', 'output', 'debug_metrics'] },
  'otelcol.processor.transform': { exports: 'input', body: ['error_mode', 'log_statements', 'metric_statements', 'trace_statements', 'output', 'debug_metrics'] },
  'otelcol.processor.batch': { exports: 'input', body: ['timeout', 'send_batch_size', 'send_batch_max_size', 'metadata_keys', 'metadata_cardinality_limit', 'output', 'debug_metrics'] },
  'otelcol.exporter.otlphttp': { exports: 'input', body: ['client', 'sending_queue', 'retry_on_failure', 'logs_endpoint', 'metrics_endpoint', 'traces_endpoint', 'encoding', 'debug_metrics'] },
};

interface AlloyBlock {
  readonly name: string;
  readonly label: string | null;
  readonly keys: string[];
  readonly children: AlloyBlock[];
}

type AlloyToken = { readonly kind: 'ident' | 'string' | 'number' | 'punct'; readonly text: string; readonly at: number };

function tokenizeAlloy(text: string): AlloyToken[] {
  const out: AlloyToken[] = [];
  const re = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|("(?:[^"\\\n]|\\.)*")|(`[^`]*`)|([A-Za-z_][\w.]*)|(\d+(?:\.\d+)?)|([{}[\](),=+\-*/<>!:])/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length) {
    const at = re.lastIndex;
    m = re.exec(text);
    assert.ok(m !== null, `unexpected character at ${at}: ${JSON.stringify(text.slice(at, at + 20))}`);
    if (m[1] !== undefined || m[2] !== undefined) out.push({ kind: 'string', text: (m[1] ?? m[2])!, at });
    else if (m[3] !== undefined) out.push({ kind: 'ident', text: m[3], at });
    else if (m[4] !== undefined) out.push({ kind: 'number', text: m[4], at });
    else if (m[5] !== undefined) out.push({ kind: 'punct', text: m[5], at });
  }
  return out;
}

/**
 * Alloy syntax, structurally: a body is blocks `name ["label"] { body }` and attributes `name = expression`;
 * an expression runs, brackets balanced, until the next statement or the closing brace. References are the
 * `otelcol.*` identifiers inside expressions.
 */
function parseAlloy(text: string): { blocks: AlloyBlock[]; references: string[] } {
  const tokens = tokenizeAlloy(text);
  const references: string[] = [];
  let i = 0;
  const startsStatement = (k: number): boolean =>
    tokens[k]?.kind === 'ident' &&
    (tokens[k + 1]?.text === '=' || tokens[k + 1]?.text === '{' || (tokens[k + 1]?.kind === 'string' && tokens[k + 2]?.text === '{'));
  const body = (closing: boolean): { blocks: AlloyBlock[]; keys: string[] } => {
    const blocks: AlloyBlock[] = [];
    const keys: string[] = [];
    while (i < tokens.length && tokens[i]!.text !== '}') {
      const t = tokens[i]!;
      assert.ok(startsStatement(i), `expected a block or an attribute at ${t.at}: ${t.text}`);
      if (tokens[i + 1]!.text === '=') {
        keys.push(t.text);
        i += 2;
        const stack: string[] = [];
        const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
        let consumed = 0;
        while (i < tokens.length) {
          const e = tokens[i]!;
          if (stack.length === 0 && consumed > 0 && (e.text === '}' || startsStatement(i))) break;
          if (e.text === '(' || e.text === '[' || e.text === '{') stack.push(e.text);
          else if (e.text === ')' || e.text === ']' || e.text === '}') assert.equal(stack.pop(), pairs[e.text], `unbalanced ${e.text} at ${e.at}`);
          else if (e.kind === 'ident' && e.text.startsWith('otelcol.')) references.push(e.text);
          i++;
          consumed++;
        }
        assert.equal(stack.length, 0, `unclosed bracket in ${t.text}`);
      } else {
        const label = tokens[i + 1]!.kind === 'string' ? JSON.parse(tokens[i + 1]!.text) as string : null;
        i += label === null ? 2 : 3;
        const inner = body(true);
        blocks.push({ name: t.text, label, keys: inner.keys, children: inner.blocks });
      }
    }
    if (closing) {
      assert.equal(tokens[i]?.text, '}', 'unclosed block');
      i++;
    } else assert.equal(i, tokens.length, `unexpected } at ${tokens[i]?.at}`);
    return { blocks, keys };
  };
  return { blocks: body(false).blocks, references };
}

describe('deploy/collector/alloy-gateway.alloy (structure)', () => {
  const text = readFileSync(`${DIR}alloy-gateway.alloy`, 'utf8');
  const { blocks, references } = parseAlloy(text);
  const declared = new Map(blocks.map((b) => [`${b.name}.${b.label}`, b]));

  it('declares only documented components, each labelled once, with documented arguments and blocks', () => {
    assert.ok(blocks.length >= 10);
    assert.equal(declared.size, blocks.length, 'a component label repeats');
    for (const b of blocks) {
      const doc = ALLOY_COMPONENTS[b.name];
      assert.ok(doc !== undefined, `${b.name} is not a component this config may use`);
      assert.ok(b.label !== null && /^[a-z_][a-z0-9_]*$/.test(b.label), `${b.name}: label`);
      for (const k of [...b.keys, ...b.children.map((c) => c.name)]) assert.ok(doc.body.includes(k), `${b.name} "${b.label}": ${k} is not documented`);
    }
  });

  it('resolves every reference to a declared component and its export; every processor and exporter is fed', () => {
    const fed = new Set<string>();
    for (const ref of references) {
      const m = /^(otelcol\.\w+\.\w+)\.(\w+)\.(\w+)$/.exec(ref);
      assert.ok(m !== null, `reference ${ref}`);
      const target = declared.get(`${m[1]}.${m[2]}`);
      assert.ok(target !== undefined, `${ref}: no such component`);
      assert.equal(m[3], ALLOY_COMPONENTS[m[1]!]!.exports, `${ref}: ${m[1]} exports ${ALLOY_COMPONENTS[m[1]!]!.exports}`);
      fed.add(`${m[1]}.${m[2]}`);
    }
    for (const b of blocks) if (/^otelcol\.(processor|exporter|auth|storage)\./.test(b.name)) assert.ok(fed.has(`${b.name}.${b.label}`), `${b.name} "${b.label}" is never used`);
    // The same promises as the YAML: persistent queues, Loki without service.instance.id on the resource.
    for (const b of blocks.filter((x) => x.name === 'otelcol.exporter.otlphttp')) assert.ok(b.children.find((c) => c.name === 'sending_queue')?.keys.includes('storage'), `${b.label}: persistent queue`);
    assert.match(text, /delete_key\(resource\.attributes, "service\.instance\.id"\)/);
  });

  it('the structural parser rejects broken input', () => {
    assert.throws(() => parseAlloy('otelcol.processor.batch "x" {\n  timeout = "1s"\n'));
    assert.throws(() => parseAlloy('otelcol.processor.batch "x" {\n  timeout = "1s\n}\n'));
  });
});
