// `wfp-agent explain FILE...`: what the agent would export for each event, as a table or NDJSON.
import { formatDecodeError } from '../../decode/index.ts';
import type { ProcessedEvent } from '../../pipeline/index.ts';
import type { Command, CliIo } from '../command.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../command.ts';
import { flag, parseOptions, stringOption } from '../parse-options.ts';
import { loadFilePipeline, loadItems } from '../file-input.ts';
import { formatRecordBlock, formatRecordJson } from './format-record.ts';

const HELP = `Usage: wfp-agent explain [options] FILE...

Print, for each event in the files, exactly the log record the agent would export: event name, time,
severity, a one-line explanation and every attribute (agent/README.md "Record contract").

FILE is event XML (wevtutil qe /f:xml, EventRecord.ToXml(), evtxexport; one event, several, or wrapped in
<Events>; UTF-8 or UTF-16) or JSON lines as NXLog/Logstash/Winlogbeat export them.

Options:
  --json            One JSON object per event (NDJSON): eventName, timestamp, severity, severityNumber,
                    body, disposition, attributes.
  --config FILE     Use this configuration (event selection, host addresses, telemetry.ecs for the
                    Elastic Common Schema fields). Default: the bundled one.
  --filters FILE    A 'netsh wfp show filters' XML snapshot: attribute each block to its filter or firewall
                    rule and classify it (wfp.block.kind). 5441/5447 events in the input update it too.
  --all             Also show events this configuration does not collect (allowed traffic, other ids).
  -h, --help        Show this help.

Problems (bad records, unreadable files) go to stderr as FILE: record N (line L): reason: detail.
A summary line goes to stderr. Exit codes: 0 all records good, 1 some records or files bad, 2 usage.
`;

export const explainCommand: Command = {
  name: 'explain',
  summary: 'Print exactly what the agent would export for each event in FILE...',
  help: HELP,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseOptions(args, {
      json: { type: 'boolean' },
      config: { type: 'string' },
      filters: { type: 'string' },
      all: { type: 'boolean' },
    });
    if (!parsed.ok) {
      io.stderr(`wfp-agent explain: ${parsed.message}. See wfp-agent explain --help.\n`);
      return EXIT_USAGE;
    }
    const files = parsed.parsed.positionals;
    if (files.length === 0) {
      io.stderr('wfp-agent explain: no FILE given. See wfp-agent explain --help.\n');
      return EXIT_USAGE;
    }
    const loaded = loadFilePipeline('explain', stringOption(parsed.parsed, 'config'), stringOption(parsed.parsed, 'filters'), io);
    if (loaded === null) return EXIT_USAGE;
    const { pipeline } = loaded;
    const json = flag(parsed.parsed, 'json');
    const all = flag(parsed.parsed, 'all');
    const { items, fileProblems } = loadItems(files, pipeline, (line) => io.stderr(`${line}\n`));

    const counts = { logged: 0, counted: 0, 'not-collected': 0, bad: 0 };
    for (const item of items) {
      const outcome = pipeline.process(item);
      if (!outcome.ok) {
        counts.bad++;
        io.stderr(`${formatDecodeError(outcome)}\n`);
        continue;
      }
      const p: ProcessedEvent = outcome.value;
      counts[p.disposition]++;
      if (p.disposition === 'not-collected' && !all) continue;
      io.stdout(json ? formatRecordJson(p) : formatRecordBlock(p, item));
    }
    const good = counts.logged + counts.counted + counts['not-collected'];
    const hidden = counts['not-collected'] > 0 && !all ? ' (--all shows them)' : '';
    io.stderr(
      `${good + counts.bad} records: ${good} good, ${counts.bad} bad; ${counts.logged} logged, ${counts.counted} counted only, ` +
        `${counts['not-collected']} not collected by this config${hidden}` +
        (fileProblems > 0 ? `; ${fileProblems} file(s) unreadable` : '') +
        '.\n',
    );
    return counts.bad > 0 || fileProblems > 0 ? EXIT_PROBLEMS : EXIT_OK;
  },
};
