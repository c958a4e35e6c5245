// Name-based (version 5, RFC 9562) UUIDs: the same name always gives the same GUID, so two builds of one commit
// write the same ProductCode, PackageCode and component GUIDs, and a new version gets a new ProductCode.
import { createHash } from 'node:crypto';

/** This project's namespace for derived GUIDs (a fixed random UUID; never change it). */
export const GUID_NAMESPACE = '6f0d3c5e-2b8a-4f6e-9d71-3a5c0e8b4d12';

/** Upgrade code of every wfp-block-agent MSI: MajorUpgrade finds older versions by it. Never change it. */
export const UPGRADE_CODE = 'B6A2E0F4-7C1D-4E39-8A5B-2F9D6C3E1A70';

export function nameGuid(name: string, namespace: string = GUID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`not a UUID: ${namespace}`);
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
