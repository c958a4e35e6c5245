// How `explain` shows one processed event: a readable block, or one NDJSON line.
import type { ProcessedEvent } from '../../pipeline/index.ts';
import type { SourceItem } from '../../source/index.ts';

const DISPOSITION_TEXT = {
  logged: '',
  counted: '  [metrics only: not sent as a log record]',
  aggregated: '  [aggregate: counted in metrics and in its wfp.packet.dropped.summary, not sent alone]',
  'not-collected': '  [not collected by this config]',
} as const;

export function formatRecordBlock(p: ProcessedEvent, item: SourceItem): string {
  const r = p.record;
  const keys = Object.keys(r.attributes);
  const width = Math.max(...keys.map((k) => k.length));
  const lines = keys.map((k) => `    ${k.padEnd(width)}  ${String(r.attributes[k])}`);
  return (
    `${item.file} #${item.position}  ${r.eventName}  ${r.severityText}  ${r.timestamp || '(no time)'}${DISPOSITION_TEXT[p.disposition]}\n` +
    `  ${r.body}\n${lines.join('\n')}\n\n`
  );
}

export function formatRecordJson(p: ProcessedEvent): string {
  const r = p.record;
  return `${JSON.stringify({
    eventName: r.eventName,
    timestamp: r.timestamp,
    severity: r.severityText,
    severityNumber: r.severityNumber,
    body: r.body,
    disposition: p.disposition,
    attributes: r.attributes,
  })}\n`;
}
