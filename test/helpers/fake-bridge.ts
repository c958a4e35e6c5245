// A BridgeHost that speaks the C# bridge's protocol over an in-memory Security log served from fixture XML.
//
//   FakeSecurityLog: append (record ids assigned in order), wrap (oldest records overwritten), clear (numbering
//   restarts at 1 with a 1102 record)
//   FakeBridge: start → status 'subscribing' (resumeAfter + log bounds) → records messages, one at a time,
//   each awaiting JS's answer. Like the real bridge: the log is the buffer (nothing is read while JS has not
//   answered); when the records after its position were overwritten meanwhile it sends 'paused' and
//   'subscribing' again (the real queue-overflow → resubscribe path), so the loss check runs in JS. A clear
//   under a live subscription just goes on with the new records, as EventLogWatcher does.
//   failChannel(detail): 'error', back off, 'subscribing' again from the last record sent.
import type {
  BridgeAnswer,
  BridgeCallResult,
  BridgeHost,
  BridgeLogInfo,
  BridgeMessage,
  BridgeStartOptions,
} from '../../agent/bridge/index.ts';

export interface LogRecord {
  readonly recordId: number;
  readonly eventId: number;
  readonly xml: string;
}

const RECORD_ID = /<EventRecordID>\d+<\/EventRecordID>/;
const EVENT_ID = /<EventID(?:\s[^>]*)?>(\d+)<\/EventID>/;

export class FakeSecurityLog {
  records: LogRecord[] = [];
  #nextId: number;
  #listeners = new Set<() => void>();

  constructor(firstRecordId = 1) {
    this.#nextId = firstRecordId;
  }

