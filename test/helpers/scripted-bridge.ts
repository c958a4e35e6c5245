// A scripted bridge for the Windows source's tests: the test sends the bridge's messages itself (records, statuses)
// and sets the log information logInfo answers, then watches what the source reports and reads.
import assert from 'node:assert/strict';
import { createCheckpointStore } from '../../agent/checkpoint/index.ts';
import { openWindowsEventLogSource } from '../../agent/source/index.ts';
import type { RecordSource, SourceEvent } from '../../agent/source/index.ts';
import type { BridgeAnswer, BridgeHost, BridgeLogInfo, BridgeMessage } from '../../agent/bridge/index.ts';
import { EVENT_IDS, msDocs, tempStateDir } from './live-agent.ts';

export interface ScriptedSource {
  readonly source: RecordSource;
  /** What the source observed, in order. */
  readonly events: SourceEvent[];
  /** Sends one bridge message to the source; resolves with its answer (a records batch: once read whole). */
  send(message: BridgeMessage): Promise<BridgeAnswer>;
  /** A records message of ms-docs 5157s with these ids and the current newest record id. */
  records(ids: readonly number[]): Promise<BridgeAnswer>;
  /** What logInfo answers from now on. */
  info: BridgeLogInfo;
  /** logInfo calls so far. */
  queries: number;
  /** When set, a logInfo call answers what `info` was at its call only once this settles (a slow query). */
  gate: Promise<void> | null;
}

/** Opens the source on a scripted bridge (batch 10, quick timers, reading from the beginning). */
export async function openScriptedSource(oldestRecordId: number, newestRecordId: number): Promise<ScriptedSource> {
  const port: { send: ((m: BridgeMessage) => Promise<BridgeAnswer>) | null } = { send: null };
  const scripted = {
    info: { oldestRecordId, newestRecordId, recordCount: newestRecordId - oldestRecordId + 1, fileSizeBytes: -1, maxSizeBytes: -1, retention: 'overwrite', isFull: false, lastWriteUtc: '' } as BridgeLogInfo,
    queries: 0,
    gate: null as Promise<void> | null,
  };
  const bridge: BridgeHost = {
    start: async (_options, onMessage) => ((port.send = onMessage), { ok: true, value: undefined }),
    logInfo: async () => {
      scripted.queries++;
      const info = scripted.info;
      if (scripted.gate !== null) await scripted.gate;
      return { ok: true, value: info };
    },
    driveMap: async () => ({ ok: true, value: {} }),
    stop: async () => undefined,
  };
  const events: SourceEvent[] = [];
  const opened = await openWindowsEventLogSource({
    bridge, checkpoint: createCheckpointStore({ dir: tempStateDir() }), eventIds: EVENT_IDS, start: { kind: 'beginning' },
    batchSize: 10, maxDelayMs: 20, queueBound: 10, backoffInitialMs: 5, backoffMaxMs: 5, newestRefreshMs: 20, observer: (e) => events.push(e),
  });
  assert.ok(opened.ok && port.send !== null);
  const send = port.send;
  return Object.assign(scripted, {
    source: opened.value,
    events,
    send,
    records: (ids: readonly number[]) => send({ type: 'records', recordIds: [...ids], xml: ids.map(() => msDocs(5157)), newestRecordId: scripted.info.newestRecordId }),
  });
}
