// IANA protocol numbers that appear in WFP events, with their lower-case keywords.
import type { Protocol } from './wfp-event.ts';

const NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'hopopt'],
  [1, 'icmp'],
  [2, 'igmp'],
  [4, 'ipv4'],
  [6, 'tcp'],
  [17, 'udp'],
  [27, 'rdp'],
  [41, 'ipv6'],
  [43, 'ipv6-route'],
  [44, 'ipv6-frag'],
  [47, 'gre'],
  [50, 'esp'],
  [51, 'ah'],
  [58, 'icmpv6'],
  [59, 'ipv6-nonxt'],
  [60, 'ipv6-opts'],
  [89, 'ospf'],
  [103, 'pim'],
  [112, 'vrrp'],
  [115, 'l2tp'],
  [132, 'sctp'],
  [136, 'udplite'],
]);

/** OTel `network.transport` only has tcp, udp, pipe, unix, quic: other protocols leave it unset. */
export const OTEL_TRANSPORTS: ReadonlySet<string> = new Set(['tcp', 'udp']);

const NONE: Protocol = Object.freeze({ number: null, name: null });
// One frozen value per protocol number, shared by every event.
const BY_NUMBER: readonly Protocol[] = Array.from({ length: 256 }, (_, n) => Object.freeze({ number: n, name: NAMES.get(n) ?? null }));

export function readProtocol(raw: string | undefined): Protocol {
  if (raw === undefined) return NONE;
  const t = raw.trim();
  if (t === '' || !/^\d{1,3}$/.test(t)) return NONE;
  return BY_NUMBER[Number(t)] ?? NONE;
}
