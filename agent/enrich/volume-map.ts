// NT device paths (`\device\harddiskvolume2\windows\system32\svchost.exe`) → the paths admins write
// (`C:\windows\system32\svchost.exe`). On Windows the map comes from QueryDosDevice (drive → device path) via
// the bridge; in tests and config (`paths.volume_map`) it is a recorded map. Pure.
import type { PathMapping } from './event-enrichment.ts';

export interface VolumeMap {
  /** Lower-case device path with a trailing `\` → drive (`C:`), longest device path first. */
  readonly entries: ReadonlyArray<readonly [string, string]>;
}

export interface MappedPath {
  readonly path: string;
  readonly mapping: PathMapping;
  readonly executableName: string;
}

/** Build from `{ "C:": "\\Device\\HarddiskVolume2", … }` (either direction of key/value is accepted). */
export function createVolumeMap(drives: Readonly<Record<string, string>>): VolumeMap {
  const entries: Array<readonly [string, string]> = [];
  for (const [a, b] of Object.entries(drives)) {
    const [drive, device] = /^[a-z]:\\?$/i.test(a.trim()) ? [a, b] : [b, a];
    const letter = drive.trim().replace(/\\$/, '').toUpperCase();
    if (!/^[A-Z]:$/.test(letter)) continue;
    entries.push([withTrailingSlash(undoubled(device.trim()).toLowerCase()), letter]);
  }
  entries.sort((x, y) => y[0].length - x[0].length);
  return { entries };
}

export const EMPTY_VOLUME_MAP: VolumeMap = { entries: [] };

function withTrailingSlash(p: string): string {
  return p.endsWith('\\') ? p : `${p}\\`;
}

/**
 * Microsoft's doc samples print `\\device\\harddiskvolume2\\…` and `C:\\documents\\…` (a docs artefact; real
 * events have single separators): collapse doubled separators, keeping a UNC path's leading `\\`.
 */
function undoubled(p: string): string {
  if (!p.includes('\\\\')) return p;
  const unc = p.startsWith('\\\\') && !/^\\\\(device|\?\?)\\\\/i.test(p);
  const rest = (unc ? p.replace(/^\\+/, '') : p).replace(/\\{2,}/g, '\\');
  return unc ? `\\\\${rest}` : rest;
}

export function executableNameOf(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('\\'), trimmed.lastIndexOf('/'));
  return cut < 0 ? trimmed : trimmed.slice(cut + 1);
}

const MUP = '\\device\\mup\\';

/** Map one `Application` value. Unknown volumes stay as NT paths, flagged `unknown-volume`. */
export function mapApplicationPath(raw: string, map: VolumeMap): MappedPath {
  const value = undoubled(raw.trim());
  if (value === '' || value === '-') return { path: value, mapping: 'not-a-path', executableName: '' };
  const lower = value.toLowerCase();
  if (/^[a-z]:\\/i.test(value)) return done(value, 'already-dos');
  if (lower.startsWith('\\??\\') && /^[a-z]:\\/i.test(value.slice(4))) return done(value.slice(4), 'already-dos');
  if (lower.startsWith('\\\\') && !lower.startsWith('\\\\?\\')) return done(value, 'unc');
  if (lower.startsWith(MUP)) return done(`\\\\${value.slice(MUP.length)}`, 'unc');
  if (lower.startsWith('\\device\\')) {
    for (const [device, drive] of map.entries) {
      if (lower.startsWith(device)) return done(`${drive}\\${value.slice(device.length)}`, 'mapped');
    }
    return done(value, 'unknown-volume');
  }
  // `System`, `Idle`, service names, …: not a file path, but still the executable's name.
  return { path: value, mapping: 'not-a-path', executableName: value.includes('\\') ? executableNameOf(value) : value };
}

function done(path: string, mapping: PathMapping): MappedPath {
  return { path, mapping, executableName: executableNameOf(path) };
}
