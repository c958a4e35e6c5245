// The live source: the Security log through the C# bridge, as a pull RecordSource.
//
//   bridge ──onMessage(records)──► [one pending batch] ──read(max)──► pump ──ack(upTo)──► checkpoint
//            ◄── answer once read() took the whole batch (no answer = no next batch: backpressure)
//            ──onMessage(status)──► answered at once; reports (skipped, paused, error) may come while a batch is held
//
// open(): load the checkpoint, read the log's bounds, choose the start, write the checkpoint once (proves the
// state folder is writable), start the bridge. Loss is judged on every (re)subscription from the record
// numbers the bridge reports (checkpoint/loss-check.ts); under a running subscription, from a gap in the
// delivered ids only when it lies past the log's oldest record (a wrap under the watcher), never from gap sizes.
import type { BridgeAnswer, BridgeHost, BridgeMessage, BridgeRecords, BridgeStartOptions, BridgeStatus } from '../bridge/index.ts';
import type { CheckpointStore } from '../checkpoint/index.ts';
import { assessLoss, describeLoss } from '../checkpoint/index.ts';
import type { RecordSource, SourceBatch, SourceItem, StartPosition } from './record-source.ts';
import type { SourceObserver } from './source-event.ts';
import { chooseStart } from './choose-start.ts';

export const SECURITY_CHANNEL = 'Security';

export interface WindowsEventLogSourceOptions {
  readonly bridge: BridgeHost;
  readonly checkpoint: CheckpointStore;
  readonly eventIds: readonly number[];
  readonly start: StartPosition;
  readonly batchSize: number;
  readonly maxDelayMs: number;
  readonly queueBound: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  readonly stopTimeoutMs?: number;
  readonly observer?: SourceObserver;
  /** How often the log's newest record is read for the lag when no batch brought it (default 1000 ms). */
  readonly newestRefreshMs?: number;
}

export type OpenResult = { readonly ok: true; readonly value: RecordSource } | { readonly ok: false; readonly error: string };

interface PendingBatch {
  readonly records: BridgeRecords;
  next: number;
  readonly answer: (answer: BridgeAnswer) => void;
}

const CLEARED_EVENT = /<EventID(?:\s[^>]*)?>1102<\/EventID>/;

/** A gap in delivered ids taken for an ordinary one against a cached oldest record; judged again later. */
interface UnconfirmedGap {
  readonly before: number;
  readonly first: number;
  /** Number of the records message that delivered `first` (see #batches). */
  readonly batch: number;
}

/** Unconfirmed gaps kept at most; beyond it the oldest half is merged into one (see #remember). */
const MAX_UNCONFIRMED = 256;

class WindowsEventLogSource implements RecordSource {
  readonly #options: WindowsEventLogSourceOptions;
  readonly #observe: SourceObserver;
  readonly #pending: PendingBatch[] = [];
  #wake: (() => void) | null = null;
  #stopped = false;
  #skipped = 0;
  #shutdown: Promise<void> | null = null;
  #newestAt = 0;
  /** Last record id the bridge delivered in this subscription and numbering (-1: none yet). */
  #lastDelivered = -1;
  /** The log's oldest record id as last read (-1: unknown); it only grows until a clear. */
  #knownOldest = -1;
  #newestTimer: NodeJS.Timeout | null = null;
  /** Records messages received so far: orders a log query's start against a batch's arrival. */
  #batches = 0;
  /** Bumped when the numbering or subscription changes: a query answered across it is not applied. */
  #generation = 0;
  #unconfirmed: UnconfirmedGap[] = [];

  constructor(options: WindowsEventLogSourceOptions) {
    this.#options = options;
    this.#observe = options.observer ?? (() => undefined);
  }

