// The bundled real events through the pipeline with telemetry.ecs on (allowed traffic included, the synthetic
// filter catalog for rule names): what the Elastic content in deploy/elastic/ is checked against.
import assert from 'node:assert/strict';
import { parseConfig } from '../../agent/config/index.ts';
import { loadEnricher } from '../../agent/enrich/index.ts';
import { createFilePipeline } from '../../agent/cli/file-input.ts';
import { loadReplayFile } from '../../agent/source/index.ts';
import type { TelemetryRecord } from '../../agent/telemetry/index.ts';
import { fixture, msDocsFiles, otrfFiles } from './fixtures.ts';

export function ecsFixtureRecords(ecs = true): TelemetryRecord[] {
  const yaml =
    `events: {include_allowed: true}\ntelemetry: {ecs: ${ecs}}\n` + `filters: {file: ${JSON.stringify(fixture('netsh-wfp', 'synthetic-filters.xml'))}}\n`;
  const config = parseConfig(yaml, { file: '<test>', env: () => undefined });
  const enricher = loadEnricher({ config });
  assert.ok(enricher.ok);
  const pipeline = createFilePipeline(config, enricher.value);
  const out: TelemetryRecord[] = [];
  for (const file of [...msDocsFiles(), ...otrfFiles()]) {
    for (const item of loadReplayFile(file).items) {
      const r = pipeline.process(item);
      assert.ok(r.ok);
      out.push(r.value.record);
    }
  }
  return out;
}
