// `wfp-agent filters [--file filters.xml] [--json]`: the filter catalog — which run-time filter id is which
// rule — with counts by provider and action, and the block filters with the kind a block by them gets.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  classifyBlock,
  createFileSnapshotProvider,
  createNetshSnapshotProvider,
} from '../../enrich/index.ts';
import type { CommandRunner, FilterAttribution, FilterSnapshotProvider } from '../../enrich/index.ts';
import type { CliIo, Command } from '../command.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../command.ts';
import { flag, parseOptions, stringOption } from '../parse-options.ts';
import { loadCliConfig } from '../load-cli-config.ts';

const HELP = `Usage: wfp-agent filters [--file FILE] [--json] [--all] [--config FILE]

List the WFP filter catalog the agent uses to name the filter or firewall rule behind a block: counts by
provider and by action, then the blocking filters with the block kind (wfp.block.kind) an event they
cause gets.

Options:
  --file FILE       A recorded 'netsh wfp show filters' XML (default: filters.file from the configuration;
                    without either, a live snapshot, which needs Windows and an elevated prompt).
  --json            One JSON document: source, counts by provider and action, every filter.
  --all             List every filter, not only the blocking ones.
  --config FILE     Use this configuration. Default: the bundled one.
  -h, --help        Show this help.

Exit codes: 0 listed, 1 the snapshot could not be read or taken, 2 usage (or a live snapshot off Windows).
`;

export interface FiltersCommandDeps {
  readonly platform: NodeJS.Platform;
  /** Runs netsh on Windows. */
  readonly run: CommandRunner;
  readonly tempPath: () => string;
}

function runProcess(file: string, args: readonly string[]): ReturnType<CommandRunner> {
  return new Promise((resolve) => {
    execFile(file, [...args], { windowsHide: true, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ exitCode: code, stdout: String(stdout), stderr: error !== null && stderr === '' ? error.message : String(stderr) });
    });
  });
}

const defaultDeps: FiltersCommandDeps = {
  platform: process.platform,
  run: runProcess,
  tempPath: () => join(tmpdir(), `wfp-agent-filters-${process.pid}-${Date.now()}.xml`),
};

interface Count {
  readonly key: string;
  readonly label: string;
  count: number;
}

function countBy(filters: readonly FilterAttribution[], key: (f: FilterAttribution) => string, label: (f: FilterAttribution) => string): Count[] {
  const map = new Map<string, Count>();
  for (const f of filters) {
    const k = key(f);
    const hit = map.get(k);
    if (hit !== undefined) hit.count += 1;
    else map.set(k, { key: k, label: label(f), count: 1 });
  }
  return [...map.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

function kindOf(f: FilterAttribution): string {
  return classifyBlock({ eventId: 0, filter: f, filterOrigin: null }).kind;
}

function shortProvider(key: string): string {
  return key === '' ? '(none)' : key.replace(/^FWPM_PROVIDER_/, '');
}

function formatText(source: string, filters: readonly FilterAttribution[], providerCount: number, all: boolean): string {
  const lines: string[] = [];
  const blocks = filters.filter((f) => f.action === 'block');
  lines.push(`Filter catalog from ${source}: ${filters.length} filters (${blocks.length} block), ${providerCount} providers.`);
  lines.push('', 'By provider:');
  for (const c of countBy(filters, (f) => f.providerKey, (f) => f.rulesetName ?? '')) {
    lines.push(`  ${String(c.count).padStart(6)}  ${c.key === '' ? '(no provider)' : c.key}${c.label !== '' && c.label !== c.key ? ` (${c.label})` : ''}`);
  }
  lines.push('', 'By action:');
  for (const c of countBy(filters, (f) => f.action || '(unknown)', () => '')) {
    lines.push(`  ${String(c.count).padStart(6)}  ${c.key}`);
  }
  const listed = all ? filters : blocks;
  lines.push('', `${all ? 'All filters' : 'Blocking filters'} (${listed.length}):`);
  const rows = [...listed]
    .sort((a, b) => a.filterId - b.filterId)
    .map((f) => [
      String(f.filterId),
      f.action || '?',
      f.action === 'block' ? kindOf(f) : '-',
      shortProvider(f.providerKey),
      f.layerKey.replace(/^FWPM_LAYER_/, ''),
      f.name,
    ]);
  const header = ['ID', 'ACTION', 'KIND', 'PROVIDER', 'LAYER', 'NAME'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  for (const r of [header, ...rows]) {
    const cells = r.map((cell, c) => (c === 0 ? cell.padStart(widths[0]!) : c === r.length - 1 ? cell : cell.padEnd(widths[c]!)));
    lines.push(`  ${cells.join('  ')}`);
  }
  return `${lines.join('\n')}\n`;
}

function formatJson(source: string, filters: readonly FilterAttribution[], providerCount: number): string {
  const byAction: Record<string, number> = {};
  for (const c of countBy(filters, (f) => f.action || 'unknown', () => '')) byAction[c.key] = c.count;
  return `${JSON.stringify({
    source,
    filterCount: filters.length,
    providerCount,
    byProvider: countBy(filters, (f) => f.providerKey, (f) => f.rulesetName ?? '').map((c) => ({
      providerKey: c.key,
      rulesetName: c.label === '' ? null : c.label,
      count: c.count,
    })),
    byAction,
    filters: [...filters]
      .sort((a, b) => a.filterId - b.filterId)
      .map((f) => ({ ...f, blockKind: f.action === 'block' ? kindOf(f) : null })),
  })}\n`;
}

export function createFiltersCommand(deps: FiltersCommandDeps = defaultDeps): Command {
  return {
    name: 'filters',
    summary: 'List the WFP filter catalog (which filter id is which rule).',
    help: HELP,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const parsed = parseOptions(args, {
        file: { type: 'string' },
        json: { type: 'boolean' },
        all: { type: 'boolean' },
        config: { type: 'string' },
      });
      if (!parsed.ok) {
        io.stderr(`wfp-agent filters: ${parsed.message}. See wfp-agent filters --help.\n`);
        return EXIT_USAGE;
      }
      if (parsed.parsed.positionals.length > 0) {
        io.stderr(`wfp-agent filters: unexpected argument '${parsed.parsed.positionals[0]}'. See wfp-agent filters --help.\n`);
        return EXIT_USAGE;
      }
      const config = loadCliConfig(stringOption(parsed.parsed, 'config'), io);
      if (config === null) return EXIT_USAGE;
      const file = stringOption(parsed.parsed, 'file') ?? (config.filters.file === '' ? undefined : config.filters.file);
      let provider: FilterSnapshotProvider;
      if (file !== undefined) provider = createFileSnapshotProvider(file);
      else if (deps.platform !== 'win32') {
        io.stderr('wfp-agent filters: a live snapshot (netsh wfp show filters) needs Windows; give --file FILE with a recorded one.\n');
        return EXIT_USAGE;
      } else {
        provider = createNetshSnapshotProvider({
          run: deps.run,
          tempPath: deps.tempPath,
          remove: (p) => rmSync(p, { force: true }),
        });
      }
      const taken = await provider.take();
      if (!taken.ok) {
        io.stderr(`wfp-agent filters: ${taken.detail}\n`);
        return EXIT_PROBLEMS;
      }
      const { filters, providerCount } = taken.value;
      io.stdout(
        flag(parsed.parsed, 'json')
          ? formatJson(provider.description, filters, providerCount)
          : formatText(provider.description, filters, providerCount, flag(parsed.parsed, 'all')),
      );
      return EXIT_OK;
    },
  };
}

export const filtersCommand: Command = createFiltersCommand();
