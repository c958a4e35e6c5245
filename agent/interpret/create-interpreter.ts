// RawRecord -> WfpEvent. Stateless per event except the host address book used to tell local from remote.
import type { RawRecord } from '../decode/index.ts';
import type { NetworkConfig } from '../config/index.ts';
import type { WfpEvent, WfpEventBody } from './wfp-event.ts';
import { createHostAddressBook } from './host-address-book.ts';
import type { HostAddressBook } from './host-address-book.ts';
import { interpretNetwork, isNetworkEventId } from './interpret-network.ts';
import { interpretAuditPolicyChange, interpretFilter, interpretFirewallAppBlock, interpretLogCleared } from './interpret-other.ts';

const NO_WARNINGS: readonly string[] = Object.freeze([]);

export interface Interpreter {
  /** Learn host addresses from this record (when unambiguous), then interpret it. */
  interpret(raw: RawRecord): WfpEvent;
  /** Learn only: a pre-pass over replayed files so early inbound events benefit from later outbound ones. */
  learn(raw: RawRecord): void;
  readonly addresses: HostAddressBook;
}

export function createInterpreter(network: NetworkConfig): Interpreter {
  const addresses = createHostAddressBook({
    localAddresses: network.local_addresses,
    byHost: network.local_addresses_by_host,
    learnFromEvents: network.learn_from_events,
  });
  // Per-call state kept outside the hot path's allocations: the warning list and the computer being read.
  const scratch: string[] = [];
  let current = '';
  const isLocal = (address: string): boolean => addresses.isLocal(current, address);
  return {
    addresses,
    learn: (raw) => addresses.learn(raw),
    interpret(raw: RawRecord): WfpEvent {
      addresses.learn(raw);
      scratch.length = 0;
      current = raw.computer;
      const body = interpretBody(raw, isLocal, scratch);
      // Most events raise no warning: they share one empty list instead of each owning one.
      return { body, raw, warnings: scratch.length === 0 ? NO_WARNINGS : scratch.slice() };
    },
  };
}

function interpretBody(raw: RawRecord, isLocal: (address: string) => boolean, warnings: string[]): WfpEventBody {
  const id = raw.eventId;
  if (isNetworkEventId(id)) return interpretNetwork(raw, isLocal, warnings);
  switch (id) {
    case 5031:
      return interpretFirewallAppBlock(raw, warnings);
    case 5441:
    case 5447:
      return interpretFilter(raw, id, warnings);
    case 4719:
      return interpretAuditPolicyChange(raw, warnings);
    case 1102:
      return interpretLogCleared(raw);
    default:
      warnings.push(`event id ${id} is not one the agent interprets; kept raw`);
      return { type: 'unknown', eventId: id };
  }
}
