// 5150–5159 -> NetworkEvent.
import type { RawRecord } from '../decode/index.ts';
import { parseDecimal } from '../shared/index.ts';
import type { ApplicationPath, Direction, Endpoint, NetworkEvent, NetworkEventKind, NetworkOutcome } from './wfp-event.ts';
import { DIRECTION_CODES, LAYER_CODES, NO_NAMES, readBoolean, readCode } from './codes.ts';
import { readProtocol } from './protocols.ts';
import { resolveSides } from './resolve-sides.ts';

const KINDS: ReadonlyMap<number, readonly [NetworkEventKind, NetworkOutcome]> = new Map([
  [5150, ['packet', 'blocked']],
  [5151, ['packet', 'blocked']],
  [5152, ['packet', 'dropped']],
  [5153, ['packet', 'dropped']],
  [5154, ['listen', 'allowed']],
  [5155, ['listen', 'blocked']],
  [5156, ['connection', 'allowed']],
  [5157, ['connection', 'blocked']],
  [5158, ['bind', 'allowed']],
  [5159, ['bind', 'blocked']],
]);

const DIRECTIONS: ReadonlyMap<number, Direction> = new Map([
  [14592, 'inbound'],
  [14593, 'outbound'],
  [14594, 'forward'],
  [14595, 'bidirectional'],
]);

export function isNetworkEventId(id: number): boolean {
  return KINDS.has(id);
}

export function interpretNetwork(raw: RawRecord, isLocal: (address: string) => boolean, warnings: string[]): NetworkEvent {
  const d = raw.data;
  const [kind, outcome] = KINDS.get(raw.eventId) ?? ['packet', 'blocked'];
  const directionRaw = d['Direction'];
  const directionCode = directionRaw === undefined ? null : readCode(directionRaw, DIRECTION_CODES);
  let direction: Direction = 'unknown';
  if (directionCode !== null) {
    direction = (directionCode.code !== null ? DIRECTIONS.get(directionCode.code) : textDirection(directionCode.raw)) ?? 'unknown';
    if (direction === 'unknown') warnings.push(`unknown direction code ${directionCode.raw}`);
  }
  const source = endpoint(d['SourceAddress'], d['SourcePort'], 'Source', warnings);
  const hasDest = d['DestAddress'] !== undefined;
  const destination = hasDest ? endpoint(d['DestAddress'], d['DestPort'], 'Dest', warnings) : null;
  const layer = readCode(d['LayerName'] ?? '', LAYER_CODES);
  if (layer.code !== null && layer.name === null) warnings.push(`unknown layer code ${layer.raw}`);
  const protocol = readProtocol(d['Protocol']);
  if (protocol.number !== null && protocol.name === null) warnings.push(`unnamed protocol number ${protocol.number}`);
  const sides = resolveSides({ kind, direction, source, destination }, isLocal);
  return {
    type: 'network',
    eventId: raw.eventId,
    kind,
    outcome,
    processId: int(d['ProcessID'] ?? d['ProcessId']),
    application: applicationPath(d['Application'], warnings),
    direction,
    directionCode,
    source,
    destination,
    sides,
    ipVersion: ipVersion(source.address) ?? (destination === null ? null : ipVersion(destination.address)),
    protocol,
    filterRtId: int(d['FilterRTID']),
    layer,
    layerRtId: int(d['LayerRTID']),
    filterOrigin: optional(d['FilterOrigin']),
    interfaceIndex: int(d['InterfaceIndex']),
    isLoopback: readBoolean(d['IsLoopback']),
    currentProfile: d['CurrentProfile'] === undefined ? null : readCode(d['CurrentProfile'], NO_NAMES),
    originalProfile: d['OriginalProfile'] === undefined ? null : readCode(d['OriginalProfile'], NO_NAMES),
    remoteUserId: sid(d['RemoteUserID']),
    remoteMachineId: sid(d['RemoteMachineID']),
  };
}

// The same few hundred applications recur in every event: their parsed form is kept (bounded, no warnings).
const APP_PATHS = new Map<string, ApplicationPath>();
const MAX_APP_PATHS = 4096;

/** The application as logged, with the Microsoft docs' doubled backslashes collapsed (a docs artefact). */
export function applicationPath(raw: string | undefined, warnings: string[]): ApplicationPath {
  if (raw === undefined) return parseApplicationPath(raw, warnings);
  const known = APP_PATHS.get(raw);
  if (known !== undefined) return known;
  const noted = warnings.length;
  const parsed = parseApplicationPath(raw, warnings);
  // Only paths that raised no warning are shared: a warning must reach every event it concerns.
  if (warnings.length === noted && APP_PATHS.size < MAX_APP_PATHS) APP_PATHS.set(raw, parsed);
  return parsed;
}

function parseApplicationPath(raw: string | undefined, warnings: string[]): ApplicationPath {
  let path = (raw ?? '').trim();
  if (path === '' || path === '-') return { raw: path, executableName: '' };
  if (path.indexOf('\\\\', 1) > 0) {
    const unc = path.startsWith('\\\\') && !path.startsWith('\\\\device\\\\');
    path = (unc ? '\\' : '') + path.replace(/\\\\/g, '\\');
    warnings.push('doubled backslashes in the application path were collapsed');
  }
  const slash = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return { raw: path, executableName: slash >= 0 ? path.slice(slash + 1) : path };
}

function endpoint(address: string | undefined, port: string | undefined, side: string, warnings: string[]): Endpoint {
  const p = int(port);
  if (port !== undefined && port.trim() !== '' && (p === null || p < 0 || p > 65535)) {
    warnings.push(`${side}Port '${port}' is not a port number`);
  }
  return { address: (address ?? '').trim(), port: p !== null && p >= 0 && p <= 65535 ? p : null };
}

function ipVersion(address: string): 'ipv4' | 'ipv6' | null {
  if (address.includes(':')) return 'ipv6';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) return 'ipv4';
  return null;
}

function textDirection(t: string): Direction | undefined {
  const l = t.toLowerCase();
  return l === 'inbound' ? 'inbound' : l === 'outbound' ? 'outbound' : l === 'forward' ? 'forward' : undefined;
}

/** A non-negative decimal (surrounding blanks allowed), or null. */
export function int(s: string | undefined): number | null {
  return s === undefined ? null : parseDecimal(s, false);
}

function optional(s: string | undefined): string | null {
  const t = s?.trim();
  return t === undefined || t === '' || t === '-' ? null : t;
}

function sid(s: string | undefined): string | null {
  const t = optional(s);
  return t === null || t === 'S-1-0-0' ? null : t;
}
