// Event → metric attributes, with a per-counter limit on distinct executable and rule names.
//
// The SDK's own limit (aggregationCardinalityLimit) counts attribute *combinations*; admins think in
// applications. So the first `appLimit` executable names (and rule names) a counter sees keep their name, and
// an event of any later one is recorded with exactly the SDK's overflow attribute set
// `{otel.metric.overflow: true}`: one overflow series per counter whichever limit tripped, totals stay exact,
// and one alert (`otel_metric_overflow="true"`) covers both.
import type { Attributes } from '@opentelemetry/api';
import type { WfpEvent, NetworkEvent } from '../interpret/index.ts';
import type { EventEnrichment } from '../enrich/index.ts';

export const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });

export const ATTR = {
  direction: 'wfp.direction',
  layer: 'wfp.layer.name',
  transport: 'network.transport',
  protocol: 'wfp.protocol.name',
  ipType: 'network.type',
  executable: 'process.executable.name',
  blockKind: 'wfp.block.kind',
  rule: 'security_rule.name',
  profiles: 'wfp.firewall.profiles',
  changeType: 'wfp.filter.change',
  subcategory: 'windows.audit.subcategory.guid',
} as const;

export interface MetricAttributeMapper {
  /** Attributes for one event on the counter `metricName`; the overflow set when a name limit is exceeded. */
  attributesFor(metricName: string, event: WfpEvent, enrichment: EventEnrichment): Attributes;
}

// OTel `network.transport` has well-known values; ICMP and others have none, so only the project attribute names them.
const TRANSPORTS: ReadonlySet<string> = new Set(['tcp', 'udp']);

export function createMetricAttributeMapper(appLimit: number): MetricAttributeMapper {
  const seen = new Map<string, { apps: Set<string>; rules: Set<string> }>();
  const admit = (set: Set<string>, name: string): boolean => {
    if (name === '' || set.has(name)) return true;
    if (set.size >= appLimit) return false;
    set.add(name);
    return true;
  };
  const limitsFor = (metricName: string) => {
    let entry = seen.get(metricName);
    if (entry === undefined) {
      entry = { apps: new Set(), rules: new Set() };
      seen.set(metricName, entry);
    }
    return entry;
  };

  return {
    attributesFor(metricName, event, enrichment) {
      const body = event.body;
      switch (body.type) {
        case 'network': {
          const limits = limitsFor(metricName);
          const app = body.application.executableName;
          const rule = enrichment.filter?.ruleName ?? enrichment.filter?.name ?? '';
          if (!admit(limits.apps, app) || (rule !== '' && !admit(limits.rules, rule))) return OVERFLOW_ATTRIBUTES;
          return networkAttributes(body, enrichment, app, rule);
        }
        case 'firewall-app-block': {
          const app = body.application.executableName;
          if (!admit(limitsFor(metricName).apps, app)) return OVERFLOW_ATTRIBUTES;
          const attrs: Attributes = { [ATTR.profiles]: body.profiles };
          if (app !== '') attrs[ATTR.executable] = app;
          return attrs;
        }
        case 'filter':
          return {
            [ATTR.changeType]: (body.changeType?.name ?? body.changeType?.raw ?? 'unknown').toLowerCase(),
            [ATTR.layer]: body.layerName,
          };
        case 'audit-policy-change':
          return { [ATTR.subcategory]: body.subcategoryGuid };
        case 'log-cleared':
        case 'unknown':
          return {};
      }
    },
  };
}

function networkAttributes(body: NetworkEvent, enrichment: EventEnrichment, app: string, rule: string): Attributes {
  const protocolName = body.protocol.name ?? (body.protocol.number === null ? 'unknown' : String(body.protocol.number));
  const attrs: Attributes = {
    [ATTR.direction]: body.direction,
    [ATTR.layer]: body.layer.name ?? body.layer.raw,
    [ATTR.protocol]: protocolName,
  };
  // No application ('-' in the event): no attribute, as in the log record.
  if (app !== '') attrs[ATTR.executable] = app;
  if (TRANSPORTS.has(protocolName)) attrs[ATTR.transport] = protocolName;
  if (body.ipVersion !== null) attrs[ATTR.ipType] = body.ipVersion;
  if (enrichment.blockKind !== null) attrs[ATTR.blockKind] = enrichment.blockKind;
  if (rule !== '') attrs[ATTR.rule] = rule;
  return attrs;
}
