// The Grafana dashboards (deploy/dashboards/) against Grafana's and Prometheus's own packages: the dashboard
// JSON type-checked as a @grafana/schema Dashboard (the TypeScript compiler on an in-memory file, so enums,
// string unions and unknown keys are caught), every PromQL query (dashboard and alert rules) parsed with
// @prometheus-io/lezer-promql and every LogQL query with @grafana/lezer-logql, and the logs dashboard's
// labels and structured-metadata names checked against what the agent really exports. No Loki runs here
// (none is packaged for this machine): what the LogQL queries return is on paper; the metrics dashboard's
// queries also run against a real Prometheus in dashboard.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { ecsFixtureRecords } from '../helpers/ecs-fixture-records.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const METRICS = `${ROOT}deploy/dashboards/wfp-block-agent.grafana.json`;
const LOGS = `${ROOT}deploy/dashboards/wfp-block-agent-logs.grafana.json`;
const ALERTS = `${ROOT}deploy/alerts/wfp-agent.rules.yml`;

interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat?: string;
  readonly queryType?: string;
  readonly datasource?: { readonly type: string; readonly uid: string };
}
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly description?: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource?: { readonly type: string; readonly uid: string };
  readonly targets?: readonly Target[];
}
interface Dashboard {
  readonly uid: string;
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: readonly { readonly name: string; readonly type: string; readonly query?: unknown }[] };
}

const load = (file: string): Dashboard => JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
const targetsOf = (d: Dashboard): { panel: Panel; target: Target }[] => d.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel, target })));

/** Parse errors (lezer's error nodes) as "at N: text around it". */
function grammarErrors(p: { parse(input: string): { iterate(spec: { enter(node: { type: { isError: boolean }; from: number }): void }): void } }, query: string): string[] {
  const errors: string[] = [];
  p.parse(query).iterate({
    enter(node) {
      if (node.type.isError) errors.push(`at ${node.from}: …${query.slice(Math.max(0, node.from - 20), node.from + 20)}…`);
    },
  });
  return errors;
}

/** Grafana's variables as a query would run (the grammars know no `$name`). */
const promVars = (q: string): string =>
  q.replaceAll('$job', '.*').replaceAll('$instance', '.*').replaceAll('$__range', '10m').replaceAll('$__rate_interval', '1m').replaceAll('$__interval', '1m');
const lokiVars = (q: string): string => q.replaceAll('$service', 'wfp-block-agent').replaceAll('$host', '.*').replaceAll('$__range', '1h').replaceAll('$__auto', '1m');

/**
 * TypeScript diagnostics for `const d: Dashboard = <the JSON>` against @grafana/schema, per named JSON text;
 * one program for all (creating one costs seconds).
 */