  async open(): Promise<OpenResult> {
    const { bridge, checkpoint } = this.#options;
    const loaded = await checkpoint.load();
    if (loaded.kind === 'found') this.#observe({ kind: 'checkpoint-loaded', recordId: loaded.recordId });
    else {
      const detail = loaded.kind === 'corrupt' || loaded.kind === 'unreadable' ? loaded.detail : '';
      this.#observe({ kind: 'checkpoint-unusable', reason: loaded.kind, detail });
    }
    const log = await bridge.logInfo(SECURITY_CHANNEL);
    if (!log.ok) return { ok: false, error: `Cannot read the ${SECURITY_CHANNEL} log's information: ${log.error}` };
    this.#observe({ kind: 'log-info', log: log.value });
    const start = chooseStart(this.#options.start, loaded, log.value);
    this.#observe({ kind: 'start', detail: start.detail });
    const proved = await checkpoint.save(start.bridge.mode === 'after' ? start.bridge.recordId : null);
    if (!proved.ok) return { ok: false, error: `The state folder is not writable: ${proved.detail}` };
    const started = await bridge.start(this.#startOptions(start.bridge), (message) => this.#onMessage(message));
    if (!started.ok) return { ok: false, error: `The bridge did not start: ${started.error}` };
    this.#startNewestRefresh();
    return { ok: true, value: this };
  }

  async read(max: number, signal: AbortSignal): Promise<SourceBatch> {
    if (this.#pending.length === 0 && !this.#stopped && !signal.aborted) await this.#waitForBatch(signal);
    const items: SourceItem[] = [];
    while (items.length < max && this.#pending.length > 0) {
      const batch = this.#pending[0]!;
      const { recordIds, xml } = batch.records;
      while (items.length < max && batch.next < recordIds.length) {
        const recordId = recordIds[batch.next]!;
        const text = xml[batch.next]!;
        items.push({ text, format: 'xml', recordId, file: SECURITY_CHANNEL, position: recordId });
        if (CLEARED_EVENT.test(text)) this.#observe({ kind: 'log-cleared', recordId });
        batch.next++;
      }
      if (batch.next === recordIds.length) {
        this.#pending.shift();
        batch.answer({ ok: true });
      }
    }
    return { items, done: this.#stopped && this.#pending.length === 0 && items.length === 0 };
  }

  async ack(upTo: number): Promise<void> {
    const saved = await this.#options.checkpoint.save(upTo);
    if (!saved.ok) this.#observe({ kind: 'checkpoint-write-failed', detail: saved.detail });
  }

  shutdown(): Promise<void> {
    this.#shutdown ??= this.#doShutdown();
    return this.#shutdown;
  }

  async #doShutdown(): Promise<void> {
    this.#stopped = true;
    if (this.#newestTimer !== null) clearInterval(this.#newestTimer);
    for (const batch of this.#pending.splice(0)) batch.answer({ ok: true, stop: true });
    this.#wake?.();
    await this.#options.bridge.stop();
    await this.#options.checkpoint.shutdown();
  }

  #onMessage(message: BridgeMessage): Promise<BridgeAnswer> {
    if (this.#stopped) return Promise.resolve({ ok: true, stop: true });
    if (message.type === 'status') {
      this.#onStatus(message);
      return Promise.resolve({ ok: true });
    }
    if (message.newestRecordId >= 0) this.#observeNewest(message.newestRecordId);
    if (message.recordIds.length === 0) return Promise.resolve({ ok: true });
    const ids = message.recordIds;
    const batch = ++this.#batches;
    const previous = this.#lastDelivered;
    this.#lastDelivered = ids[ids.length - 1]!;
    const hold = (): Promise<BridgeAnswer> =>
      this.#stopped
        ? Promise.resolve({ ok: true, stop: true })
        : new Promise((answer) => {
            this.#pending.push({ records: message, next: 0, answer });
            this.#wake?.();
          });
    // A skip past the log's oldest record (between batches or inside one): the subscription went on from the
    // oldest record left because the log wrapped under it while its queue was full (an export outage). Judged
    // at once when the oldest known record is already past the record before the skip. Any other gap (a
    // filtered subscription's ordinary gap, or a skip in the last second of an outage that the cached oldest
    // does not show yet) is kept unconfirmed and judged by the next periodic log query (#confirmGaps).
    let skip = -1;
    for (let i = 0; i < ids.length; i++) {
      const before = i === 0 ? previous : ids[i - 1]!;
      if (before < 0 || ids[i]! <= before + 1) continue;
      if (skip < 0 && this.#knownOldest > before + 1) skip = i;
      else this.#remember({ before, first: ids[i]!, batch });
    }
    if (skip < 0) return hold();
    const before = skip === 0 ? previous : ids[skip - 1]!;
    return this.#judgeSkip(before, ids[skip]!, message.newestRecordId).then(hold);
  }

  async #judgeSkip(previous: number, first: number, newest: number): Promise<void> {
    const generation = this.#generation;
    const startedAfter = this.#batches;
    const known = this.#knownOldest;
    const log = await this.#options.bridge.logInfo(SECURITY_CHANNEL);
    const oldest = log.ok ? Math.max(known, log.value.oldestRecordId) : known;
    // The skip came before any later (re)subscription, whose own loss judgement starts after it: reported anyway.
    this.#reportSkip(previous, first, oldest, newest);
    if (!log.ok || generation !== this.#generation) return;
    this.#knownOldest = Math.max(this.#knownOldest, oldest);
    this.#confirmGaps(startedAfter, log.value.oldestRecordId, log.value.newestRecordId);
  }

  /** Reports what a skip from `previous` to `first` lost, the log's oldest record being `oldest`. */
  #reportSkip(previous: number, first: number, oldest: number, newest: number): void {
    // Records from `first` on were read; those before it and before the oldest are what the log lost unread.
    const loss = assessLoss(previous, { oldestRecordId: Math.min(oldest, first), newestRecordId: Math.max(first, newest) });
    if (loss.kind === 'overwritten') {
      this.#observe({ kind: 'possible-loss', reason: loss.kind, possiblyLost: loss.possiblyLost, detail: describeLoss(loss) });
    }
  }

  // Overflow (more than MAX_UNCONFIRMED gaps between two queries: a busy, filtered log) merges the oldest half
  // into one gap spanning them, so the cost stays constant per gap (a merge each MAX_UNCONFIRMED / 2 gaps, not
  // an array shift each gap) and the recent gaps, where a skip after an outage shows, stay exact. Nothing is
  // dropped, so a skip is still reported; the cost is that records delivered inside the merged span may be
  // counted as lost if the log overwrites them before the query (an upper bound, as every running-wrap count is).
  #remember(gap: UnconfirmedGap): void {
    const gaps = this.#unconfirmed;
    gaps.push(gap);
    if (gaps.length <= MAX_UNCONFIRMED) return;
    const half = gaps.length >> 1;
    const last = gaps[half - 1]!;
    this.#unconfirmed = [{ before: gaps[0]!.before, first: last.first, batch: last.batch }, ...gaps.slice(half)];
  }

  // Judges the unconfirmed gaps delivered before a log query started, against that query's oldest record O.
  // Sound because the watcher skips before it delivers `first`, and the oldest only grows until a clear: a query
  // started after `first` arrived sees O >= first > before + 1 for a real skip, so min(O, first) - before - 1 =
  // first - before - 1 is exact. An ordinary gap is reported only if the log overwrote it between its delivery
  // and the query (about a second; or records that waited in the bridge's queue through an outage): then as
  // possibly lost, an upper bound. A query started before the batch arrived may predate the skip: not used.
  #confirmGaps(startedAfter: number, oldest: number, newest: number): void {
    const judged = this.#unconfirmed.filter((g) => g.batch <= startedAfter);
    if (judged.length === 0) return;
    this.#unconfirmed = this.#unconfirmed.filter((g) => g.batch > startedAfter);
    // One report per query, however many gaps it confirms (up to MAX_UNCONFIRMED): a line each would flood the
    // service log when a wrapping log overwrites many ordinary gaps at once. The count is their sum.
    let firstLost = -1;
    let lastLost = -1;
    let possiblyLost = 0;
    for (const gap of judged) {
      if (gap.before + 1 >= oldest) continue;
      const loss = assessLoss(gap.before, { oldestRecordId: Math.min(oldest, gap.first), newestRecordId: Math.max(gap.first, newest) });
      if (loss.kind !== 'overwritten') continue;
      if (firstLost < 0) firstLost = loss.firstLost;
      lastLost = loss.lastLost;
      possiblyLost += loss.possiblyLost;
    }
    if (possiblyLost === 0) return;
    const loss = { kind: 'overwritten' as const, firstLost, lastLost, possiblyLost };
    this.#observe({ kind: 'possible-loss', reason: loss.kind, possiblyLost, detail: describeLoss(loss) });
  }

  /** A new subscription or numbering: neither the cached oldest record nor the gaps judged against it apply. */
  #forgetGaps(): void {
    this.#generation++;
    this.#unconfirmed = [];
  }

  #observeNewest(recordId: number): void {
    this.#newestAt = Date.now();
    this.#observe({ kind: 'newest-record', recordId });
  }

  // The bridge sends the newest record id with its batches, and sends nothing while the pump holds a batch (an
  // export outage): without this the lag would freeze at its value when the outage began instead of growing.
  // The same query confirms unconfirmed gaps, so it also runs while batches flow, but only when there are some:
  // an idle agent, or one whose ids have no gaps, queries no more than once a second without a batch.
  #startNewestRefresh(): void {
    const every = this.#options.newestRefreshMs ?? 1000;
    let querying = false;
    this.#newestTimer = setInterval(() => {
      if (querying || this.#stopped) return;
      if (this.#unconfirmed.length === 0 && Date.now() - this.#newestAt < every) return;
      querying = true;
      const generation = this.#generation;
      const startedAfter = this.#batches;
      void this.#options.bridge
        .logInfo(SECURITY_CHANNEL)
        .then((log) => {
          if (!log.ok || this.#stopped || generation !== this.#generation) return;
          this.#knownOldest = Math.max(this.#knownOldest, log.value.oldestRecordId);
          if (log.value.newestRecordId >= 0) this.#observeNewest(log.value.newestRecordId);
          this.#confirmGaps(startedAfter, log.value.oldestRecordId, log.value.newestRecordId);
        })
        .finally(() => (querying = false));
    }, every);
    this.#newestTimer.unref();
  }

  #onStatus(status: BridgeStatus): void {
    const { state, detail, resumeAfter, log } = status;
    if (state === 'skipped') {
      // Cumulative in the bridge: a status lost to its bounded buffer loses no count.
      const total = status.skippedTotal ?? this.#skipped + 1;
      this.#observe({ kind: 'render-failed', recordId: resumeAfter, count: Math.max(0, total - this.#skipped), detail });
      this.#skipped = Math.max(this.#skipped, total);
    } else if (state === 'restarted') {
      // New numbering: ids start again from 1, so neither the last delivered nor the oldest known applies.
      this.#lastDelivered = -1;
      this.#knownOldest = -1;
      this.#forgetGaps();
      this.#observe({ kind: 'numbering-restarted', fromRecordId: resumeAfter, detail });
    }
    else if (state === 'paused') this.#observe({ kind: 'paused', detail });
    else if (state === 'error') this.#observe({ kind: 'bridge-error', detail });
    else if (log !== null) {
      // A (re)subscription judges its own loss from resumeAfter below; the next batch is not compared again.
      this.#lastDelivered = -1;
      this.#knownOldest = log.oldestRecordId;
      this.#forgetGaps();
      if (log.newestRecordId >= 0) this.#observeNewest(log.newestRecordId);
      if (resumeAfter < 0) return;
      const loss = assessLoss(resumeAfter, log);
      if (loss.kind !== 'none') {
        this.#observe({ kind: 'possible-loss', reason: loss.kind, possiblyLost: loss.possiblyLost, detail: describeLoss(loss) });
      }
    }
  }

  #waitForBatch(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.#options.maxDelayMs);
      signal.addEventListener('abort', done, { once: true });
      this.#wake = done;
    });
  }

  #startOptions(start: BridgeStartOptions['start']): BridgeStartOptions {
    const o = this.#options;
    const queueBound = Math.max(o.queueBound, o.batchSize);
    return {
      channel: SECURITY_CHANNEL,
      eventIds: o.eventIds,
      start,
      batchSize: o.batchSize,
      maxDelayMs: o.maxDelayMs,
      queueBound,
      resumeBelow: Math.max(1, Math.floor(queueBound / 4)),
      backoffInitialMs: o.backoffInitialMs,
      backoffMaxMs: Math.max(o.backoffMaxMs, o.backoffInitialMs),
      stopTimeoutMs: o.stopTimeoutMs ?? 5000,
    };
  }
}

/** Opens the live source; a one-line error when the log, the state folder or the bridge is not usable. */
export function openWindowsEventLogSource(options: WindowsEventLogSourceOptions): Promise<OpenResult> {
  return new WindowsEventLogSource(options).open();
}
