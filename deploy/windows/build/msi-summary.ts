// wixl writes two things that change on every run into the MSI's summary information stream: the package code
// (PID 9, "Revision number", a random GUID; Package/@Id is ignored) and the creation and last-save times
// (PIDs 12 and 13, the current time; SOURCE_DATE_EPOCH is not read). Measured on msitools 0.101 with two builds
// of the same input: the files differed in exactly those 34 bytes; the tables, the cabinet and the compound file's
// structure were identical. This module overwrites those three values in place (same lengths) and checks the
// result with msiinfo: any other layout is refused rather than half-patched.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

// FMTID_SummaryInformation {F29F85E0-4FF9-1068-AB91-08002B27B3D9} as stored (little-endian fields).
const SUMMARY_FMTID = Buffer.from('e0859ff2f94f6810ab9108002b27b3d9', 'hex');
const PID_REVNUMBER = 9;
const PID_CREATE_DTM = 12;
const PID_LASTSAVE_DTM = 13;
const VT_LPSTR = 0x1e;
const VT_FILETIME = 0x40;
const FILETIME_UNIX_OFFSET_S = 11_644_473_600n;

export interface SummaryStamp {
  /** The package code, e.g. {8FBE0041-2848-58B5-95A1-5C33A2AC654C}. */
  readonly packageCode: string;
  readonly epochSeconds: number;
}

/** Overwrites the package code and both times in the MSI at `path`. */
export function stampSummaryInformation(path: string, stamp: SummaryStamp): void {
  if (!/^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/.test(stamp.packageCode)) {
    throw new Error(`not a package code: ${stamp.packageCode}`);
  }
  const bytes = readFileSync(path);
  const fmtidAt = bytes.indexOf(SUMMARY_FMTID);
  if (fmtidAt < 28 || bytes.indexOf(SUMMARY_FMTID, fmtidAt + 1) !== -1) throw new Error(`${path}: no single summary information property set`);
  const stream = fmtidAt - 28;
  if (bytes.readUInt16LE(stream) !== 0xfffe) throw new Error(`${path}: the summary information header is not where expected`);
  const section = stream + bytes.readUInt32LE(fmtidAt + 16);
  const count = bytes.readUInt32LE(section + 4);
  const filetime = (BigInt(stamp.epochSeconds) + FILETIME_UNIX_OFFSET_S) * 10_000_000n;
  const done = new Set<number>();
  for (let i = 0; i < count; i += 1) {
    const pid = bytes.readUInt32LE(section + 8 + i * 8);
    const value = section + bytes.readUInt32LE(section + 12 + i * 8);
    const type = bytes.readUInt32LE(value);
    if (pid === PID_REVNUMBER) {
      const length = bytes.readUInt32LE(value + 4);
      if (type !== VT_LPSTR || length !== stamp.packageCode.length + 1) throw new Error(`${path}: unexpected revision number (type ${type}, ${length} bytes)`);
      bytes.write(stamp.packageCode, value + 8, 'latin1');
      done.add(pid);
    } else if (pid === PID_CREATE_DTM || pid === PID_LASTSAVE_DTM) {
      if (type !== VT_FILETIME) throw new Error(`${path}: property ${pid} is not a FILETIME`);
      bytes.writeBigUInt64LE(filetime, value + 4);
      done.add(pid);
    }
  }
  if (done.size !== 3) throw new Error(`${path}: the summary information lacks the package code or a time`);
  writeFileSync(path, bytes);
  // The stream might not be contiguous in the file: read it back the way Windows Installer would.
  const info = execFileSync('msiinfo', ['suminfo', path], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  if (!info.includes(`Revision number (UUID): ${stamp.packageCode}`)) throw new Error(`${path}: the package code did not stick:\n${info}`);
}
