// The checkpoint file's format: versioned JSON, one entry per channel, so later sources can share the file.
//
//   { "version": 1, "channels": { "Security": { "record_id": 304390, "saved_at": "2026-11-27T10:00:00.000Z" } } }
//
// `record_id: null` means "written, but nothing acknowledged yet" (proves the directory is writable).

export const CHECKPOINT_VERSION = 1;

export interface ChannelCheckpoint {
  /** Everything up to and including this EventRecordID was exported; null: nothing yet. */
  readonly recordId: number | null;
  readonly savedAt: string;
}

export type ParsedCheckpoint =
  | { readonly ok: true; readonly channels: ReadonlyMap<string, ChannelCheckpoint> }
  | { readonly ok: false; readonly detail: string };

export function parseCheckpoint(text: string): ParsedCheckpoint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, detail: `not JSON (${(error as Error).message})` };
  }
  if (!isObject(value)) return { ok: false, detail: 'not a JSON object' };
  if (value['version'] !== CHECKPOINT_VERSION) {
    return { ok: false, detail: `unknown version ${JSON.stringify(value['version'])} (expected ${CHECKPOINT_VERSION})` };
  }
  const channels = value['channels'];
  if (!isObject(channels)) return { ok: false, detail: '"channels" is not an object' };
  const result = new Map<string, ChannelCheckpoint>();
  for (const [name, entry] of Object.entries(channels)) {
    if (!isObject(entry)) return { ok: false, detail: `channel ${name}: not an object` };
    const recordId = entry['record_id'];
    if (recordId !== null && !(Number.isSafeInteger(recordId) && (recordId as number) >= 0)) {
      return { ok: false, detail: `channel ${name}: record_id ${JSON.stringify(recordId)} is not a record id` };
    }
    const savedAt = typeof entry['saved_at'] === 'string' ? entry['saved_at'] : '';
    result.set(name, { recordId: recordId as number | null, savedAt });
  }
  return { ok: true, channels: result };
}

export function formatCheckpoint(channels: ReadonlyMap<string, ChannelCheckpoint>): string {
  const out: Record<string, { record_id: number | null; saved_at: string }> = {};
  for (const [name, entry] of [...channels].sort(([a], [b]) => a.localeCompare(b))) {
    out[name] = { record_id: entry.recordId, saved_at: entry.savedAt };
  }
  return `${JSON.stringify({ version: CHECKPOINT_VERSION, channels: out }, null, 2)}\n`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
