// WfpEvent + enrichment -> the exported log record. The single mapping both `explain` and the exporters use.
import type { WfpEvent, NetworkEvent } from '../interpret/index.ts';
import { OTEL_TRANSPORTS } from '../interpret/index.ts';
import { addAttributionAttributes } from '../enrich/index.ts';
import type { BlockKind, EventEnrichment } from '../enrich/index.ts';
import type { AttributeValue, TelemetryRecord } from './telemetry-record.ts';
import { eventNameFor } from './event-names.ts';
import { addEcsAttributes } from './ecs-attributes.ts';
import { recordUid } from './record-uid.ts';

// OTel severity numbers (logs data model): INFO 9, WARN 13.
const INFO = { number: 9, text: 'INFO' } as const;
const WARN = { number: 13, text: 'WARN' } as const;

/** Blocks that are the machine working as designed, not a policy decision someone should look at. */
const ROUTINE_KINDS: ReadonlySet<BlockKind> = new Set(['stealth', 'boot-time', 'default-policy']);

type Attrs = Record<string, AttributeValue>;

export interface RecordOptions {
  /** Also add the Elastic Common Schema fields (config `telemetry.ecs`; ecs-attributes.ts). */
  readonly ecs?: boolean;
  /**
   * The machine's host.id when the events are this machine's own (live); '' or absent for files, whose events
   * may come from any host: their Computer names them in `log.record.uid`.
   */
  readonly hostId?: string;
}

