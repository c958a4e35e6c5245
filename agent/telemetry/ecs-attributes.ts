// The Elastic Common Schema fields a record also carries when `telemetry.ecs` is on (config/README.md
// "telemetry"). Elastic stores OTLP log attributes as passthrough fields, so these become ECS fields in Kibana
// and Elastic Security without an ingest pipeline. Pure: reads the interpreted event and its enrichment only.
//
// Choices (ECS reference, checked against @elastic/ecs in test/unit/telemetry/ecs-attributes.test.ts):
// - source.* is the initiator, destination.* the responder, from the RESOLVED local/peer sides: outbound ->
//   source = this host; inbound -> source = the peer. Listen/bind have only the local side: it is source.*.
// - network.direction from the host's point of view (ECS asks host-based sources for ingress/egress).
// - event.outcome: failure for blocks and drops, success for allowed traffic (the event's audit keyword, as
//   Elastic's own Windows Security mapping does).
// - event.type per kind: connection and packet -> connection; listen -> start; bind -> access; each with
//   denied or allowed (all expected types of the network category).
// - network.transport: the IANA keyword of any protocol (ECS), so ICMP has one too; ICMPv6 is `ipv6-icmp`.
import { isIP } from 'node:net';
import type { WfpEvent, NetworkEvent, Endpoint } from '../interpret/index.ts';
import type { EventEnrichment } from '../enrich/index.ts';
import type { AttributeValue } from './telemetry-record.ts';

/** data_stream.dataset: Elastic routes OTLP logs carrying it to `logs-windows.wfp.otel-<namespace>`. */
export const ECS_DATASET = 'windows.wfp';
export const ECS_MODULE = 'windows';

type Attrs = Record<string, AttributeValue>;

const NETWORK: readonly string[] = Object.freeze(['network']);
const CONFIGURATION: readonly string[] = Object.freeze(['configuration']);

const EVENT_TYPE_BY_KIND: Readonly<Record<NetworkEvent['kind'], string>> = {
  connection: 'connection',
  packet: 'connection',
  listen: 'start',
  bind: 'access',
};

/** Adds the ECS fields for `event` to `a` (the record's attributes, built by toTelemetryRecord). */
export function addEcsAttributes(a: Attrs, event: WfpEvent, enrichment: EventEnrichment): void {
  const raw = event.raw;
  a['event.kind'] = 'event';
  a['event.code'] = String(raw.eventId);
  if (raw.provider !== '') a['event.provider'] = raw.provider;
  a['event.module'] = ECS_MODULE;
  a['event.dataset'] = ECS_DATASET;
  a['data_stream.dataset'] = ECS_DATASET;
  if (raw.computer !== '') a['host.name'] = raw.computer;
  const b = event.body;
  switch (b.type) {
    case 'network':
      addNetwork(a, b, enrichment);
      break;
    case 'firewall-app-block':
      a['event.action'] = 'application-listen-blocked';
      a['event.category'] = NETWORK;
      a['event.type'] = ['start', 'denied'];
      a['event.outcome'] = 'failure';
      addProcess(a, null, b.application.raw, b.application.executableName, enrichment);
      break;
    case 'filter': {
      const change = b.eventId === 5441 ? 'present' : (b.changeType?.name ?? 'changed').toLowerCase();
      a['event.action'] = change === 'add' ? 'wfp-filter-added' : change === 'delete' ? 'wfp-filter-deleted' : `wfp-filter-${change}`;
      a['event.category'] = CONFIGURATION;
      a['event.type'] = [change === 'add' ? 'creation' : change === 'delete' ? 'deletion' : b.eventId === 5441 ? 'info' : 'change'];
      a['event.outcome'] = 'success';
      if (b.filterId !== null) a['rule.id'] = String(b.filterId);
      if (b.filterKey !== '') a['rule.uuid'] = b.filterKey;
      if (b.filterName !== '') a['rule.name'] = b.filterName;
      if (b.providerName !== '') a['rule.ruleset'] = b.providerName;
      break;
    }
    case 'audit-policy-change':
      a['event.action'] = 'audit-policy-changed';
      a['event.category'] = CONFIGURATION;
      a['event.type'] = ['change'];
      a['event.outcome'] = 'success';
      break;
    case 'log-cleared':
      a['event.action'] = 'audit-log-cleared';
      a['event.category'] = CONFIGURATION;
      a['event.type'] = ['deletion'];
      a['event.outcome'] = 'success';
      break;
    case 'unknown':
      break;
  }
}

function addNetwork(a: Attrs, n: NetworkEvent, e: EventEnrichment): void {
  const allowed = n.outcome === 'allowed';
  a['event.action'] = `network-${n.kind}-${n.outcome}`;
  a['event.category'] = NETWORK;
  a['event.type'] = [EVENT_TYPE_BY_KIND[n.kind], allowed ? 'allowed' : 'denied'];
  a['event.outcome'] = allowed ? 'success' : 'failure';
  a['network.direction'] = n.direction === 'inbound' ? 'ingress' : n.direction === 'outbound' ? 'egress' : 'unknown';
  const { local, peer } = n.sides;
  if (peer === null) {
    addEndpoint(a, 'source', local);
  } else if (n.direction === 'inbound') {
    addEndpoint(a, 'source', peer);
    addEndpoint(a, 'destination', local);
  } else {
    // Outbound, and forwarded/unknown traffic, which the interpreter resolves with the outbound convention.
    addEndpoint(a, 'source', local);
    addEndpoint(a, 'destination', peer);
  }
  if (n.ipVersion !== null) a['network.type'] = n.ipVersion;
  if (n.protocol.number !== null) a['network.iana_number'] = String(n.protocol.number);
  if (n.protocol.name !== null) a['network.transport'] = n.protocol.name === 'icmpv6' ? 'ipv6-icmp' : n.protocol.name;
  addProcess(a, n.processId, n.application.raw, n.application.executableName, e);
  const f = e.filter;
  if (f !== null) {
    a['rule.id'] = String(f.filterId);
    if (f.filterKey !== '') a['rule.uuid'] = f.filterKey;
    const name = f.ruleName ?? (f.name !== '' ? f.name : null);
    if (name !== null && name !== '') a['rule.name'] = name;
    if (f.rulesetName !== null && f.rulesetName !== '') a['rule.ruleset'] = f.rulesetName;
  } else if (n.filterRtId !== null && n.filterRtId !== 0) {
    a['rule.id'] = String(n.filterRtId);
  }
}

function addEndpoint(a: Attrs, side: 'source' | 'destination', ep: Endpoint): void {
  // ECS maps *.ip as `ip`: a value Elasticsearch cannot parse would reject the whole document.
  if (isIP(ep.address) !== 0) a[`${side}.ip`] = ep.address;
  if (ep.port !== null) a[`${side}.port`] = ep.port;
}

function addProcess(a: Attrs, pid: number | null, rawPath: string, name: string, e: EventEnrichment): void {
  if (pid !== null) a['process.pid'] = pid;
  if (rawPath === '' || rawPath === '-') return; // kernel-level drops name no application
  a['process.executable'] = e.executablePath || rawPath;
  if (name !== '') a['process.name'] = name;
}
