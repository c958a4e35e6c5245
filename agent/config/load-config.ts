// YAML text -> validated AgentConfig, or a ConfigError whose every line names the key and the YAML line.
//
//   text ──► yaml.parseDocument (keeps node ranges) ──► ${env:NAME} fill ──► ajv (schema, defaults) ──► AgentConfig
//
// Pure apart from the environment lookup, which is injected.
import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import type { AgentConfig } from './agent-config.ts';
import { ConfigError } from './config-error.ts';
import type { ConfigProblem } from './config-error.ts';
import { suggestKey } from './suggest.ts';
import { REDACTED, rememberSecret } from '../shared/index.ts';

const SCHEMA_URL = new URL('../../config/agent.schema.json', import.meta.url);
export const DEFAULT_CONFIG_URL = new URL('../../config/agent.yaml', import.meta.url);

type JsonSchema = Record<string, unknown>;
const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as JsonSchema;

// One compiled validator for the process: compiling costs ~20 ms, validating microseconds.
const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: false });
const validate = ajv.compile(schema);

export type EnvLookup = (name: string) => string | undefined;

export interface LoadOptions {
  /** Name used in messages (the file path, or `<embedded default>`). */
  readonly file: string;
  readonly env?: EnvLookup;
}

/** Parse and validate config text. Throws ConfigError (never anything else) when it is not usable. */
export function parseConfig(text: string, options: LoadOptions): AgentConfig {
  return parseConfigLayer(text, options).config;
}

/**
 * parseConfig, also returning the keys as the text wrote them (`${env:}` filled, no defaults): one layer of the
 * layered configuration (agent/config/layered-config.ts), whose origins `config print` shows.
 */
export function parseConfigLayer(text: string, options: LoadOptions): { readonly raw: Record<string, unknown>; readonly config: AgentConfig } {
  const env = options.env ?? ((name: string) => process.env[name]);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined): number | null =>
    offset === undefined ? null : lineCounter.linePos(offset).line;

  if (doc.errors.length > 0) {
    throw new ConfigError(
      options.file,
      doc.errors.map((e) => ({ path: '', line: lineOf(e.pos[0]), message: `YAML syntax: ${firstLine(e.message)}` })),
    );
  }

  const problems: ConfigProblem[] = [];
  const envPaths = fillEnv(doc, env, lineOf, problems);
  if (problems.length > 0) throw new ConfigError(options.file, problems);

  const value: unknown = doc.toJS() ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(options.file, [{ path: '', line: 1, message: 'expected a mapping of keys at the top level' }]);
  }
  rememberHeaderSecrets(value);
  const raw = structuredClone(value) as Record<string, unknown>;
  if (!validate(value)) {
    const secretPath = (path: string): boolean => isSecretPath(path, envPaths);
    for (const e of validate.errors ?? []) problems.push(describe(e, doc, lineOf, secretPath));
    throw new ConfigError(options.file, dedupe(problems));
  }
  ENV_PATHS.set(value, envPaths);
  return { raw, config: value as unknown as AgentConfig };
}

/** Validate plain data (layers merged) against the schema: the config with defaults, or the problems (no lines). */
export function validateConfigData(data: Record<string, unknown>): { ok: true; config: AgentConfig } | { ok: false; problems: ConfigProblem[] } {
  const value = structuredClone(data);
  if (validate(value)) return { ok: true, config: value as unknown as AgentConfig };
  const empty = parseDocument('{}');
  return { ok: false, problems: dedupe((validate.errors ?? []).map((e) => describe(e, empty, () => null, (p) => isSecretPath(p, [])))) };
}

/** Config objects -> the key paths whose values came (wholly or partly) from `${env:NAME}`. */
const ENV_PATHS = new WeakMap<object, readonly string[]>();

/** Key paths of `config` whose value holds a secret: every header, and whatever came from `${env:NAME}`. */
export function secretPaths(config: AgentConfig): readonly string[] {
  const headers = Object.keys(config.exporters.otlp.headers).map((k) => `exporters.otlp.headers.${k}`);
  return [...new Set([...headers, ...(ENV_PATHS.get(config) ?? [])])];
}

function isSecretPath(path: string, envPaths: readonly string[]): boolean {
  // A path above a secret (a whole map whose value would be quoted) counts as one.
  const above = (p: string): boolean => path !== '' && (p.startsWith(`${path}.`) || p.startsWith(`${path}[`));
  return path.startsWith('exporters.otlp.headers') || above('exporters.otlp.headers') || envPaths.some((p) => p === path || p.startsWith(`${path}.`) || p.startsWith(`${path}[`));
}

