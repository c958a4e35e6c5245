// A paced stand-in for the C# bridge, for `npm run bench:flood` until the bridge's own synthetic producer (issue 14
// item 1) can drive the real process: it "writes" records to a virtual Security log at a fixed rate (record ids
// from 1, time = when the record was due, so a backlog shows as latency) and hands them to the agent in batches,
// one message at a time, each awaiting the answer, like the real bridge. Records are real fixture events with new
// record ids and times; the 5152s cycle through `ports` local ports (a port scan), one 5157 every `blockEvery`.
import type { BridgeAnswer, BridgeCallResult, BridgeHost, BridgeLogInfo, BridgeMessage, BridgeStartOptions } from '../../agent/bridge/index.ts';

export interface SyntheticLogOptions {
  readonly rate: number;
  readonly seconds: number;
  /** Real event XML: a 5152 (inbound, local port in DestPort) and a 5157. */
  readonly drop: string;
  readonly block: string;
  readonly ports: number;
  /** Every n-th record is the 5157. */
  readonly blockEvery: number;
}

type Field = 'id' | 'time' | 'port';
type Render = (values: Readonly<Record<Field, string>>) => string;

/** A template cut at the record id, the time and (for the drop) the local port, for cheap per-record strings. */
function template(xml: string, withPort: boolean): Render {
  let marked = xml
    .replace(/<EventRecordID>\d+<\/EventRecordID>/, '<EventRecordID>\u0000id\u0000</EventRecordID>')
    .replace(/SystemTime="[^"]+"/, 'SystemTime="\u0000time\u0000"');
  if (withPort) marked = marked.replace(/<Data Name="DestPort">\d+<\/Data>/, '<Data Name="DestPort">\u0000port\u0000</Data>');
  // Odd parts are field names, in document order.
  const parts = marked.split('\u0000');
  return (values) => {
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) out += values[parts[i] as Field] + parts[i + 1]!;
    return out;
  };
}

export class SyntheticBridge implements BridgeHost {
  readonly #o: SyntheticLogOptions;
  readonly #drop: Render;
  readonly #block: Render;
  readonly total: number;
  /** Record ids of the 5157s, and when the producer started (ms). */
  blocks = 0;
  startedAt = 0;
  #running = false;
  #loop: Promise<void> | null = null;

  constructor(options: SyntheticLogOptions) {
    this.#o = options;
    this.#drop = template(options.drop, true);
    this.#block = template(options.block, false);
    this.total = Math.round(options.rate * options.seconds);
    for (let id = 1; id <= this.total; id++) if (this.isBlock(id)) this.blocks++;
  }

  isBlock(id: number): boolean {
    return id % this.#o.blockEvery === 0;
  }

  /** When record `id` was written to the virtual log (ms since the epoch). */
  dueAt(id: number): number {
    return this.startedAt + ((id - 1) * 1000) / this.#o.rate;
  }

  #xml(id: number): string {
    const values = { id: String(id), time: new Date(this.dueAt(id)).toISOString(), port: String(1000 + (id % this.#o.ports)) };
    return this.isBlock(id) ? this.#block(values) : this.#drop(values);
  }

  #written(): number {
    if (this.startedAt === 0) return 0;
    return Math.min(this.total, Math.floor(((Date.now() - this.startedAt) * this.#o.rate) / 1000));
  }

  #info(): BridgeLogInfo {
    const newest = this.#written();
    return {
      oldestRecordId: newest > 0 ? 1 : -1,
      newestRecordId: newest > 0 ? newest : -1,
      recordCount: newest,
      fileSizeBytes: newest * 1200,
      maxSizeBytes: 4 * 1024 ** 3,
      retention: 'overwrite',
      isFull: false,
      lastWriteUtc: new Date().toISOString(),
    };
  }

  async start(options: BridgeStartOptions, onMessage: (m: BridgeMessage) => Promise<BridgeAnswer>): Promise<BridgeCallResult<void>> {
    this.#running = true;
    this.#loop = this.#run(options, onMessage);
    return { ok: true, value: undefined };
  }

  async logInfo(): Promise<BridgeCallResult<BridgeLogInfo>> {
    return { ok: true, value: this.#info() };
  }

  async driveMap(): Promise<BridgeCallResult<Readonly<Record<string, string>>>> {
    return { ok: true, value: {} };
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  async #run(options: BridgeStartOptions, onMessage: (m: BridgeMessage) => Promise<BridgeAnswer>): Promise<void> {
    let position = options.start.mode === 'after' ? Math.max(0, options.start.recordId) : 0;
    const first = await onMessage({ type: 'status', state: 'subscribing', detail: 'Subscribing to the synthetic log.', resumeAfter: -1, log: this.#info() });
    if (first.stop === true) return;
    this.startedAt = Date.now();
    while (this.#running) {
      const written = this.#written();
      if (written <= position) {
        await new Promise((r) => setTimeout(r, Math.min(5, options.maxDelayMs)));
        continue;
      }
      const upTo = Math.min(written, position + options.batchSize);
      const recordIds: number[] = [];
      const xml: string[] = [];
      for (let id = position + 1; id <= upTo; id++) {
        recordIds.push(id);
        xml.push(this.#xml(id));
      }
      position = upTo;
      const answer = await onMessage({ type: 'records', recordIds, xml, newestRecordId: written });
      if (answer.stop === true) return;
    }
  }
}
