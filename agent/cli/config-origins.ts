// `config print`: the effective configuration as YAML, each value followed by where it came from
// (`# policy`, `# file`, `# install`, `# default`, `# env`).
import { Document, isMap, isScalar } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { AgentConfig, ConfigOrigin } from '../config/index.ts';

export function printWithOrigins(config: AgentConfig, origins: ReadonlyMap<string, ConfigOrigin>): string {
  const doc = new Document(config);
  const printed = new Set<string>();
  const walk = (node: unknown, prefix: string): void => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const path = prefix === '' ? key : `${prefix}.${key}`;
      const value = pair.value as YamlNode | null;
      const origin = origins.get(path);
      if (isMap(value) && value.items.length > 0 && origin === undefined) {
        walk(value, path);
        continue;
      }
      if (value === null) continue;
      // Collections that are one value (a list, a map set as a whole) print on their key's line.
      if (!isScalar(value)) (value as YamlNode & { flow?: boolean }).flow = true;
      if (origin !== undefined) value.comment = ` ${origin}`;
      printed.add(path);
    }
  };
  walk(doc.contents, '');
  // OTLP keys only the environment sets (OTEL_EXPORTER_OTLP_*): not in the config object, listed at the end.
  const fromEnv = [...origins].filter(([path, o]) => o === 'env' && !printed.has(path)).map(([path]) => `# ${path}: from the OTEL_* environment # env`);
  return `${doc.toString({ lineWidth: 0 })}${fromEnv.length > 0 ? `${fromEnv.join('\n')}\n` : ''}`;
}
