// The typed event model: what one Security-log event means, with every code kept raw next to its meaning.
import type { RawRecord } from '../decode/index.ts';

/** A `%%NNNN` insertion code and its meaning; `name` is null when the code is unknown (kept, flagged). */
export interface CodedValue {
  /** The raw value as it appeared (`%%14592`, or plain text when a shipper rendered it). */
  readonly raw: string;
  /** The numeric code, or null when the value was not a `%%` code. */
  readonly code: number | null;
  /** The English meaning, or null when unknown. */
  readonly name: string | null;
}

export type Direction = 'inbound' | 'outbound' | 'forward' | 'bidirectional' | 'unknown';

export interface Endpoint {
  readonly address: string;
  readonly port: number | null;
}

/** How the local and remote sides of a network event were decided (see agent/README.md "Local and remote sides"). */
export type SideResolution =
  | 'outbound-source-local' // outbound events: Source* is this host (every sample agrees)
  | 'packet-dest-local' // inbound packet drop: the packet's destination is this host
  | 'known-address-source' // only the Source* address is one of the host's own addresses
  | 'known-address-dest' // only the Dest* address is one of the host's own addresses
  | 'heuristic-service-port' // undecided by address: the side with the service port (< 49152 vs ephemeral) is local
  | 'heuristic-dest-local' // last resort: the convention of current Windows builds (Dest* = local on inbound)
  | 'single-sided'; // listen/bind events carry only the local side

export interface Sides {
  readonly local: Endpoint;
  readonly peer: Endpoint | null;
  readonly resolution: SideResolution;
}

export interface ApplicationPath {
  /** As logged: an NT device path (`\device\harddiskvolume2\…`), a DOS path, `System`, or '-'. */
  readonly raw: string;
  /** Last path component (`svchost.exe`), `System`, or '' when there is no application. */
  readonly executableName: string;
}

export interface Protocol {
  readonly number: number | null;
  /** IANA keyword in lower case (`tcp`, `udp`, `icmp`, `ipv6-icmp` is given as `icmpv6`), or null when unknown. */
  readonly name: string | null;
}

export type NetworkEventKind = 'connection' | 'packet' | 'listen' | 'bind';
export type NetworkOutcome = 'blocked' | 'dropped' | 'allowed';

/** 5150–5159: a WFP decision about a packet, connection, listen or bind. */
export interface NetworkEvent {
  readonly type: 'network';
  readonly eventId: number;
  readonly kind: NetworkEventKind;
  readonly outcome: NetworkOutcome;
  readonly processId: number | null;
  readonly application: ApplicationPath;
  readonly direction: Direction;
  readonly directionCode: CodedValue | null;
  /** The event's Source* and Dest* fields as logged (listen/bind have only Source*). */
  readonly source: Endpoint;
  readonly destination: Endpoint | null;
  readonly sides: Sides;
  readonly ipVersion: 'ipv4' | 'ipv6' | null;
  readonly protocol: Protocol;
  readonly filterRtId: number | null;
  readonly layer: CodedValue;
  readonly layerRtId: number | null;
  readonly filterOrigin: string | null;
  readonly interfaceIndex: number | null;
  readonly isLoopback: boolean | null;
  readonly currentProfile: CodedValue | null;
  readonly originalProfile: CodedValue | null;
  readonly remoteUserId: string | null;
  readonly remoteMachineId: string | null;
}

/** 5031: the firewall service blocked an application from accepting incoming connections. */
export interface FirewallAppBlockEvent {
  readonly type: 'firewall-app-block';
  readonly eventId: 5031;
  readonly profiles: string;
  readonly application: ApplicationPath;
}

/** 5441 (present at BFE start) and 5447 (changed): one WFP filter's identity. */
export interface FilterEvent {
  readonly type: 'filter';
  readonly eventId: 5441 | 5447;
  /** 5447 only: Add / Delete; null for 5441. */
  readonly changeType: CodedValue | null;
  readonly filterId: number | null;
  readonly filterKey: string;
  readonly filterName: string;
  readonly filterType: CodedValue | null;
  readonly providerKey: string;
  readonly providerName: string;
  readonly layerKey: string;
  readonly layerName: string;
  readonly layerId: number | null;
  readonly action: CodedValue | null;
  readonly weight: string;
  readonly calloutKey: string;
  readonly calloutName: string;
  readonly conditions: string;
  readonly userSid: string | null;
  readonly userName: string | null;
  readonly processId: number | null;
}

export interface AuditPolicyChange {
  readonly code: CodedValue;
}

/** 4719: system audit policy was changed. */
export interface AuditPolicyChangeEvent {
  readonly type: 'audit-policy-change';
  readonly eventId: 4719;
  readonly subjectUserSid: string;
  readonly subjectUserName: string;
  readonly subjectDomainName: string;
  readonly subjectLogonId: string;
  readonly category: CodedValue;
  readonly subcategory: CodedValue;
  /** Lower-case GUID with braces, as auditpol prints it. */
  readonly subcategoryGuid: string;
  /** auditpol's English name for the GUID (`Filtering Platform Connection`), or null for a GUID not in the table. */
  readonly subcategoryName: string | null;
  readonly changes: readonly CodedValue[];
}

/** 1102: the Security log was cleared. */
export interface LogClearedEvent {
  readonly type: 'log-cleared';
  readonly eventId: 1102;
  readonly subjectUserSid: string;
  readonly subjectUserName: string;
  readonly subjectDomainName: string;
  readonly subjectLogonId: string;
}

/** Any other id: kept raw and flagged, never dropped silently. */
export interface UnknownEvent {
  readonly type: 'unknown';
  readonly eventId: number;
}

export type WfpEventBody =
  | NetworkEvent
  | FirewallAppBlockEvent
  | FilterEvent
  | AuditPolicyChangeEvent
  | LogClearedEvent
  | UnknownEvent;

/** One interpreted event: its meaning plus the raw record it came from, and anything odd found on the way. */
export interface WfpEvent {
  readonly body: WfpEventBody;
  readonly raw: RawRecord;
  /** Problems that did not stop interpretation (unknown code, unparsable port, …), one short phrase each. */
  readonly warnings: readonly string[];
}
