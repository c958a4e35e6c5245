// Which side of a network event is this host. Windows is not consistent (WFP-REFERENCE.md "Field
// semantics"): inbound 5156/5157 put the local side in Source* on some builds and in Dest* on others.
// Decision order (agent/README.md "Local and remote sides"):
//   1. listen/bind: only the local side exists.
//   2. outbound: Source* is local (every sample agrees).
//   3. inbound packet events (5150–5153): the packet's destination is local.
//   4. inbound connection: exactly one side's address is this host's (config, interfaces, or learned) → that side.
//   5. otherwise the side with the service port (< 49152) facing an ephemeral port (>= 49152) is local.
//   6. otherwise Dest* (the convention of current Windows builds, 2020+ samples).
import type { Direction, Endpoint, NetworkEventKind, Sides } from './wfp-event.ts';

const EPHEMERAL_FROM = 49152;

export interface SideInput {
  readonly kind: NetworkEventKind;
  readonly direction: Direction;
  readonly source: Endpoint;
  readonly destination: Endpoint | null;
}

export function resolveSides(input: SideInput, isLocal: (address: string) => boolean): Sides {
  const { source, destination } = input;
  if (destination === null || input.kind === 'listen' || input.kind === 'bind') {
    return { local: source, peer: destination, resolution: 'single-sided' };
  }
  if (input.direction === 'outbound') return { local: source, peer: destination, resolution: 'outbound-source-local' };
  if (input.kind === 'packet' && input.direction === 'inbound') {
    return { local: destination, peer: source, resolution: 'packet-dest-local' };
  }
  const sourceLocal = isLocal(source.address);
  const destLocal = isLocal(destination.address);
  if (sourceLocal && !destLocal) return { local: source, peer: destination, resolution: 'known-address-source' };
  if (destLocal && !sourceLocal) return { local: destination, peer: source, resolution: 'known-address-dest' };
  const sp = source.port;
  const dp = destination.port;
  if (sp !== null && dp !== null) {
    if (sp < EPHEMERAL_FROM && dp >= EPHEMERAL_FROM) return { local: source, peer: destination, resolution: 'heuristic-service-port' };
    if (dp < EPHEMERAL_FROM && sp >= EPHEMERAL_FROM) return { local: destination, peer: source, resolution: 'heuristic-service-port' };
  }
  return { local: destination, peer: source, resolution: 'heuristic-dest-local' };
}
