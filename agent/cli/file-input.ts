// What `explain`, `replay` and `demo` share: config + enricher -> the pipeline they run files through, and the
// files read into items with every computer's addresses learned first.
import type { AgentConfig } from '../config/index.ts';
import { loadEnricher, shouldLog } from '../enrich/index.ts';
import type { Enricher } from '../enrich/index.ts';
import { createEventPipeline } from '../pipeline/index.ts';
import type { EventPipeline } from '../pipeline/index.ts';
import { loadReplayFile } from '../source/index.ts';
import type { SourceItem } from '../source/index.ts';
import type { CliIo } from './command.ts';
import { loadCliConfig } from './load-cli-config.ts';

/** The pipeline files go through: the enricher, and routine blocks counted but not logged (`filters`). */
export function createFilePipeline(config: AgentConfig, enricher: Enricher): EventPipeline {
  return createEventPipeline(config, { enricher, shouldLog: (_event, enrichment) => shouldLog(enrichment, config.filters) });
}

/** `--config` and `--filters` of a file command; problems reported on stderr as one line each (null: exit 2). */
export function loadFilePipeline(
  command: string,
  configPath: string | undefined,
  filtersFile: string | undefined,
  io: CliIo,
): { readonly config: AgentConfig; readonly pipeline: EventPipeline } | null {
  const config = loadCliConfig(configPath, io);
  if (config === null) return null;
  const enricher = loadEnricher(filtersFile === undefined ? { config } : { config, filtersFile });
  if (!enricher.ok) {
    io.stderr(`wfp-agent ${command}: ${enricher.detail}\n`);
    return null;
  }
  return { config, pipeline: createFilePipeline(config, enricher.value) };
}

/** Read the files (problems go to `onProblem`), then learn every computer's addresses before processing. */
export function loadItems(files: readonly string[], pipeline: EventPipeline, onProblem: (line: string) => void): { items: SourceItem[]; fileProblems: number } {
  const items: SourceItem[] = [];
  let fileProblems = 0;
  for (const file of files) {
    const loaded = loadReplayFile(file);
    for (const p of loaded.problems) onProblem(`${p.file}: ${p.detail}`);
    for (const w of loaded.warnings) onProblem(`${w.file}: warning: ${w.detail}`);
    fileProblems += loaded.problems.length;
    // One at a time: spreading 200,000 items into push() overflows the call stack.
    for (const item of loaded.items) items.push(item);
  }
  // An early inbound event benefits from a later outbound one of the same computer.
  for (const item of items) pipeline.learn(item);
  return { items, fileProblems };
}