export function toTelemetryRecord(event: WfpEvent, enrichment: EventEnrichment, options: RecordOptions = {}): TelemetryRecord {
  const hostId = options.hostId ?? '';
  const raw = event.raw;
  const a: Attrs = {
    'windows.event.id': raw.eventId,
  };
  if (raw.recordId !== null) a['windows.event.record_id'] = raw.recordId;
  a['log.record.uid'] = recordUid(hostId !== '' ? hostId : raw.computer, raw);
  // Stores with literal keys, not through set(): every event runs these, and one keyed store shared by all keys
  // was ~5% of the CPU an event costs before export (CPU profile over the bench's events).
  if (raw.provider !== '') a['windows.event.provider'] = raw.provider;
  if (raw.channel !== '') a['windows.event.channel'] = raw.channel;
  if (raw.computer !== '') a['host.name'] = raw.computer;
  if (raw.timeQuality !== 'exact') a['windows.event.time_quality'] = raw.timeQuality;

  let severity: { number: number; text: string } = INFO;
  let body: string;
  const b = event.body;
  switch (b.type) {
    case 'network': {
      mapNetwork(a, b, enrichment);
      const routine = enrichment.blockKind !== null && ROUTINE_KINDS.has(enrichment.blockKind);
      severity = b.outcome === 'allowed' || b.outcome === 'dropped' || routine ? INFO : WARN;
      body = describeNetwork(b, enrichment);
      break;
    }
    case 'firewall-app-block':
      set(a, 'wfp.firewall.profiles', b.profiles);
      mapProcess(a, null, b.application.executableName, enrichment, b.application.raw);
      severity = WARN;
      body = `Windows Firewall blocked ${b.application.executableName || 'an application'} from accepting incoming connections (profiles: ${b.profiles || 'unknown'}).`;
      break;
    case 'filter':
      if (b.changeType !== null) set(a, 'wfp.filter.change', (b.changeType.name ?? b.changeType.raw).toLowerCase());
      if (b.filterId !== null) a['wfp.filter.id'] = b.filterId;
      set(a, 'wfp.filter.key', b.filterKey);
      set(a, 'wfp.filter.name', b.filterName);
      if (b.filterType !== null) set(a, 'wfp.filter.type', b.filterType.name ?? b.filterType.raw);
      set(a, 'wfp.filter.provider.key', b.providerKey);
      set(a, 'wfp.filter.provider', b.providerName);
      set(a, 'wfp.layer.key', b.layerKey);
      set(a, 'wfp.layer.name', b.layerName);
      if (b.layerId !== null) a['wfp.layer.id'] = b.layerId;
      if (b.action !== null) set(a, 'wfp.filter.action', (b.action.name ?? b.action.raw).toLowerCase());
      set(a, 'wfp.filter.weight', b.weight);
      if (b.calloutKey !== '' && !/^\{0{8}-/.test(b.calloutKey)) set(a, 'wfp.filter.callout.key', b.calloutKey);
      if (b.calloutName !== '-') set(a, 'wfp.filter.callout.name', b.calloutName);
      if (b.userSid !== null) set(a, 'user.id', b.userSid);
      if (b.userName !== null) set(a, 'user.name', b.userName);
      if (b.processId !== null) a['process.pid'] = b.processId;
      body =
        b.eventId === 5441
          ? `WFP filter present at start: ${b.filterName} (id ${b.filterId ?? '?'}, ${b.layerName}).`
          : `WFP filter ${(b.changeType?.name ?? 'changed').toLowerCase()}: ${b.filterName} (id ${b.filterId ?? '?'}, ${b.layerName}).`;
      break;
    case 'audit-policy-change':
      set(a, 'user.id', b.subjectUserSid);
      set(a, 'user.name', b.subjectUserName);
      set(a, 'user.domain', b.subjectDomainName);
      set(a, 'windows.audit.category', b.category.name ?? b.category.raw);
      set(a, 'windows.audit.subcategory.guid', b.subcategoryGuid);
      set(a, 'windows.audit.subcategory.code', b.subcategory.raw);
      set(a, 'windows.audit.changes', b.changes.map((c) => c.name ?? c.raw).join(', '));
      severity = WARN;
      body = `System audit policy changed for subcategory ${subcategoryLabel(b.subcategoryName, b.subcategoryGuid)}: ${b.changes.map((c) => c.name ?? c.raw).join(', ') || 'no change listed'} (by ${b.subjectDomainName}\\${b.subjectUserName}).`;
      break;
    case 'log-cleared':
      set(a, 'user.id', b.subjectUserSid);
      set(a, 'user.name', b.subjectUserName);
      set(a, 'user.domain', b.subjectDomainName);
      severity = WARN;
      body = `The Security log was cleared by ${b.subjectDomainName}\\${b.subjectUserName}; events before this point may be lost.`;
      break;
    case 'unknown':
      a['windows.event.unrecognized'] = true;
      body = `Event ${b.eventId} from ${raw.provider || 'an unknown provider'} is not one the agent interprets; kept raw.`;
      break;
  }
  if (event.warnings.length > 0) a['wfp.warnings'] = event.warnings.join('; ');
  if (options.ecs === true) addEcsAttributes(a, event, enrichment);
  return {
    eventName: eventNameFor(raw.eventId),
    timestamp: raw.time,
    severityNumber: severity.number,
    severityText: severity.text,
    body,
    attributes: a,
  };
}

function mapNetwork(a: Attrs, n: NetworkEvent, e: EventEnrichment): void {
  if (n.directionCode !== null) a['wfp.direction'] = n.direction;
  a['wfp.outcome'] = n.outcome;
  const local = n.sides.local;
  if (local.address !== '') a['network.local.address'] = local.address;
  if (local.port !== null) a['network.local.port'] = local.port;
  const peer = n.sides.peer;
  if (peer !== null) {
    if (peer.address !== '') a['network.peer.address'] = peer.address;
    if (peer.port !== null) a['network.peer.port'] = peer.port;
  }
  a['wfp.sides.resolution'] = n.sides.resolution;
  if (n.ipVersion !== null) a['network.type'] = n.ipVersion;
  if (n.protocol.name !== null && OTEL_TRANSPORTS.has(n.protocol.name)) a['network.transport'] = n.protocol.name;
  if (n.protocol.number !== null) a['wfp.protocol.number'] = n.protocol.number;
  if (n.protocol.name !== null) a['wfp.protocol.name'] = n.protocol.name;
  mapProcess(a, n.processId, n.application.executableName, e, n.application.raw);
  const layer = n.layer.name ?? n.layer.raw;
  if (layer !== '') a['wfp.layer.name'] = layer;
  if (n.layer.code !== null) a['wfp.layer.code'] = n.layer.code;
  if (n.layerRtId !== null) a['wfp.layer.id'] = n.layerRtId;
  if (n.filterRtId !== null) a['wfp.filter.id'] = n.filterRtId;
  if (n.filterOrigin !== null) a['wfp.filter.origin'] = n.filterOrigin;
  if (n.interfaceIndex !== null) a['wfp.interface.index'] = n.interfaceIndex;
  if (n.isLoopback !== null) a['wfp.is_loopback'] = n.isLoopback;
  if (n.currentProfile !== null) a['wfp.profile.current'] = n.currentProfile.raw;
  if (n.originalProfile !== null) a['wfp.profile.original'] = n.originalProfile.raw;
  if (n.remoteUserId !== null) a['wfp.remote_user.sid'] = n.remoteUserId;
  if (n.remoteMachineId !== null) a['wfp.remote_machine.sid'] = n.remoteMachineId;
  // Filter, rule and block kind as the enrich stage names them (its agent/README.md "Attribution" section).
  addAttributionAttributes(a, e);
}

function mapProcess(a: Attrs, pid: number | null, name: string, e: EventEnrichment, rawPath: string): void {
  if (pid !== null) a['process.pid'] = pid;
  if (rawPath === '' || rawPath === '-') return; // kernel-level drops name no application
  a['process.executable.path'] = e.executablePath || rawPath;
  if (name !== '') a['process.executable.name'] = name;
  if (e.executablePath !== '' && e.executablePath !== rawPath) a['wfp.application.nt_path'] = rawPath;
  a['wfp.application.path_mapping'] = e.pathMapping;
}

function set(a: Attrs, key: string, value: string): void {
  if (value !== '') a[key] = value;
}

function describeNetwork(n: NetworkEvent, e: EventEnrichment): string {
  const verb = n.outcome === 'allowed' ? 'Allowed' : n.outcome === 'dropped' ? 'Dropped' : 'Blocked';
  const proto = (n.protocol.name ?? (n.protocol.number === null ? '' : `protocol ${n.protocol.number}`)).toUpperCase();
  const app = n.application.executableName || 'no application';
  const local = endpointText(n.sides.local);
  // Skip an empty protocol rather than leave a double space.
  const what = (n.kind === 'connection' || n.kind === 'packet' ? [n.direction, proto, n.kind] : [proto, n.kind]).filter((w) => w !== '').join(' ');
  const peer = n.sides.peer === null ? '' : ` ${n.direction === 'outbound' ? 'to' : 'from'} ${endpointText(n.sides.peer)}`;
  const layer = n.layer.name ?? n.layer.raw;
  const filter = e.filter !== null ? `filter "${e.filter.name}"` : n.filterRtId !== null && n.filterRtId !== 0 ? `filter ${n.filterRtId}` : 'no filter id';
  const kind = e.blockKind !== null && e.blockKind !== 'unknown' ? `, ${e.blockKind}` : '';
  return `${verb} ${what} of ${app} on ${local}${peer} (layer ${layer}, ${filter}${kind}).`;
}

function endpointText(ep: { address: string; port: number | null }): string {
  const addr = ep.address.includes(':') ? `[${ep.address}]` : ep.address;
  return ep.port === null ? addr : `${addr}:${ep.port}`;
}

/** `Filtering Platform Connection {0CCE9226-…}`: the name a reader knows, and the GUID Windows applies. */
function subcategoryLabel(name: string | null, guid: string): string {
  return name === null ? guid : `${name} ${guid.toUpperCase()}`;
}
