// A BridgeHost that speaks the C# bridge's protocol over an in-memory Security log served from fixture XML,
// modelled on the real bridge (agent/bridge/dotnet/WfpBridge: BridgeSession, RecordQueue, SyntheticRecordWatcher).
//
// Why a fake at all: the real bridge runs on Linux too (test/integration/live-contract-real-bridge.test.ts,
// faults-real-process.test.ts, with its synthetic producer), but it needs the .NET build and edge-js, takes
// seconds per scenario, and its timing is the thread pool's. The fake stays for what the real one cannot give
// a test: fixture XML record by record, a step-by-step log (append, wrap and clear at an exact point between
// two answers), a channel error on demand (failChannel), and runs in milliseconds inside the test process.
// Scenarios the real bridge covers on Linux are tested there, not here (wrap and clear while stopped, a clear
// under a running agent, a full queue).
//
//   FakeSecurityLog: append (record ids assigned in order), wrap (oldest records overwritten), clear (numbering
//   restarts at 1 with a 1102 record). Every record also has a write index that never restarts.
//   FakeBridge, like the real one:
//   - a watcher reads matching records into a queue of `queueBound` as they are written, whether or not JS is
//     reading; a full queue blocks the watcher where it is (RecordQueue.WaitForRoom): no 'paused', no
//     resubscription, the log is the buffer;
//   - a sender sends one records batch at a time and waits for JS's answer before the next;
//   - records overwritten before the watcher read them are simply skipped: it goes on with the oldest record
//     left (a push subscription does), so the loss is judged by JS from the skip;
//   - a clear under the subscription: the watcher goes on with the new records (ids from 1); the queue notices
//     the numbering going back (same rule as RecordQueue.Offer), follows it, and a 'restarted' status goes
//     after the batch in flight; queued records of the old numbering are still sent;
//   - start and resubscription resolve the bookmark strictly (BridgeSession.StrictStart): past the newest or
//     before the oldest record, reading starts at the oldest;
//   - failChannel(detail): 'error' with the queue's last kept id, then 'subscribing' again after it; what the
//     queue holds is kept and sent.
// Not modelled: the 'paused' overflow path (the real queue reaches it only when concurrent handler callbacks
// race past a full queue), the max-delay wait for a batch to fill (a batch goes as soon as a record is
// queued), and the once-a-second cache of the newest record id.
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
  /** Write index: counts every record ever written, across clears (the watcher's position). */
  readonly seq: number;
}

const RECORD_ID = /<EventRecordID>\d+<\/EventRecordID>/;
const EVENT_ID = /<EventID(?:\s[^>]*)?>(\d+)<\/EventID>/;
/** RecordQueue.NumberingRestartGap: ids going back by more than handler reordering explains. */
const NUMBERING_RESTART_GAP = 1024;

export class FakeSecurityLog {
  records: LogRecord[] = [];
  #nextId: number;
  #nextSeq = 0;
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
      this.records.push({ recordId, eventId, xml: xml.replace(RECORD_ID, `<EventRecordID>${recordId}</EventRecordID>`), seq: this.#nextSeq++ });
      ids.push(recordId);
    }
    this.#notify();
    return ids;
  }

