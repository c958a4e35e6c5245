// RawRecord -> WfpEvent. Stateless per event except the host address book used to tell local from remote.
import type { RawRecord } from '../decode/index.ts';
import type { NetworkConfig } from '../config/index.ts';
import type { WfpEvent, WfpEventBody } from './wfp-event.ts';
import { createHostAddressBook } from './host-address-book.ts';
import type { HostAddressBook } from './host-address-book.ts';
import { interpretNetwork, isNetworkEventId } from './interpret-network.ts';
import { interpretAuditPolicyChange, interpretFilter, interpretFirewallAppBlock, interpretLogCleared } from './interpret-other.ts';

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
  return {
    addresses,
    learn: (raw) => addresses.learn(raw),
    interpret(raw: RawRecord): WfpEvent {
      addresses.learn(raw);
      const warnings: string[] = [];
      const body = interpretBody(raw, (a) => addresses.isLocal(raw.computer, a), warnings);
      return { body, raw, warnings };
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
