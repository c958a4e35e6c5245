// Which addresses belong to which computer: from config, and learned from events whose sides are not in doubt.
// This is the only state the interpreter keeps; it is bounded per computer.
import type { RawRecord } from '../decode/index.ts';

/** Past this many addresses per computer we stop learning (a host with more is misconfigured or a router). */
const MAX_ADDRESSES_PER_HOST = 256;
const MAX_HOSTS = 10_000;

export interface HostAddressBookOptions {
  readonly localAddresses: readonly string[];
  readonly byHost: Readonly<Record<string, readonly string[]>>;
  readonly learnFromEvents: boolean;
}

export interface HostAddressBook {
  /** Learn from one record if it is unambiguous (outbound connection: Source*; inbound packet drop: Dest*). */
  learn(raw: RawRecord): void;
  isLocal(computer: string, address: string): boolean;
  /** Addresses known for a computer (config and learned), for diagnostics. */
  addressesOf(computer: string): readonly string[];
}

export function createHostAddressBook(options: HostAddressBookOptions): HostAddressBook {
  const everywhere = new Set(options.localAddresses.map(normalizeAddress));
  const hosts = new Map<string, Set<string>>();
  for (const [computer, addresses] of Object.entries(options.byHost)) {
    hosts.set(hostKey(computer), new Set(addresses.map(normalizeAddress)));
  }
  const add = (computer: string, address: string | undefined): void => {
    if (address === undefined) return;
    const a = normalizeAddress(address);
    if (!isUnicastCandidate(a)) return;
    const key = hostKey(computer);
    let set = hosts.get(key);
    if (set === undefined) {
      if (hosts.size >= MAX_HOSTS) return;
      set = new Set();
      hosts.set(key, set);
    }
    if (set.size < MAX_ADDRESSES_PER_HOST) set.add(a);
  };
  return {
    learn(raw: RawRecord): void {
      if (!options.learnFromEvents) return;
      const id = raw.eventId;
      const direction = raw.data['Direction']?.trim();
      if ((id === 5156 || id === 5157) && direction === '%%14593') add(raw.computer, raw.data['SourceAddress']);
      else if (id >= 5150 && id <= 5153) {
        if (direction === '%%14592') add(raw.computer, raw.data['DestAddress']);
        else if (direction === '%%14593') add(raw.computer, raw.data['SourceAddress']);
      }
    },
    isLocal(computer: string, address: string): boolean {
      const a = normalizeAddress(address);
      if (isLoopback(a)) return true;
      if (everywhere.has(a)) return true;
      return hosts.get(hostKey(computer))?.has(a) ?? false;
    },
    addressesOf(computer: string): readonly string[] {
      return [...everywhere, ...(hosts.get(hostKey(computer)) ?? [])];
    },
  };
}

const hostKeys = new Map<string, string>();

/** Computer names differ in case and in being FQDN or short between sources; key on the short name. */
function hostKey(computer: string): string {
  // Every event asks, for a handful of distinct names: remember the answer (bounded like the book).
  let key = hostKeys.get(computer);
  if (key === undefined) {
    key = computeHostKey(computer);
    if (hostKeys.size < MAX_HOSTS) hostKeys.set(computer, key);
  }
  return key;
}

function computeHostKey(computer: string): string {
  const lower = computer.trim().toLowerCase();
  const dot = lower.indexOf('.');
  return dot > 0 && !/^\d+\.\d+\.\d+\.\d+$/.test(lower) ? lower.slice(0, dot) : lower;
}

export function normalizeAddress(address: string): string {
  let a = address.trim().toLowerCase();
  const pct = a.indexOf('%'); // fe80::1%12 zone index
  if (pct > 0) a = a.slice(0, pct);
  if (a.startsWith('::ffff:') && a.includes('.')) a = a.slice(7);
  return a;
}

export function isLoopback(a: string): boolean {
  return a === '::1' || a.startsWith('127.');
}

export function isMulticastOrBroadcast(a: string): boolean {
  if (a.includes(':')) return a.startsWith('ff');
  const first = Number(a.split('.')[0]);
  return (first >= 224 && first <= 239) || a === '255.255.255.255' || a.endsWith('.255');
}

function isUnicastCandidate(a: string): boolean {
  return a !== '' && a !== '0.0.0.0' && a !== '::' && a !== '-' && !isMulticastOrBroadcast(a);
}