  /** Records of other event ids (the channel has many): they take record ids but do not match the query. */
  appendOther(count: number): void {
    for (let i = 0; i < count; i++) this.records.push({ recordId: this.#nextId++, eventId: 4624, xml: '<Event/>', seq: this.#nextSeq++ });
    this.#notify();
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

  /** The write index the next record will get. */
  get nextSeq(): number {
    return this.#nextSeq;
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

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}

export class FakeBridge implements BridgeHost {
  readonly log: FakeSecurityLog;
  /** Every message sent, in order (what JS saw). */
  readonly sent: BridgeMessage[] = [];
  startOptions: BridgeStartOptions | null = null;
  startResult: BridgeCallResult<void> = { ok: true, value: undefined };
  logInfoResult: BridgeCallResult<BridgeLogInfo> | null = null;
  /** logInfo calls so far (the source's log queries). */
  logInfoCalls = 0;
  stopCalls = 0;
  /** Messages sent whose answer has not arrived yet (never more than one). */
  inFlight = 0;
  maxInFlight = 0;
  /** Most records the queue held at once (never above queueBound: a full queue blocks the watcher). */
  maxQueued = 0;
  #running = false;
  #failure: string | null = null;
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  // The watcher and the queue (RecordQueue).
  #watching = false;
  #nextSeq = 0;
  #queue: LogRecord[] = [];
  #lastKept = -1;
  #restartedFrom = -1;
  #numberingReset = false;
  #matches: (r: LogRecord) => boolean = () => false;

  constructor(log: FakeSecurityLog) {
    this.log = log;
    log.onAppend(() => {
      this.#read();
      this.#wake?.();
    });
  }

  async start(options: BridgeStartOptions, onMessage: (m: BridgeMessage) => Promise<BridgeAnswer>): Promise<BridgeCallResult<void>> {
    this.startOptions = options;
    if (!this.startResult.ok) return this.startResult;
    this.#running = true;
    // A new session: a new queue (what an earlier session held is read again from the log, as on Windows).
    this.#queue = [];
    this.#restartedFrom = -1;
    this.#numberingReset = false;
    runningBridges.add(this);
    this.#loop = this.#run(options, onMessage);
    return { ok: true, value: undefined };
  }

  async logInfo(_channel: string): Promise<BridgeCallResult<BridgeLogInfo>> {
    this.logInfoCalls++;
    return this.logInfoResult ?? { ok: true, value: this.log.info() };
  }

  async driveMap(): Promise<BridgeCallResult<Readonly<Record<string, string>>>> {
    return { ok: true, value: { 'C:': '\\Device\\HarddiskVolume3' } };
  }

  async stop(): Promise<void> {
    this.stopCalls++;
    runningBridges.delete(this);
    this.#running = false;
    this.#watching = false;
    this.#wake?.();
    await this.#loop;
  }

  /** A channel error (EventException): the bridge reports it, backs off and resubscribes. */
  failChannel(detail: string): void {
    // The failed subscription reads nothing more; the control loop reports it and resubscribes.
    this.#watching = false;
    this.#failure = detail;
    this.#wake?.();
  }

  /** Record ids JS was sent, in order. */
  sentRecordIds(): number[] {
    return this.sent.flatMap((m) => (m.type === 'records' ? [...m.recordIds] : []));
  }

  /** The watcher: reads what was written since its position into the queue, until the queue is full. */
  #read(): void {
    if (!this.#watching || this.startOptions === null) return;
    const capacity = this.startOptions.queueBound;
    // Overwritten records are gone from `records`: the walk goes on with the oldest one left.
    const records = this.log.records;
    for (let i = firstAtOrAfter(records, this.#nextSeq); i < records.length; i++) {
      const record = records[i]!;
      if (this.#queue.length >= capacity) break;
      this.#nextSeq = record.seq + 1;
      if (this.#matches(record)) this.#keep(record);
    }
    this.maxQueued = Math.max(this.maxQueued, this.#queue.length);
  }

  /** RecordQueue.Offer: keeps the record and follows the numbering when it went back (a clear). */
  #keep(record: LogRecord): void {
    this.#queue.push(record);
    const id = record.recordId;
    if (id > this.#lastKept) this.#lastKept = id;
    else if (id < this.#lastKept - NUMBERING_RESTART_GAP || (id === 1 && this.#lastKept > 1)) {
      this.#restartedFrom = this.#lastKept;
      this.#lastKept = id;
    }
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
    this.#matches = (r) => wanted.has(r.eventId) && (since === null || timeOf(r.xml) >= since);
    this.#lastKept = options.start.mode === 'after' ? options.start.recordId : -1;
    // BridgeSession.SubscribeAsync with StrictStart: a bookmark outside the log's bounds starts at the oldest.
    const subscribe = async (afterId: number | null): Promise<boolean> => {
      const log = this.log.info();
      const cleared = afterId !== null && (log.newestRecordId < 0 || afterId > log.newestRecordId);
      const strict = afterId !== null && !cleared && afterId >= log.oldestRecordId;
      if (afterId !== null && cleared) {
        // RecordQueue.ResetNumbering: the new log is read from its beginning; queued records are kept.
        this.#lastKept = -1;
        this.#numberingReset = true;
      }
      const going = await send({ type: 'status', state: 'subscribing', detail: 'Subscribing to Security.', resumeAfter: afterId ?? -1, log });
      const first = strict ? this.log.records.find((r) => r.recordId > afterId) : this.log.records[0];
      this.#nextSeq = first?.seq ?? this.log.nextSeq;
      this.#watching = true;
      this.#read();
      return going;
    };
    const start = options.start.mode === 'after' ? options.start.recordId : null;
    if (!(await subscribe(start))) return;
    while (this.#running) {
      if (this.#failure !== null) {
        const detail = this.#failure;
        this.#failure = null;
        this.#watching = false;
        if (!(await send({ type: 'status', state: 'error', detail, resumeAfter: this.#lastKept, log: null }))) return;
        // ResubscribeAsync: after the last kept record, or the start (the new log's beginning after a clear).
        const after = this.#lastKept >= 0 ? this.#lastKept : this.#numberingReset ? null : start;
        if (!(await subscribe(after))) return;
        continue;
      }
      this.#read();
      if (this.#queue.length === 0) {
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          setTimeout(resolve, options.maxDelayMs);
        });
        this.#wake = null;
        continue;
      }
      const batch = this.#queue.splice(0, options.batchSize);
      // The control loop notices a numbering restart when a batch is taken; its status keeps order with the
      // records, so it goes after the batch in flight.
      const restartedFrom = this.#restartedFrom;
      this.#restartedFrom = -1;
      this.#read();
      const message: BridgeMessage = {
        type: 'records',
        recordIds: batch.map((r) => r.recordId),
        xml: batch.map((r) => r.xml),
        newestRecordId: this.log.info().newestRecordId,
      };
      if (!(await send(message))) return;
      if (restartedFrom >= 0) {
        const detail = `Record numbering went back below ${restartedFrom} while reading: the log was cleared.`;
        if (!(await send({ type: 'status', state: 'restarted', detail, resumeAfter: restartedFrom, log: this.log.info() }))) return;
      }
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

/** Index of the first record whose write index is `seq` or later (records are in write order). */
function firstAtOrAfter(records: readonly LogRecord[], seq: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function timeOf(xml: string): number {
  const match = /SystemTime=["']([^"']+)["']/.exec(xml);
  return match === null ? Number.NaN : Date.parse(match[1]!);
}
