// The attributes enrichment contributes to a log record, by name (agent/README.md "Attribution"). The telemetry mapping
// may use this or read the fields itself; keys that are unknown are left out, never sent empty.
import type { EventEnrichment } from './event-enrichment.ts';

export type EnrichmentAttributes = Readonly<Record<string, string | number | boolean>>;

export function enrichmentAttributes(e: EventEnrichment): EnrichmentAttributes {
  const out: Record<string, string | number | boolean> = {};
  addAttributionAttributes(out, e);
  if (e.executablePath !== '') out['process.executable.path'] = e.executablePath;
  if (e.executableName !== '') out['process.executable.name'] = e.executableName;
  if (e.pathMapping === 'unknown-volume') out['wfp.path.mapping'] = e.pathMapping;
  return out;
}

/**
 * The filter, rule and block-kind part of `enrichmentAttributes`, written into `out` (the log record's own
 * attributes, so no object in between).
 */
export function addAttributionAttributes(out: Record<string, string | number | boolean | readonly string[]>, e: EventEnrichment): void {
  const f = e.filter;
  if (f !== null) {
    out['wfp.filter.id'] = f.filterId;
    if (f.name !== '') out['wfp.filter.name'] = f.name;
    if (f.providerKey !== '') out['wfp.filter.provider'] = f.providerKey;
    if (f.action !== '') out['wfp.filter.action'] = f.action;
    const rule = f.ruleName ?? (e.blockKind === 'policy-rule' && f.name !== '' ? f.name : null);
    if (rule !== null && rule !== '') out['security_rule.name'] = rule;
    if (f.rulesetName !== null) out['security_rule.ruleset.name'] = f.rulesetName;
  }
  if (e.filterLookup !== 'no-filter') out['wfp.filter.lookup'] = e.filterLookup;
  if (e.blockKind !== null) out['wfp.block.kind'] = e.blockKind;
}