  /** Appends events (fixture XML); each gets the next record id, written into its EventRecordID. */
  append(...xmls: string[]): number[] {
    const ids: number[] = [];
    for (const xml of xmls) {
      const recordId = this.#nextId++;
      const eventId = Number(EVENT_ID.exec(xml)?.[1] ?? -1);
      this.records.push({ recordId, eventId, xml: xml.replace(RECORD_ID, `<EventRecordID>${recordId}</EventRecordID>`) });
      ids.push(recordId);
    }
    for (const listener of this.#listeners) listener();
    return ids;
  }

  /** Records of other event ids (the channel has many): they take record ids but do not match the query. */
  appendOther(count: number): void {
    for (let i = 0; i < count; i++) this.records.push({ recordId: this.#nextId++, eventId: 4624, xml: '<Event/>' });
  }

  /** Overwrites everything below `oldestRecordId` (a circular log that wrapped). */
  wrapTo(oldestRecordId: number): void {
    this.records = this.records.filter((r) => r.recordId >= oldestRecordId);
  }

  /** Clears the log: numbering restarts at 1 and the first record is the 1102 (`clearedXml`). */
  clear(clearedXml: string): void {
    this.records = [];
    this.#nextId = 1;
    this.append(clearedXml);
  }

  info(): BridgeLogInfo {
    const oldest = this.records[0]?.recordId ?? -1;
    const newest = this.records[this.records.length - 1]?.recordId ?? -1;
    return {
      oldestRecordId: oldest,
      newestRecordId: newest,
      recordCount: this.records.length,
      fileSizeBytes: this.records.length * 1200,
      maxSizeBytes: 20 * 1024 * 1024,
      retention: 'overwrite',
      isFull: false,
      lastWriteUtc: '2026-11-27T10:00:00.000Z',
    };
  }

  onAppend(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export class FakeBridge implements BridgeHost {
  readonly log: FakeSecurityLog;
  /** Every message sent, in order (what JS saw). */
  readonly sent: BridgeMessage[] = [];
  startOptions: BridgeStartOptions | null = null;
  startResult: BridgeCallResult<void> = { ok: true, value: undefined };
  logInfoResult: BridgeCallResult<BridgeLogInfo> | null = null;
  stopCalls = 0;
  /** Messages sent whose answer has not arrived yet (never more than one). */
  inFlight = 0;
  maxInFlight = 0;
  #position = -1;
  #running = false;
  #failure: string | null = null;
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;

  constructor(log: FakeSecurityLog) {
    this.log = log;
    log.onAppend(() => this.#wake?.());
  }

  async start(options: BridgeStartOptions, onMessage: (m: BridgeMessage) => Promise<BridgeAnswer>): Promise<BridgeCallResult<void>> {
    this.startOptions = options;
    if (!this.startResult.ok) return this.startResult;
    this.#running = true;
    runningBridges.add(this);
    this.#loop = this.#run(options, onMessage);
    return { ok: true, value: undefined };
  }

  async logInfo(_channel: string): Promise<BridgeCallResult<BridgeLogInfo>> {
    return this.logInfoResult ?? { ok: true, value: this.log.info() };
  }

  async driveMap(): Promise<BridgeCallResult<Readonly<Record<string, string>>>> {
    return { ok: true, value: { 'C:': '\\Device\\HarddiskVolume3' } };
  }

  async stop(): Promise<void> {
    this.stopCalls++;
    runningBridges.delete(this);
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  /** A channel error (EventException): the bridge reports it, backs off and resubscribes. */
  failChannel(detail: string): void {
    this.#failure = detail;
    this.#wake?.();
  }

  /** Record ids JS was sent, in order. */
  sentRecordIds(): number[] {
    return this.sent.flatMap((m) => (m.type === 'records' ? [...m.recordIds] : []));
  }

  async #run(options: BridgeStartOptions, onMessage: (m: BridgeMessage) => Promise<BridgeAnswer>): Promise<void> {
    const send = async (message: BridgeMessage): Promise<boolean> => {
      this.sent.push(message);
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      const answer = await onMessage(message);
      this.inFlight--;
      return this.#running && answer.stop !== true;
    };
    const wanted = new Set(options.eventIds);
    const since = options.start.mode === 'since' ? Date.parse(options.start.time) : null;
    this.#position = options.start.mode === 'after' ? options.start.recordId : -1;
    const subscribe = async (resumeAfter: number): Promise<boolean> => {
      const log = this.log.info();
      const going = await send({ type: 'status', state: 'subscribing', detail: 'Subscribing to Security.', resumeAfter, log });
      // A bookmark that no longer exists resumes at the nearest record (no Strict flag): the oldest one.
      if (resumeAfter >= 0 && log.oldestRecordId > resumeAfter + 1) this.#position = log.oldestRecordId - 1;
      return going;
    };
    if (!(await subscribe(this.#position))) return;
    while (this.#running) {
      if (this.#failure !== null) {
        const detail = this.#failure;
        this.#failure = null;
        if (!(await send({ type: 'status', state: 'error', detail, resumeAfter: this.#position, log: null }))) return;
        if (!(await subscribe(this.#position))) return;
        continue;
      }
      const oldest = this.log.records[0]?.recordId ?? Number.POSITIVE_INFINITY;
      const newest = this.log.records[this.log.records.length - 1]?.recordId ?? -1;
      if (this.#position > newest && newest >= 0) {
        // Cleared under a live subscription: the watcher simply goes on with the new records (ids from 1).
        this.#position = 0;
      }
      if (this.#position >= 0 && this.#position + 1 < oldest && oldest !== Number.POSITIVE_INFINITY) {
        // Records after the position were overwritten before they were read: in the real bridge that happens
        // only after its queue overflowed (watcher stopped). It resubscribes from the bookmark, which Windows
        // resolves to the nearest record (the oldest), and reports the log bounds with the resume point.
        if (!(await send({ type: 'status', state: 'paused', detail: 'The queue is full.', resumeAfter: this.#position, log: null }))) return;
        if (!(await subscribe(this.#position))) return;
        this.#position = oldest - 1;
        continue;
      }
      const batch = this.log.records
        .filter((r) => r.recordId > this.#position && wanted.has(r.eventId) && (since === null || timeOf(r.xml) >= since))
        .slice(0, options.batchSize);
      if (batch.length === 0) {
        const skipped = this.log.records.filter((r) => r.recordId > this.#position);
        if (skipped.length > 0) this.#position = skipped[skipped.length - 1]!.recordId;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          setTimeout(resolve, options.maxDelayMs);
        });
        this.#wake = null;
        continue;
      }
      this.#position = batch[batch.length - 1]!.recordId;
      const message: BridgeMessage = {
        type: 'records',
        recordIds: batch.map((r) => r.recordId),
        xml: batch.map((r) => r.xml),
        newestRecordId: newest,
      };
      if (!(await send(message))) return;
    }
  }
}

/** Bridges started and not stopped: a failed assertion must not leave their timers keeping `npm test` alive. */
const runningBridges = new Set<FakeBridge>();

/**
 * For `afterEach`/`after`: stop every fake bridge a test started and did not stop (none when all went well).
 * A bridge whose loop waits on an answer that never comes (an agent abandoned mid-batch, as the crash test
 * does on purpose) is left after `graceMs`: its timers are stopped, and nothing else keeps the process alive.
 */
export async function stopFakeBridges(graceMs = 2000): Promise<void> {
  const left = [...runningBridges];
  runningBridges.clear();
  await Promise.all(
    left.map(async (b) => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([b.stop(), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }),
  );
}

function timeOf(xml: string): number {
  const match = /SystemTime=["']([^"']+)["']/.exec(xml);
  return match === null ? Number.NaN : Date.parse(match[1]!);
}