/** Header values are credentials however they were written (a literal token in the YAML is one too). */
function rememberHeaderSecrets(value: object): void {
  const headers = (value as { exporters?: { otlp?: { headers?: unknown } } }).exporters?.otlp?.headers;
  if (typeof headers !== 'object' || headers === null) return;
  for (const v of Object.values(headers)) if (typeof v === 'string') rememberSecret(v);
}

/**
 * Read one config file (or the bundled default when `path` is undefined) and validate it, alone. The commands
 * read the file with its install.yaml neighbour through load-local-config.ts.
 */
export function loadConfig(path: string | undefined, env?: EnvLookup): AgentConfig {
  const file = path ?? '<embedded default>';
  let text: string;
  try {
    text = readFileSync(path ?? DEFAULT_CONFIG_URL, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(file, [{ path: '', line: null, message: `cannot read the file (${code})` }]);
  }
  return parseConfig(text, { file, ...(env === undefined ? {} : { env }) });
}

function fillEnv(
  doc: Document,
  env: EnvLookup,
  lineOf: (offset: number | undefined) => number | null,
  problems: ConfigProblem[],
): string[] {
  const paths: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        visit(pair.value, path === '' ? key : `${path}.${key}`);
      }
    } else if (node !== null && typeof node === 'object' && 'items' in node && Array.isArray(node.items)) {
      node.items.forEach((item: unknown, i: number) => visit(item, `${path}[${i}]`));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${env:')) {
      node.value = node.value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
        const v = env(name);
        if (v === undefined) {
          problems.push({ path, line: lineOf(node.range?.[0]), message: `environment variable ${name} is not set` });
          return '';
        }
        // Anything from the environment may be a credential: never shown again (agent/shared/secrets.ts).
        rememberSecret(v);
        paths.push(path);
        return v;
      });
    }
  };
  visit(doc.contents, '');
  return paths;
}

function describe(
  e: ErrorObject,
  doc: Document,
  lineOf: (offset: number | undefined) => number | null,
  secretPath: (path: string) => boolean,
): ConfigProblem {
  const segments = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path = segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
  const keys = segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const node = doc.getIn(keys, true) as YamlNode | undefined;
  const line = lineOf(node?.range?.[0]);

  if (e.keyword === 'additionalProperty' || e.keyword === 'additionalProperties') {
    const unknown = String((e.params as { additionalProperty: string }).additionalProperty);
    const parent = e.parentSchema as { properties?: Record<string, unknown> } | undefined;
    const valid = Object.keys(parent?.properties ?? {});
    const keyLine = lineOfKey(doc, keys, unknown, lineOf) ?? line;
    const hint = suggestKey(unknown, valid);
    const full = path === '' ? unknown : `${path}.${unknown}`;
    const list = valid.length > 0 ? ` Valid keys: ${valid.join(', ')}.` : '';
    return {
      path: full,
      line: keyLine,
      message: `unknown key${hint === null ? '.' : `; did you mean '${hint}'?`}${list}`,
    };
  }
  const found = secretPath(path) ? REDACTED : JSON.stringify(e.data);
  const expected = expectation(e);
  return { path, line, message: `${expected}, found ${found === undefined ? 'nothing' : truncate(found)}` };
}

function expectation(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'enum':
      return `expected one of ${(p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `expected ${String(p['type'])}`;
    case 'required':
      return `missing required key '${String(p['missingProperty'])}'`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `expected a number ${String(p['comparison'])} ${String(p['limit'])}`;
    case 'pattern':
      return `expected text matching ${String(p['pattern'])}`;
    case 'minLength':
      return `expected ${e.propertyName !== undefined ? 'a key' : 'text'} of at least ${String(p['limit'])} character${p['limit'] === 1 ? '' : 's'}`;
    case 'not':
      return e.propertyName !== undefined ? 'expected a key the agent does not set itself' : `expected ${e.message ?? e.keyword}`;
    case 'uniqueItems':
      return 'expected no duplicate items';
    default:
      return `expected ${e.message ?? e.keyword}`;
  }
}

function lineOfKey(
  doc: Document,
  keys: readonly (string | number)[],
  key: string,
  lineOf: (offset: number | undefined) => number | null,
): number | null {
  const parent = keys.length === 0 ? doc.contents : doc.getIn(keys, true);
  if (!isMap(parent)) return null;
  for (const pair of parent.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return lineOf(pair.key.range?.[0]);
  }
  return null;
}

// ajv reports `type` and `enum` for one bad value; an admin needs one line per key, the most precise one.
function dedupe(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const byPath = new Map<string, ConfigProblem>();
  for (const p of problems) {
    const seen = byPath.get(p.path);
    if (seen === undefined || (!seen.message.startsWith('expected one of') && p.message.startsWith('expected one of'))) {
      byPath.set(p.path, p);
    }
  }
  return [...byPath.values()].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
