// The bundled real events through the pipeline with telemetry.ecs on (allowed traffic included, the synthetic
// filter catalog for rule names): what the Elastic content in deploy/elastic/ is checked against.
import assert from 'node:assert/strict';
import { parseConfig } from '../../agent/config/index.ts';
import { loadEnricher } from '../../agent/enrich/index.ts';
import { createFilePipeline } from '../../agent/cli/file-input.ts';
import { loadReplayFile } from '../../agent/source/index.ts';
import type { SourceItem } from '../../agent/source/index.ts';
import type { TelemetryRecord } from '../../agent/telemetry/index.ts';
import { fixture, msDocsFiles, otrfFiles } from './fixtures.ts';

/**
 * A 5157 whose filter the synthetic snapshot knows as the firewall rule "Block Telnet" (filter 85081), for
 * the rule-name fields: none of the recorded events hits a filter that snapshot names as a rule.
 */
export const RULED_BLOCK: SourceItem = {
  text: JSON.stringify({
    EventID: 5157, Hostname: 'WS1', SourceName: 'Microsoft-Windows-Security-Auditing', TimeCreated: '2023-08-15T05:33:55.325Z',
    Direction: '%%14592', SourceAddress: '10.0.0.9', SourcePort: '50000', DestAddress: '10.0.0.5', DestPort: '23', Protocol: '6',
    FilterRTID: '85081', LayerName: '%%14610', LayerRTID: '44', Application: '\\device\\harddiskvolume2\\windows\\system32\\tlntsvr.exe',
  }),
  format: 'json',
  recordId: null,
  file: 'ruled-block',
  position: 1,
};

export function ecsFixtureRecords(ecs = true, extra: readonly SourceItem[] = [RULED_BLOCK]): TelemetryRecord[] {
  const yaml =
    `events: {include_allowed: true}\ntelemetry: {ecs: ${ecs}}\n` + `filters: {file: ${JSON.stringify(fixture('netsh-wfp', 'synthetic-filters.xml'))}}\n`;
  const config = parseConfig(yaml, { file: '<test>', env: () => undefined });
  const enricher = loadEnricher({ config });
  assert.ok(enricher.ok);
  const pipeline = createFilePipeline(config, enricher.value);
  const out: TelemetryRecord[] = [];
  for (const items of [...[...msDocsFiles(), ...otrfFiles()].map((file) => loadReplayFile(file).items), extra]) {
    for (const item of items) {
      const r = pipeline.process(item);
      assert.ok(r.ok);
      out.push(r.value.record);
    }
  }
  return out;
}
