// The demo's closing summary: what a newcomer should take away from the bundled events (blocks by kind, top
// applications, rules and peers, three examples explained, where to send it next), instead of every raw line.
// Pure: fed the exported log records, formats text.
import type { TelemetryRecord } from '../../telemetry/index.ts';

/** Block events, in the order the summary lists them, with what each means in plain words. */
const BLOCK_EVENTS: readonly (readonly [string, string])[] = [
  ['wfp.connection.blocked', 'connection blocked (5157): a firewall rule or WFP filter refused a connection'],
  ['wfp.packet.dropped', 'packet dropped (5152): WFP discarded a packet before any connection existed'],
  ['wfp.packet.blocked', 'packet blocked (5150/5151): a packet refused by a packet-level filter'],
  ['wfp.listen.blocked', 'listen blocked (5155): an application was not allowed to listen on a port'],
  ['wfp.bind.blocked', 'bind blocked (5159): an application was not allowed to bind a local port'],
  ['wfp.firewall.app_blocked', 'application blocked (5031): the firewall kept an application from accepting connections'],
];
const BLOCK_MEANING = new Map(BLOCK_EVENTS);

/** What each wfp.block.kind says about why (agent/README.md "Attribution"). */
const KIND_MEANING: Readonly<Record<string, string>> = {
  'policy-rule': 'an explicit firewall rule or third-party filter decided it',
  'default-policy': "no rule matched and the profile's default is block",
  stealth: 'stealth mode (port-scan protection) dropped it: routine',
  'boot-time': 'a boot-time filter, before the firewall service started: routine',
  'query-user-default': "the 'Query User' default for an application without a rule",
  'app-container': 'AppContainer isolation (a store app without the capability)',
  unknown: "the filter is not in the agent's catalog here (on Windows the agent reads it; 'explain --filters' names it)",
};

const OTHER_EVENTS: Readonly<Record<string, string>> = {
  'windows.audit_policy.changed': 'audit-policy changes (4719)',
  'windows.security_log.cleared': 'Security log clears (1102)',
  'wfp.filter.changed': 'WFP filter changes (5447)',
  'wfp.filter.present': 'WFP filters present at start (5441)',
};

export interface DemoSummaryInput {
  /** Events read from the files (including those this config does not collect). */
  readonly eventsRead: number;
  readonly files: number;
}

export interface DemoSummary {
  add(record: TelemetryRecord): void;
  format(input: DemoSummaryInput): string;
}

const TOP = 5;

export function createDemoSummary(): DemoSummary {
  const byEvent = new Map<string, number>();
  const byKind = new Map<string, number>();
  const apps = new Map<string, number>();
  const rules = new Map<string, number>();
  const peers = new Map<string, number>();
  const examples = new Map<string, TelemetryRecord>();
  let records = 0;
  let blocks = 0;

  return {
    add(record) {
      records++;
      bump(byEvent, record.eventName);
      if (!BLOCK_MEANING.has(record.eventName)) return;
      blocks++;
      const a = record.attributes;
      const kind = a['wfp.block.kind'];
      if (kind !== undefined) bump(byKind, String(kind));
      const app = a['process.executable.name'];
      if (app !== undefined) bump(apps, String(app));
      const rule = ruleLabel(record);
      if (rule !== null) bump(rules, rule);
      const peer = a['network.peer.address'];
      if (peer !== undefined) bump(peers, String(peer));
      // The first of each block event becomes an explained example; one whose filter is known is preferred.
      const seen = examples.get(record.eventName);
      if (seen === undefined || (seen.attributes['wfp.block.kind'] === 'unknown' && kind !== undefined && kind !== 'unknown')) {
        examples.set(record.eventName, record);
      }
    },
    format(input) {
      const out: string[] = [];
      out.push(`\nSummary: ${input.eventsRead} real events from ${input.files} files became ${records} log records; ${blocks} of them are blocks.`);
      out.push(`\nBlocks by kind:`);
      for (const [name, meaning] of BLOCK_EVENTS) {
        const n = byEvent.get(name);
        if (n !== undefined) out.push(`  ${pad(n)}  ${meaning}`);
      }
      if (byKind.size > 0) {
        out.push(`\nWhy (wfp.block.kind, from the filter that decided):`);
        for (const [kind, n] of top(byKind, BLOCK_EVENTS.length + 1)) out.push(`  ${pad(n)}  ${kind}: ${KIND_MEANING[kind] ?? kind}`);
      }
      section(out, 'Top applications (process.executable.name)', top(apps, TOP));
      section(out, 'Top rules and filters', top(rules, TOP));
      section(out, 'Top peers (network.peer.address)', top(peers, TOP));
      const others = Object.entries(OTHER_EVENTS).filter(([name]) => byEvent.has(name));
      if (others.length > 0) {
        out.push(`\nAlso logged: ${others.map(([name, what]) => `${byEvent.get(name)} ${what}`).join(', ')}.`);
      }
      const picked = [...BLOCK_EVENTS.map(([name]) => examples.get(name))].filter((r) => r !== undefined).slice(0, 3);
      if (picked.length > 0) out.push(`\n${picked.length === 3 ? 'Three' : picked.length} examples explained:`);
      picked.forEach((r, i) => out.push(...explain(r, i + 1)));
      out.push(
        `\nNext: send this to your OpenTelemetry backend (Collector, Grafana, Elastic, ...):`,
        `  OTEL_EXPORTER_OTLP_ENDPOINT=http://collector.example:4318 npx wfp-agent replay test/fixtures/ms-docs/event-5157.xml`,
        `  or in agent.yaml:  exporters: {otlp: {endpoint: "http://collector.example:4318"}}  (config/README.md)`,
        `Every record in full: npm start -- --raw; one event explained: npx wfp-agent explain FILE.`,
      );
      return `${out.join('\n')}\n`;
    },
  };
}

/** The rule (console name), else the filter's name, else the firewall's FilterOrigin, else the filter id. */
function ruleLabel(record: TelemetryRecord): string | null {
  const a = record.attributes;
  const rule = a['security_rule.name'];
  if (rule !== undefined) return `rule '${String(rule)}'`;
  const name = a['wfp.filter.name'];
  if (name !== undefined) return `filter '${String(name)}'`;
  const origin = a['wfp.filter.origin'];
  if (origin !== undefined) return `firewall origin '${String(origin)}'`;
  const id = a['wfp.filter.id'];
  if (id !== undefined && id !== 0) return `filter id ${String(id)}`;
  return null;
}

function explain(r: TelemetryRecord, n: number): string[] {
  const a = r.attributes;
  const lines = [`  ${n}. ${r.body}`, `     what: ${BLOCK_MEANING.get(r.eventName) ?? r.eventName}.`];
  const kind = a['wfp.block.kind'];
  if (kind !== undefined) lines.push(`     why:  ${String(kind)}: ${KIND_MEANING[String(kind)] ?? String(kind)}.`);
  const where = [a['host.name'], a['process.executable.path']].filter((v) => v !== undefined).map(String);
  if (where.length > 0) lines.push(`     where: ${where.join(', ')}; at ${r.timestamp}.`);
  return lines;
}

function section(out: string[], title: string, rows: readonly (readonly [string, number])[]): void {
  if (rows.length === 0) return;
  out.push(`\n${title}:`);
  for (const [label, n] of rows) out.push(`  ${pad(n)}  ${label}`);
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** The `n` largest, ties by name so the output is stable. */
function top(map: ReadonlyMap<string, number>, n: number): [string, number][] {
  return [...map].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).slice(0, n);
}

function pad(n: number): string {
  return String(n).padStart(5);
}
