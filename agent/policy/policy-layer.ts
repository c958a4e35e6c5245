// Registry values (from `reg query`) → a partial configuration, the `policy` layer that goes over the YAML
// file. Each value is checked on its own; a bad one is one line naming the policy and its registry value, and
// is left out (the rest still applies).
import type { RegTree, RegValue } from './reg-query.ts';
import { dwordValue } from './reg-query.ts';
import type { PolicySetting } from './policy-settings.ts';
import { POLICY_KEY, POLICY_SETTINGS } from './policy-settings.ts';

export interface PolicyLayer {
  /** Nested like the YAML (`{exporters: {otlp: {endpoint: ...}}}`). */
  readonly data: Record<string, unknown>;
  /** Policy names that set something. */
  readonly applied: readonly string[];
  /** One line each: `HKLM\...\OtlpProtocol (policy OtlpProtocol): exporters.otlp.protocol: expected ...`. */
  readonly problems: readonly string[];
}

export interface PolicyLayerContext {
  readonly env: (name: string) => string | undefined;
  /** A header file's text (`file:PATH`), or null when it cannot be read. */
  readonly readText: (path: string) => string | null;
}

export function policyLocation(setting: PolicySetting, name?: string): string {
  const where = name === undefined ? `${POLICY_KEY}\\${setting.valueName}` : `${POLICY_KEY}\\${setting.valueName}\\${name}`;
  return `${where} (policy ${setting.policy})`;
}

export function buildPolicyLayer(tree: RegTree, context: PolicyLayerContext): PolicyLayer {
  const data: Record<string, unknown> = {};
  const applied: string[] = [];
  const problems: string[] = [];
  const root = tree.get('') ?? new Map<string, RegValue>();
  for (const setting of POLICY_SETTINGS) {
    const key = setting.path.join('.');
    const fail = (message: string, name?: string): void => void problems.push(`${policyLocation(setting, name)}: ${key}: ${message}`);
    let value: unknown;
    if (setting.kind === 'list') {
      const sub = [...tree.entries()].find(([k]) => k.toLowerCase() === setting.valueName.toLowerCase())?.[1];
      if (sub === undefined || sub.size === 0) continue;
      const map: Record<string, string> = {};
      let bad = false;
      for (const [name, v] of sub) {
        const resolved = listItem(setting, v, context);
        if ('error' in resolved) {
          fail(resolved.error, name);
          bad = true;
        } else map[name] = resolved.value;
      }
      if (bad) continue;
      value = map;
    } else {
      const v = root.get(setting.valueName);
      if (v === undefined) continue;
      const read = scalar(setting, v);
      if ('error' in read) {
        fail(read.error);
        continue;
      }
      value = read.value;
    }
    setIn(data, setting.path, value);
    applied.push(setting.policy);
  }
  return { data, applied, problems };
}

function scalar(setting: PolicySetting, v: RegValue): { value: unknown } | { error: string } {
  switch (setting.kind) {
    case 'flag': {
      const n = dwordValue(v);
      return n === 0 || n === 1 ? { value: n === 1 } : { error: `expected REG_DWORD 1 or 0, found ${v.type} ${JSON.stringify(v.data)}` };
    }
    case 'multi': {
      if (v.type !== 'REG_MULTI_SZ') return { error: `expected REG_MULTI_SZ, found ${v.type}` };
      const items = v.data.split('\\0').map((s) => s.trim()).filter((s) => s !== '');
      const unknown = items.filter((i) => !(setting.values ?? []).includes(i));
      if (unknown.length > 0) return { error: `expected items from ${(setting.values ?? []).map((x) => JSON.stringify(x)).join(', ')}, found ${JSON.stringify(unknown[0])}` };
      return { value: [...new Set(items)] };
    }
    default: {
      if (v.type !== 'REG_SZ' && v.type !== 'REG_EXPAND_SZ') return { error: `expected REG_SZ, found ${v.type}` };
      const text = v.data.trim();
      if (setting.kind === 'enum' && !(setting.values ?? []).includes(text)) {
        return { error: `expected one of ${(setting.values ?? []).map((x) => JSON.stringify(x)).join(', ')}, found ${JSON.stringify(text)}` };
      }
      if (text === '') return { error: 'expected text, found an empty value' };
      return { value: text };
    }
  }
}

function listItem(setting: PolicySetting, v: RegValue, context: PolicyLayerContext): { value: string } | { error: string } {
  if (v.type !== 'REG_SZ' && v.type !== 'REG_EXPAND_SZ') return { error: `expected REG_SZ, found ${v.type}` };
  const text = v.data.trim();
  if (!setting.referencesOnly) return { value: text };
  const env = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(text);
  if (env !== null) {
    const found = context.env(env[1]!);
    return found === undefined ? { error: `environment variable ${env[1]} is not set` } : { value: found };
  }
  const file = /^file:(.+)$/.exec(text);
  if (file !== null) {
    const found = context.readText(file[1]!.trim());
    return found === null ? { error: `cannot read the file ${file[1]!.trim()}` } : { value: found.trim() };
  }
  // The value itself is not repeated: it may be the secret this rule keeps out of logs.
  return { error: 'expected env:NAME or file:PATH (a plain value in the registry is readable by every user); the value was not used' };
}

function setIn(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  node[path[path.length - 1]!] = value;
}