function schemaDiagnostics(texts: Readonly<Record<string, string>>): Record<string, string[]> {
  const files = new Map(Object.entries(texts).map(([name, json], i) => [`${ROOT}test/__dashboard_${i}.ts`, { name, source: `import type { Dashboard } from '@grafana/schema';\nexport const dashboard: Dashboard = ${json};\n` }]));
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (file, language, ...rest) => {
    const own = files.get(file);
    return own !== undefined ? ts.createSourceFile(file, own.source, language) : getSourceFile(file, language, ...rest);
  };
  host.fileExists = (file) => files.has(file) || fileExists(file);
  const program = ts.createProgram([...files.keys()], options, host);
  const out: Record<string, string[]> = Object.fromEntries(Object.keys(texts).map((name) => [name, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const name = d.file === undefined ? '(global)' : (files.get(d.file.fileName)?.name ?? d.file.fileName);
    (out[name] ??= []).push(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
  return out;
}

describe('Grafana dashboards: schema and query grammars', () => {
  it('@grafana/schema is the package the check reads', () => {
    const require = createRequire(import.meta.url);
    assert.ok(require.resolve('@grafana/schema').includes('@grafana/schema'));
  });

  it('both dashboards are @grafana/schema Dashboards (tsc: types, enums, no unknown keys)', { timeout: 120_000 }, () => {
    const metrics = readFileSync(METRICS, 'utf8');
    const logs = readFileSync(LOGS, 'utf8');
    // The check itself catches a wrong enum value and an unknown key.
    const badEnum = { ...(JSON.parse(logs) as Record<string, unknown>), graphTooltip: 'shared' };
    const badKey = { ...(JSON.parse(logs) as Record<string, unknown>), panelz: [] };
    const found = schemaDiagnostics({ metrics, logs, badEnum: JSON.stringify(badEnum), badKey: JSON.stringify(badKey) });
    assert.deepEqual(found.metrics, []);
    assert.deepEqual(found.logs, []);
    assert.equal(found['(global)'], undefined);
    assert.match(found.badEnum!.join('\n'), /DashboardCursorSync/);
    assert.match(found.badKey!.join('\n'), /panelz/);
  });

  it('every PromQL query of the metrics dashboard and the alert rules parses with @prometheus-io/lezer-promql', () => {
    const queries = targetsOf(load(METRICS)).map(({ panel, target }) => ({ where: `${panel.title} ${target.refId}`, expr: target.expr }));
    for (const v of load(METRICS).templating.list) {
      const q = (v.query as { query?: string } | undefined)?.query;
      // label_values(...) is Grafana's variable syntax, not PromQL: its selector is checked.
      const selector = q === undefined ? null : /^label_values\((.*), *\w+\)$/.exec(q);
      if (selector !== null) queries.push({ where: `variable ${v.name}`, expr: selector[1]! });
    }
    const rules = parseYaml(readFileSync(ALERTS, 'utf8')) as { groups: { rules: { alert?: string; record?: string; expr: string }[] }[] };
    for (const g of rules.groups) for (const r of g.rules) queries.push({ where: `rule ${r.alert ?? r.record}`, expr: String(r.expr) });
    assert.ok(queries.length > 30, `${queries.length} queries`);
    for (const q of queries) assert.deepEqual(grammarErrors(promqlParser, promVars(q.expr)), [], `${q.where}: ${q.expr}`);
    // And the grammar does reject a broken query.
    assert.notDeepEqual(grammarErrors(promqlParser, 'sum(rate(wfp_connection_blocks_total[5m])'), []);
  });

  describe('logs dashboard (Loki)', () => {
    const dashboard = load(LOGS);
    const targets = targetsOf(dashboard);
    // Loki's OTLP intake: log attributes and resource attributes other than the index labels become structured
    // metadata, with `.` turned into `_`; service.name is an index label (service_name).
    const exported = new Set(['service_name', ...ecsFixtureRecords(false).flatMap((r) => Object.keys(r.attributes).map((k) => k.replaceAll('.', '_')))]);

    it('has a Loki data source variable on every panel and query, a 24-column grid without overlaps, unique ids', () => {
      const vars = new Map(dashboard.templating.list.map((v) => [v.name, v]));
      assert.equal(vars.get('loki')?.type, 'datasource');
      assert.equal(vars.get('loki')?.query, 'loki');
      const ids = dashboard.panels.map((p) => p.id);
      assert.equal(new Set(ids).size, ids.length);
      const cells = new Set<string>();
      for (const p of dashboard.panels) {
        const { x, y, w, h } = p.gridPos;
        assert.ok(x >= 0 && x + w <= 24 && w > 0 && h > 0, p.title);
        for (let cx = x; cx < x + w; cx++)
          for (let cy = y; cy < y + h; cy++) {
            assert.ok(!cells.has(`${cx},${cy}`), `${p.title} overlaps`);
            cells.add(`${cx},${cy}`);
          }
        if (p.type === 'row') continue;
        assert.deepEqual(p.datasource, { type: 'loki', uid: '${loki}' }, p.title);
        assert.ok((p.description ?? '').length > 20, `${p.title}: say what it shows`);
      }
      for (const { panel, target } of targets) assert.deepEqual(target.datasource, { type: 'loki', uid: '${loki}' }, `${panel.title} ${target.refId}`);
    });

    it('has the panels the issue lists: latest blocks with the body, top applications and rules, block rate per host', () => {
      const byTitle = new Map(dashboard.panels.map((p) => [p.title, p]));
      assert.equal(byTitle.get('Latest blocks')?.type, 'logs');
      assert.match(byTitle.get('Block rate per host')!.targets![0]!.expr, /^sum by \(host_name\) \(count_over_time\(/);
      assert.match(byTitle.get('Top blocked applications (logs)')!.targets![0]!.expr, /by \(process_executable_name\)/);
      assert.match(byTitle.get('Top blocking rules (logs)')!.targets![0]!.expr, /by \(security_rule_name\)/);
    });

    it('every LogQL query parses with @grafana/lezer-logql', () => {
      assert.ok(targets.length >= 6);
      for (const { panel, target } of targets) assert.deepEqual(grammarErrors(logqlParser, lokiVars(target.expr)), [], `${panel.title}: ${target.expr}`);
      assert.notDeepEqual(grammarErrors(logqlParser, 'sum by (host_name) (count_over_time({service_name="x"} | [5m]))'), []);
    });

    it('names only labels and structured metadata the agent exports; legends use what the query keeps; the block ids are the block events', () => {
      for (const { panel, target } of targets) {
        const q = target.expr;
        const names = new Set<string>();
        for (const m of q.matchAll(/\bby \(([^)]*)\)/g)) for (const n of m[1]!.split(',')) names.add(n.trim());
        for (const m of q.matchAll(/([a-z_]+)\s*(?:=~|!=|=)\s*"/g)) names.add(m[1]!);
        for (const n of names) assert.ok(exported.has(n), `${panel.title}: ${n} is neither an index label nor structured metadata the agent exports`);
        const grouped = [...q.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim()));
        for (const [, label] of (target.legendFormat ?? '').matchAll(/\{\{(\w+)\}\}/g)) assert.ok(grouped.includes(label!), `${panel.title}: legend {{${label}}}`);
        // Never a per-host stream selector: hosts are structured metadata (deploy/README.md on labels).
        assert.doesNotMatch(q.slice(q.indexOf('{'), q.indexOf('}') + 1), /host_name|service_instance_id/, `${panel.title}: host in the stream selector`);
        const ids = /windows_event_id=~"([^"]+)"/.exec(q);
        assert.ok(ids !== null, `${panel.title}: selects the block events`);
        const re = new RegExp(`^(?:${ids[1]})$`);
        for (const id of [5031, 5150, 5151, 5152, 5153, 5155, 5157, 5159]) assert.ok(re.test(String(id)), `${panel.title}: ${id} left out`);
        for (const id of [5154, 5156, 5158, 5441, 5447, 4719, 1102]) assert.ok(!re.test(String(id)), `${panel.title}: ${id} is not a block`);
      }
    });
  });
});
