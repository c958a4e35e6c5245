// `wfp-agent demo` (what `npm start` runs): the full pipeline on the bundled real events, to the console and
// a Prometheus pull endpoint on 127.0.0.1, with an embedded configuration, so a newcomer sees the agent work
// on any OS with no backend to set up.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../config/index.ts';
import { loadEnricher } from '../../enrich/index.ts';
import { createOtelTelemetrySink } from '../../export/index.ts';
import type { TelemetrySink } from '../../export/index.ts';
import type { Command, CliIo } from '../command.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../command.ts';
import { flag, parseOptions, stringOption } from '../parse-options.ts';
import { createFilePipeline, loadItems } from '../file-input.ts';
import { createDemoSummary } from './demo-summary.ts';
import { formatSummary, replayChunk, replayFailed, replayIntoSink } from './replay-command.ts';

// fileURLToPath, not .pathname: on Windows that would be /C:/Program%20Files/... and no folder.
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

/** The embedded default: no OTLP backend, console only with `--raw`, Prometheus pull endpoint on loopback. */
export function demoConfigYaml(port: number, raw = true): string {
  return `exporters:
  otlp: {enabled: false}
  console: {enabled: ${raw}}
  prometheus: {enabled: true, host: 127.0.0.1, port: ${port}}
`;
}

const HELP = `Usage: wfp-agent demo [options]

Run the whole pipeline (decode, interpret, enrich, record contract, OpenTelemetry logs and metrics) on the
real Windows events bundled in test/fixtures/ (Microsoft's documentation samples and OTRF Security-Datasets),
with an embedded configuration, and end with a short summary: blocks by kind, top applications, rules and
peers, three examples explained, and the OTLP setting that sends it to a backend. The counters are served at
a Prometheus pull endpoint on 127.0.0.1. No backend or Windows needed.

Options:
  --raw             Print every log record and metric series to the console (~400 lines) before the summary.
  --serve           Keep the Prometheus endpoint up until interrupted (Ctrl+C), e.g. to point Prometheus at it.
  --port N          Port for the endpoint (default 0: a free one; the URL is printed).
  -h, --help        Show this help.
`;

export function bundledFixtureFiles(): string[] {
  const files: string[] = [];
  for (const dir of ['ms-docs', 'otrf']) {
    let names: string[] = [];
    try {
      names = readdirSync(join(FIXTURES, dir)).sort();
    } catch {
      continue;
    }
    for (const name of names) if (/\.(xml|jsonl)$/.test(name)) files.push(join(FIXTURES, dir, name));
  }
  return files;
}

export interface DemoOptions {
  /** Resolves when a served demo should stop (default: SIGINT or SIGTERM). */
  readonly waitForStop?: () => Promise<void>;
}

export function createDemoCommand(options: DemoOptions = {}): Command {
  return {
    name: 'demo',
    summary: 'Run the pipeline on the bundled real events and show what it exports.',
    help: HELP,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const parsed = parseOptions(args, { serve: { type: 'boolean' }, port: { type: 'string' }, raw: { type: 'boolean' } });
      if (!parsed.ok || parsed.parsed.positionals.length > 0) {
        io.stderr(`wfp-agent demo: ${parsed.ok ? 'takes no FILE' : parsed.message}. See wfp-agent demo --help.\n`);
        return EXIT_USAGE;
      }
      const portText = stringOption(parsed.parsed, 'port') ?? '0';
      const port = Number(portText);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        io.stderr(`wfp-agent demo: --port: expected 0-65535, found ${JSON.stringify(portText)}.\n`);
        return EXIT_USAGE;
      }
      const files = bundledFixtureFiles();
      if (files.length === 0) {
        io.stderr(`wfp-agent demo: no bundled events found under ${FIXTURES}.\n`);
        return EXIT_PROBLEMS;
      }
      const raw = flag(parsed.parsed, 'raw');
      const config = parseConfig(demoConfigYaml(port, raw), { file: '<demo>', env: () => undefined });
      const created = await createOtelTelemetrySink({ config, env: () => undefined, write: io.stdout });
      if (!created.ok) {
        for (const p of created.problems) io.stderr(`wfp-agent demo: ${p}\n`);
        return EXIT_PROBLEMS;
      }
      const sink = created.value;
      try {
        io.stderr(`Replaying ${files.length} bundled files of real events (test/fixtures/, see SOURCES.md there).\n`);
        const enricher = loadEnricher({ config });
        if (!enricher.ok) {
          io.stderr(`wfp-agent demo: ${enricher.detail}\n`);
          return EXIT_PROBLEMS;
        }
        const pipeline = createFilePipeline(config, enricher.value);
        const { items, fileProblems } = loadItems(files, pipeline, (line) => io.stderr(`${line}\n`));
        const summary = createDemoSummary();
        const summarized: TelemetrySink = {
          emit(event, enrichment, record) {
            if (record !== null) summary.add(record);
            sink.emit(event, enrichment, record);
          },
          emitRecord: (record) => sink.emitRecord(record),
          flush: (what) => sink.flush(what),
          shutdown: () => sink.shutdown(),
        };
        const result = await replayIntoSink(items, pipeline, summarized, replayChunk(config), (line) => io.stderr(`${line}\n`));
        // Without --raw no log exporter runs, so the sink's record counts would read 0: the summary says it all.
        if (raw || replayFailed(result, sink, fileProblems)) io.stderr(formatSummary(result, sink, fileProblems));
        io.stdout(summary.format({ eventsRead: result.counts.read, files: files.length }));
        const url = sink.prometheusUrl ?? '';
        const scraped = await fetch(url).then((r) => r.text()).catch((e: unknown) => `# cannot fetch: ${String(e)}\n`);
        io.stdout(raw ? rawMetricLines(url, scraped) : metricOverview(url, scraped));
        if (flag(parsed.parsed, 'serve')) {
          io.stderr(`Serving ${url} until interrupted (Ctrl+C).\n`);
          await (options.waitForStop ?? waitForSignal)();
        } else {
          io.stderr(`The endpoint ${url} closes now; 'npm start -- --serve' keeps it up.\n`);
        }
        return replayFailed(result, sink, fileProblems) ? EXIT_PROBLEMS : EXIT_OK;
      } finally {
        await sink.shutdown();
      }
    },
  };
}

function rawMetricLines(url: string, scraped: string): string {
  const fixed = scraped.split('\n').filter((l) => /^(# TYPE )?wfp_(connection_blocks|packet_drops)_total\b/.test(l));
  return `\nPrometheus pull endpoint ${url} serves, among the rest (agent/README.md "Metrics"):\n${fixed.join('\n')}\n`;
}

/** One line: how many series of which wfp_ counters the endpoint serves. */
function metricOverview(url: string, scraped: string): string {
  const series = new Map<string, number>();
  for (const m of scraped.matchAll(/^(wfp_[a-z_]+_total)\{/gm)) series.set(m[1]!, (series.get(m[1]!) ?? 0) + 1);
  const list = [...series].map(([name, n]) => `${name} (${n})`).join(', ');
  return `\nPrometheus pull endpoint ${url} serves the counters (series per metric): ${list || 'none'}; agent/README.md "Metrics".\n`;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

export const demoCommand: Command = createDemoCommand();
