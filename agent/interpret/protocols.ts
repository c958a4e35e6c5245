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

export function readProtocol(raw: string | undefined): Protocol {
  if (raw === undefined || raw.trim() === '') return { number: null, name: null };
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < 0 || n > 255) return { number: null, name: null };
  return { number: n, name: NAMES.get(n) ?? null };
}
