// Fault tests on the real process (issue 14 item 3): `wfp-agent run` as a child process, the real net48 bridge
// through edge-js with its synthetic producer, the real checkpoint file and the OTLP test receiver on loopback.
// Intervals are shortened through the config so the file stays within a couple of minutes on 2 cores.
// Covered elsewhere and not repeated: SIGTERM/SIGINT after a finished backlog (synthetic-run.test.ts), stdin-close
// stop and a stop cut at stop_timeout_ms (run-stop.test.ts), wrap and clear against the real bridge in-process
// (live-contract-real-bridge.test.ts). Here: the same faults on the real process, and the signals mid-tail.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { startOtlpReceiver } from '../helpers/otlp-receiver.ts';
import type { OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { blockTemplates, startSyntheticAgent, syntheticAgentSkip, syntheticAgentUnavailable } from '../helpers/synthetic-agent.ts';
import type { SyntheticAgent } from '../helpers/synthetic-agent.ts';
import type { SyntheticProducerSpec } from '../../agent/bridge/index.ts';
import { needs } from '../helpers/test-dependency.ts';

const receivers: OtlpReceiver[] = [];
const agents: SyntheticAgent[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
// Whatever a failed assertion left running is stopped here, so a failure never hangs the run.
after(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL', 1000)));
  await Promise.all(receivers.map((r) => r.close()));
  for (const cleanup of cleanups) await cleanup();
});

async function until(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Record ids the receiver got, keyed by host.name + record id (what a backend would deduplicate on). */
function receivedKeys(receiver: OtlpReceiver): string[] {
  return receiver.logs
    .filter((l) => l.attributes['windows.event.record_id'] !== undefined)
    .map((l) => `${String(l.resource['host.name'])}#${String(l.attributes['windows.event.record_id'])}`);
}

function recordIds(receiver: OtlpReceiver): number[] {
  return receiver.logs.map((l) => Number(l.attributes['windows.event.record_id'])).filter((n) => Number.isFinite(n));
}

type Backend = 'up' | 'down' | '500' | '503' | '429';

/**
 * A loopback front for a receiver that can be switched: up (forwarded), down (every connection reset, like a
 * backend that is gone), answering 500 (no Retry-After: a backend failing inside) or 503/429 with Retry-After: 1
 * (the receiver's scripted answer).
 */
async function switchableBackend(): Promise<{ url: string; receiver: OtlpReceiver; set(mode: Backend): void; mode(): Backend }> {
  let mode: Backend = 'up';
  const receiver = await startOtlpReceiver({
    answer: () =>
      mode === '503' || mode === '429' ? { status: Number(mode), headers: { 'retry-after': '1' } } : mode === '500' ? { status: 500, body: 'internal error' } : { status: 200 },
  });
  receivers.push(receiver);
  const target = new URL(receiver.url);
  const sockets = new Set<Socket>();
  const front = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (mode === 'down') return void socket.resetAndDestroy();
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    socket.on('error', () => upstream.destroy()).pipe(upstream);
    upstream.on('error', () => socket.destroy()).pipe(socket);
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => front.close(() => r()));
  });
  return {
    url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
    receiver,
    set(next) {
      mode = next;
      // A backend going down also drops the connections it had.
      if (next === 'down') for (const s of sockets) s.destroy();
    },
    mode: () => mode,
  };
}

function mount(args: readonly string[]): string | null {
  const result = spawnSync('mount', args, { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? null : `mount ${args.join(' ')}: ${(result.stderr || result.error?.message || '').trim()}`;
}

/** A tiny tmpfs (a real full disk and a real read-only remount); needs root with CAP_SYS_ADMIN, as in CI. */
function tmpfsUnavailable(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'wfp-tmpfs-probe-'));
  const problem = mount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
  if (problem === null) spawnSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
  return problem;
}
const tmpfsSkip = needs('a tmpfs mount for the checkpoint fault tests (root)', tmpfsUnavailable());

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}


/**
 * An agent whose bridge queue fills fast (batches of 50, a queue of 100, short backoff, metrics every second): an
 * outage of a few seconds then blocks the watcher while the log goes on, as the wrap and clear tests need.
 */
function startSmallQueueAgent(producer: SyntheticProducerSpec, receiverUrl: string): SyntheticAgent {
  return startSyntheticAgent({
    producer,
    receiverUrl,
    source: { batch_size: 50, max_delay_ms: 50, queue_bound: 100, backoff_initial_ms: 50, backoff_max_ms: 500 },
    otlp: { timeout_ms: 1000 },
    extraYaml: 'metrics:\n  export_interval_ms: 1000',
  });
}
describe('fault tests on the real process', { skip: syntheticAgentSkip(), concurrency: false }, () => {
  it('kill -9 in the middle of a batch, five times in a row: every record arrives, at most one batch twice per kill', { timeout: 120_000 }, async (t) => {
    assert.equal(syntheticAgentUnavailable(), null);
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    // A live log written at 400 records/s, 8000 in all (20 s): each run is killed while records are flowing.
    const batchSize = 50;
    const producer = { firstId: 20_001, count: 8000, backlog: 200, rate: 400, mix: { '5157': 3, '5152': 1, '5155': 1 }, templates: blockTemplates() };
    const last = 20_000 + 8000;
    let stateDir: string | undefined;
    const kills: { checkpoint: number; receivedBefore: number }[] = [];
    for (let kill = 0; kill < 5; kill++) {
      const agent = startSyntheticAgent({
        producer,
        receiverUrl: receiver.url,
        ...(stateDir === undefined ? {} : { stateDir }),
        source: { start_position: stateDir === undefined ? 'beginning' : 'checkpoint', batch_size: batchSize, max_delay_ms: 50 },
      });
      agents.push(agent);
      stateDir = agent.stateDir;
      const before = agent.checkpoint() ?? 0;
      // Progress first (a checkpoint written by this run), then a kill at an arbitrary point of the next batches.
      await until(() => (agent.checkpoint() ?? 0) > before, 60_000, () => `no progress after kill ${kill}; stderr:\n${agent.stderr()}`);
      await sleep(50 + Math.floor(Math.random() * 250));
      agent.child.kill('SIGKILL');
      assert.equal(await agent.exited, 'SIGKILL');
      // A request the agent finished sending just before it died is still parsed by the receiver in this process:
      // let it land before the run's share of the receiver's log is cut (the next run needs seconds to export).
      await sleep(300);
      kills.push({ checkpoint: agent.checkpoint() ?? 0, receivedBefore: recordIds(receiver).length });
      if (kill === 0) assert.match(agent.stderr(), /SYNTHETIC test source/);
      else assert.match(agent.stderr(), /resumes after record \d+/);
    }
    assert.ok(kills[4]!.checkpoint < last, `the kills happened while the log was still being read: ${JSON.stringify(kills)}`);

    // The sixth run is left to finish, then stopped cleanly.
    const final = startSyntheticAgent({ producer, receiverUrl: receiver.url, stateDir: stateDir!, source: { start_position: 'checkpoint', batch_size: batchSize, max_delay_ms: 50 } });
    agents.push(final);
    await until(() => final.checkpoint() === last, 60_000, () => `checkpoint ${final.checkpoint()}; stderr:\n${final.stderr()}`);
    await until(() => new Set(recordIds(receiver)).size >= 8000, 10_000, () => `${new Set(recordIds(receiver)).size} distinct received`);
    assert.equal(await final.stop('SIGTERM'), 0, final.stderr());

    const ids = recordIds(receiver);
    assert.deepEqual([...new Set(ids)].sort((a, b) => a - b), range(20_001, last), 'every record reached the receiver at least once');
    const keys = receivedKeys(receiver);
    const duplicates = keys.length - new Set(keys).size;
    // At-least-once, one batch per kill: the pump exports batch N+1 only once batch N's checkpoint is written
    // (live-pump.ts settleAck), so what was exported but not checkpointed when a run died is one batch at most:
    // records after the checkpoint the kill left, within batch_size of it. Each run's share of the receiver's
    // log (what arrived between the previous kill and its own) is cut at its kill; what it sent past the
    // checkpoint of its kill is sent again by the next run, and that is every duplicate.
    const sentTwice = kills.map((kill, k) => {
      const share = ids.slice(k === 0 ? 0 : kills[k - 1]!.receivedBefore, kill.receivedBefore);
      if (k > 0) assert.equal(share[0], kills[k - 1]!.checkpoint + 1, `run ${k + 1} resumed right after the checkpoint of kill ${k}`);
      const past = share.filter((id) => id > kill.checkpoint);
      assert.ok(past.length <= batchSize, `kill ${k + 1}: ${past.length} records exported past its checkpoint ${kill.checkpoint} (batch ${batchSize})`);
      assert.ok(
        past.every((id) => id <= kill.checkpoint + batchSize),
        `kill ${k + 1}: exported past its checkpoint ${kill.checkpoint}, more than a batch ahead: ${past.filter((id) => id > kill.checkpoint + batchSize).join(', ')}`,
      );
      return past.length;
    });
    t.diagnostic(`kills at checkpoints ${kills.map((k) => k.checkpoint).join(', ')}; sent again per kill ${sentTwice.join(', ')}; ${duplicates} duplicates`);
    assert.equal(duplicates, sentTwice.reduce((a, b) => a + b, 0), 'every duplicate is a record sent past the checkpoint of a kill');
    // log.record.uid is the same for both copies of a duplicate, so a backend can drop the second.
    const uids = new Map<string, string>();
    for (const l of receiver.logs) {
      const key = `${String(l.resource['host.name'])}#${String(l.attributes['windows.event.record_id'])}`;
      const uid = String(l.attributes['log.record.uid']);
      assert.notEqual(uid, 'undefined');
      if (uids.has(key)) assert.equal(uids.get(key), uid, `the same uid for both copies of ${key}`);
      uids.set(key, uid);
    }
  });

  it('backend down for 60 s, then 500, 503 and 429 storms, then back: reading pauses, lag reported, nothing lost, prompt catch-up', { timeout: 150_000 }, async (t) => {
    assert.equal(syntheticAgentUnavailable(), null);
    const logs = await switchableBackend();
    // Metrics go straight to a receiver that stays up, so the lag and the read count can be watched while the log
    // backend is down.
    const metrics = await startOtlpReceiver();
    receivers.push(metrics);
    // The outage: 60 s down, then 3 s of each storm. 300 records/s for 80 s: the log grows by ~18,000
    // records during the outage, ~45 MB as .NET and JS strings if the bridge kept reading into memory.
    const rate = 300;
    const outageMs = 60_000;
    const batchSize = 100;
    const producer = { firstId: 40_001, count: rate * 80, backlog: 0, rate, mix: { '5157': 2, '5152': 1 }, templates: blockTemplates() };
    const last = 40_000 + producer.count;
    // backoff_max_ms 500: once the backend is back the next attempt is at most 0.5 s away (the SDK's own retries
    // honour Retry-After within timeout_ms), so the catch-up starts at once.
    const agent = startSyntheticAgent({
      producer,
      receiverUrl: metrics.url,
      source: { batch_size: batchSize, max_delay_ms: 50, queue_bound: 300, backoff_initial_ms: 50, backoff_max_ms: 500 },
      extraYaml: 'metrics:\n  export_interval_ms: 1000',
      otlp: { logs_endpoint: `${logs.url}/v1/logs`, timeout_ms: 2000 },
    });
    agents.push(agent);
    const lastPoint = (metric: string): number | null => metrics.points.filter((p) => p.metric === metric).at(-1)?.value ?? null;
    const lag = (): number | null => metrics.gauges.filter((g) => g.metric === 'wfp_agent.source.lag').at(-1)?.value ?? null;
    const rssMb = (): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${agent.child.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
    const status = (): { export: { failing_since: string | null; last_error: string | null; last_success_at: string | null }; lag: { records_behind: number | null } } =>
      JSON.parse(readFileSync(join(agent.stateDir, 'status.json'), 'utf8'));
    await until(() => (agent.checkpoint() ?? 0) >= 40_300, 60_000, () => `checkpoint ${agent.checkpoint()}; stderr:\n${agent.stderr()}`);

    // Down for 60 s: nothing is acknowledged, so the checkpoint stands still (bar the batch already answered).
    logs.set('down');
    const downAt = Date.now();
    await sleep(5000);
    const checkpointAtOutage = agent.checkpoint()!;
    // The pump holds the batch it could not export and reads nothing more; the bridge's queue (300) is full and its
    // watcher waits for room: the read count stops, whatever the log writes meanwhile.
    const readEarly = lastPoint('wfp_agent.source.records_read');
    const rssEarly = rssMb();
    const lagEarly = lag();
    await sleep(downAt + outageMs - Date.now());
    assert.equal(agent.checkpoint(), checkpointAtOutage, 'no checkpoint while the backend is down');
    const readLate = lastPoint('wfp_agent.source.records_read');
    const acknowledgedLate = lastPoint('wfp_agent.source.records_acknowledged');
    assert.ok(readEarly !== null && readLate === readEarly, `reading paused: records_read ${readEarly} at 5 s, ${readLate} at 60 s`);
    assert.ok(acknowledgedLate !== null && readLate - acknowledgedLate <= batchSize, `the pump holds one batch: read ${readLate}, acknowledged ${acknowledgedLate}`);
    const rssLate = rssMb();
    // Memory stays flat while the log grows by ~16,500 records (noise is ~10 MB; the records would be ~40 MB).
    assert.ok(rssLate - rssEarly < 25, `RSS ${rssEarly.toFixed(1)} MB at 5 s, ${rssLate.toFixed(1)} MB at 60 s`);
    // The lag grows with the log (the source reads the log's newest record itself once a second while the pump
    // holds a batch): 55 s at 300/s between the two samples, less a few seconds of reporting delay.
    const lagDown = lag();
    assert.ok(lagEarly !== null && lagDown !== null && lagDown - lagEarly >= rate * 50, `lag reported while down: ${lagEarly} at 5 s, ${lagDown} at 60 s`);
    // status.json (rewritten every 30 s, so at least once in the outage): failing, with the backlog it is behind.
    const during = status();
    assert.notEqual(during.export.failing_since, null, JSON.stringify(during.export));
    assert.notEqual(during.export.last_error, null, JSON.stringify(during.export));
    assert.ok((during.lag.records_behind ?? 0) >= rate * 20, `status.json lag.records_behind ${during.lag.records_behind}`);
    assert.match(agent.stderr(), /Export failed; reading pauses until it recovers \(the event log keeps the events\)\./);
    // The bridge posts no "Reading paused" here: its watcher waits for room in the full queue (nothing is
    // rejected), so the operator line is the pump's.

    // Storms, 3 s each: 500 (no Retry-After: the pump's own backoff, at its 500 ms cap after the outage), then
    // 503 and 429 with Retry-After: 1 (honoured by the exporter's retries).
    const storm = async (mode: '500' | '503' | '429'): Promise<number[]> => {
      logs.set(mode);
      const from = Date.now();
      await sleep(3000);
      return logs.receiver.requests.filter((r) => r.path.endsWith('/v1/logs') && r.receivedAt >= from && r.receivedAt < from + 3000).map((r) => r.receivedAt);
    };
    const requests500 = await storm('500');
    const requests503 = await storm('503');
    const requests429 = await storm('429');
    assert.equal(agent.checkpoint(), checkpointAtOutage, 'no checkpoint while the backend refuses');
    // 500: backed off, never a hammering: 400..500 ms between attempts (jitter below the cap), so 5..8 in 3 s.
    const gaps500 = requests500.slice(1).map((at, i) => at - requests500[i]!);
    assert.ok(requests500.length >= 3 && requests500.length <= 10, `${requests500.length} log requests in a 3 s 500 storm`);
    assert.ok(Math.min(...gaps500) >= 300, `500 storm: attempts ${gaps500.join(', ')} ms apart`);
    // Retry-After: 1 honoured: about one attempt a second (8 in 3 s leaves room for timing).
    assert.ok(requests503.length >= 1 && requests503.length <= 8, `${requests503.length} log requests in a 3 s 503 storm`);
    assert.ok(requests429.length >= 1 && requests429.length <= 8, `${requests429.length} log requests in a 3 s 429 storm`);
    const lagStorm = lag();
    assert.ok(lagStorm !== null && lagStorm >= lagDown! + rate * 6, `lag still growing: ${lagDown} then ${lagStorm}`);
    assert.equal(lastPoint('wfp_agent.source.records_read'), readEarly, 'still nothing read during the storms');
    t.diagnostic(
      `checkpoint ${checkpointAtOutage} during the outage; records_read ${readEarly}; lag ${lagEarly} at 5 s, ${lagDown} at 60 s, ${lagStorm} after the storms; ` +
        `RSS ${rssEarly.toFixed(1)} -> ${rssLate.toFixed(1)} MB; status.json records_behind ${during.lag.records_behind}; ` +
        `log requests 500:${requests500.length} (gaps ${gaps500.join('/')} ms) 503:${requests503.length} 429:${requests429.length}`,
    );

    // Back: the next attempt is at most backoff_max_ms away, so the checkpoint moves within seconds; it then reaches
    // what the log held when the backend came back (~21,000 records: 10 s at 2,000 records/s, what a busy 2-core VM
    // gives this agent), then the log's end.
    logs.set('up');
    const backAt = Date.now();
    await until(() => (agent.checkpoint() ?? 0) > checkpointAtOutage, 5000, () => `no checkpoint within 5 s of the backend's return; stderr:\n${agent.stderr()}`);
    const resumedMs = Date.now() - backAt;
    const startUnixMs = JSON.parse(readFileSync(agent.specFile, 'utf8')).producer.startUnixMs as number;
    const newestAtBack = 40_000 + Math.min(producer.count, Math.floor(((backAt - startUnixMs) / 1000) * rate));
    await until(() => (agent.checkpoint() ?? 0) >= newestAtBack, 60_000, () => `checkpoint ${agent.checkpoint()}, ${newestAtBack} to catch up; stderr:\n${agent.stderr()}`);
    const caughtUpMs = Date.now() - backAt;
    t.diagnostic(`resumed ${resumedMs} ms and caught up with ${newestAtBack - checkpointAtOutage} records ${caughtUpMs} ms after the backend came back`);
    assert.ok(caughtUpMs < 45_000, `caught up ${caughtUpMs} ms after the backend came back`);
    await until(() => agent.checkpoint() === last, 60_000, () => `checkpoint ${agent.checkpoint()}; stderr:\n${agent.stderr()}`);
    assert.match(agent.stderr(), /Export recovered after \d+ failed flushes; reading resumes\./);
    await until(() => lag() === 0, 10_000, () => `lag ${lag()} after the catch-up`);
    assert.equal(await agent.stop('SIGTERM'), 0, agent.stderr());
    const after = status();
    assert.equal(after.export.failing_since, null, 'status.json: no longer failing');
    assert.notEqual(after.export.last_success_at, null);
    const ids = recordIds(logs.receiver);
    assert.deepEqual([...new Set(ids)].sort((a, b) => a - b), range(40_001, last), 'nothing lost');
    assert.match(agent.stderr(), new RegExp(`Stopped: ${producer.count} records read, ${producer.count} acknowledged, 0 dropped; checkpoint at ${last}`));
  });

  it('malformed and unrenderable records interleaved with good ones: counted, reported, the pump never stops', { timeout: 120_000 }, async (t) => {
    assert.equal(syntheticAgentUnavailable(), null);
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    // Record k (from 0) cannot be rendered when k % 11 == 10, else is cut in half when k % 7 == 6 (SyntheticLog.cs).
    const count = 2000;
    const producer = { firstId: 60_001, count, backlog: 500, rate: 500, mix: { '5157': 2, '5152': 1 }, templates: blockTemplates(), malformedEvery: 7, renderFailEvery: 11 };
    const last = 60_000 + count;
    const kinds = range(0, count - 1).map((k) => (k % 11 === 10 ? 'unrenderable' : k % 7 === 6 ? 'malformed' : 'good'));
    const good = kinds.flatMap((kind, k) => (kind === 'good' ? [60_001 + k] : []));
    const malformed = kinds.filter((kind) => kind === 'malformed').length;
    const unrenderable = kinds.filter((kind) => kind === 'unrenderable').length;
    const agent = startSyntheticAgent({ producer, receiverUrl: receiver.url, source: { batch_size: 100, max_delay_ms: 50 }, extraYaml: 'metrics:\n  export_interval_ms: 1000' });
    agents.push(agent);
    await until(() => agent.checkpoint() === last, 60_000, () => `checkpoint ${agent.checkpoint()}; stderr:\n${agent.stderr()}`);
    const dropped = (reason: string): number | undefined =>
      receiver.points.filter((p) => p.metric === 'wfp_agent.source.records_dropped' && p.attributes['reason'] === reason).at(-1)?.value;
    await until(() => dropped('undecodable') === malformed && dropped('render_failed') === unrenderable, 10_000, () => `records_dropped undecodable=${dropped('undecodable')} render_failed=${dropped('render_failed')}`);
    // A clean stop exits 0 although records were dropped: they are counted (metrics, the stop line), and the
    // service host reports any nonzero exit as a failure.
    assert.equal(await agent.stop('SIGTERM'), 0, agent.stderr());
    t.diagnostic(`${good.length} good, ${malformed} malformed, ${unrenderable} unrenderable`);
    assert.deepEqual(recordIds(receiver).sort((a, b) => a - b), good, 'every good record once, none of the bad ones');
    const err = agent.stderr();
    const renderLines = err.split('\n').filter((l) => /Record \d+ could not be rendered and was skipped/.test(l));
    assert.ok(renderLines.length >= 1 && renderLines.length <= unrenderable, `${renderLines.length} render-failure lines`);
    // Undecodable records: one line per batch naming them with the first one's decode error (a batch of 100 holds
    // at most 15 of them here, under the 20 a line names), so every one is named, once.
    const undecodableLines = err.split('\n').filter((l) => l.includes('undecodable record'));
    const named = undecodableLines.flatMap((line) => {
      const m = /Dropped (\d+) undecodable records? \(counted in records_dropped\{reason="undecodable"\}\): ([\d, ]+)\. error=Security: record (\d+)(?: \(line \d+\))?: malformed-xml: \S/.exec(line);
      assert.ok(m !== null, line);
      const ids = m[2]!.split(', ').map(Number);
      assert.equal(ids.length, Number(m[1]), line);
      assert.equal(Number(m[3]), ids[0], `the error is the first named record: ${line}`);
      return ids;
    });
    const malformedIds = kinds.flatMap((kind, k) => (kind === 'malformed' ? [60_001 + k] : []));
    assert.deepEqual(named.sort((a, b) => a - b), malformedIds, 'every undecodable record named once');
    t.diagnostic(`${undecodableLines.length} undecodable-record lines, e.g. ${undecodableLines[0]?.slice(0, 240)}`);
    const stopped = /Stopped: (\d+) records read, (\d+) acknowledged, (\d+) dropped; checkpoint at (\d+)\./.exec(err);
    assert.ok(stopped !== null, err);
    assert.deepEqual(stopped.slice(1).map(Number), [count - unrenderable, count - unrenderable, malformed, last]);
  });

  it('a render failure during an export outage is reported during the outage, not once the backend is back', { timeout: 120_000 }, async (t) => {
    assert.equal(syntheticAgentUnavailable(), null);
    const logs = await switchableBackend();
    logs.set('down');
    // 200 records/s for 25 s (room for a slow start); record k (from 0) cannot be rendered when k % 40 == 39: one
    // failure every 200 ms.
    const count = 5000;
    const producer = { firstId: 90_001, count, backlog: 0, rate: 200, mix: { '5157': 2, '5152': 1 }, templates: blockTemplates(), renderFailEvery: 40 };
    const good = range(0, count - 1).flatMap((k) => (k % 40 === 39 ? [] : [90_001 + k]));
    // The log's last record (95000) is an unrenderable one: the checkpoint ends at the last good record.
    const last = good.at(-1)!;
    // The bridge queue (4096) holds the whole outage, so its watcher keeps reading (and rendering) throughout.
    const agent = startSyntheticAgent({
      producer,
      receiverUrl: logs.url,
      source: { batch_size: 50, max_delay_ms: 50, queue_bound: 4096, backoff_initial_ms: 50, backoff_max_ms: 500 },
      otlp: { timeout_ms: 2000 },
    });
    agents.push(agent);
    const renderLines = (): string[] => agent.stderr().split('\n').filter((l) => /Record \d+ could not be rendered and was skipped/.test(l));
    await until(() => /Export failed; reading pauses until it recovers/.test(agent.stderr()), 60_000, () => `stderr:\n${agent.stderr()}`);
    // From here the pump holds a batch. Before the fix every later status waited behind it until the backend was back.
    await sleep(1000);
    const before = renderLines().length;
    await until(() => renderLines().length >= before + 5, 10_000, () => `${renderLines().length - before} render-failure lines during the outage; stderr:\n${agent.stderr()}`);
    assert.equal(recordIds(logs.receiver).length, 0, 'nothing was exported during the outage');
    assert.equal(logs.mode(), 'down');
    t.diagnostic(`${renderLines().length} render failures reported while the backend was down (${before} in its first second)`);

    logs.set('up');
    await until(() => agent.checkpoint() === last, 60_000, () => `checkpoint ${agent.checkpoint()}; stderr:\n${agent.stderr()}`);
    assert.equal(await agent.stop('SIGTERM'), 0, agent.stderr());
    assert.deepEqual([...new Set(recordIds(logs.receiver))].sort((a, b) => a - b), good, 'every renderable record, none lost');
    const lines = renderLines();
    assert.ok(lines.length >= 1 && lines.length <= count - good.length, `${lines.length} render-failure lines`);
    assert.match(agent.stderr(), new RegExp(`Stopped: ${good.length} records read, ${good.length} acknowledged, 0 dropped; checkpoint at ${last}`));
  });

  it('checkpoint folder read-only, then full (ENOSPC), then writable again: reported, export goes on, the checkpoint catches up', { timeout: 120_000, skip: tmpfsSkip }, async (t) => {
    assert.equal(syntheticAgentUnavailable(), null);
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    // The state folder is a 512 KiB tmpfs: remounted read-only for one fault, filled up for the other.
    const stateDir = mkdtempSync(join(tmpdir(), 'wfp-state-tmpfs-'));
    assert.equal(mount(['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', stateDir]), null);
    cleanups.push(() => {
      spawnSync('umount', ['-l', stateDir]);
      rmSync(stateDir, { recursive: true, force: true });
    });
    const producer = { firstId: 80_001, count: 4500, backlog: 300, rate: 300, mix: { '5157': 2, '5152': 1 }, templates: blockTemplates() };
    const last = 80_000 + 4500;
    const agent = startSyntheticAgent({ producer, receiverUrl: receiver.url, stateDir, source: { batch_size: 100, max_delay_ms: 50 } });
    agents.push(agent);
    await until(() => (agent.checkpoint() ?? 0) >= 80_300, 60_000, () => `checkpoint ${agent.checkpoint()}; stderr:\n${agent.stderr()}`);

    const fault = async (name: string, inject: () => void, heal: () => void, error: RegExp): Promise<void> => {
      inject();
      await sleep(300);
      const held = agent.checkpoint()!;
      const receivedBefore = recordIds(receiver).length;
      await sleep(2000);
      assert.equal(agent.checkpoint(), held, `${name}: the checkpoint file keeps its last good content`);
      assert.ok(recordIds(receiver).length >= receivedBefore + 300, `${name}: export goes on (${recordIds(receiver).length - receivedBefore} records in 2 s)`);
      assert.match(agent.stderr(), error, name);
      heal();
      await until(() => (agent.checkpoint() ?? 0) > held + 100, 10_000, () => `${name}: checkpoint ${agent.checkpoint()} after healing; stderr:\n${agent.stderr()}`);
      t.diagnostic(`${name}: checkpoint held at ${held}, then ${agent.checkpoint()}`);
    };
    const writeFailed = (code: string): RegExp => new RegExp(`The checkpoint could not be written; a restart may send some events twice\\. error=.*${code}`);
    await fault(
      'read-only',
      () => assert.equal(mount(['-o', 'remount,ro', stateDir]), null),
      () => assert.equal(mount(['-o', 'remount,rw', stateDir]), null),
      writeFailed('EROFS'),
    );
    const filler = join(stateDir, 'filler');
    await fault(
      'disk full',
      () => {
        // Fill the tmpfs to the last byte: writeFileSync throws ENOSPC once it is full.
        try {
          writeFileSync(filler, Buffer.alloc(1024 * 1024));
        } catch (error) {
          assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
        }
      },
      () => rmSync(filler),
      writeFailed('ENOSPC'),
    );
    await until(() => agent.checkpoint() === last, 60_000, () => `checkpoint ${agent.checkpoint()}; stderr:\n${agent.stderr()}`);
    assert.equal(await agent.stop('SIGTERM'), 0, agent.stderr());
    assert.deepEqual([...new Set(recordIds(receiver))].sort((a, b) => a - b), range(80_001, last), 'nothing lost');
    assert.equal(JSON.parse(readFileSync(join(stateDir, 'checkpoint.json'), 'utf8')).channels.Security.record_id, last);
  });

  it('a corrupt checkpoint at start: one line, the configured start position applies, a good checkpoint is written', { timeout: 60_000 }, async () => {
    assert.equal(syntheticAgentUnavailable(), null);
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    const stateDir = mkdtempSync(join(tmpdir(), 'wfp-corrupt-'));
    cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
    writeFileSync(join(stateDir, 'checkpoint.json'), '{"version":1,"channels":{"Security":{"record_id":');
    const producer = { firstId: 90_001, backlog: 400, rate: 0, mix: { '5157': 1 }, templates: blockTemplates() };
    const agent = startSyntheticAgent({ producer, receiverUrl: receiver.url, stateDir, source: { start_position: 'beginning' } });
    agents.push(agent);
    await until(() => agent.checkpoint() === 90_400, 60_000, () => `checkpoint ${agent.checkpoint()}; stderr:\n${agent.stderr()}`);
    assert.equal(await agent.stop('SIGTERM'), 0, agent.stderr());
    const lines = agent.stderr().split('\n').filter((l) => l.includes('checkpoint is'));
    assert.equal(lines.length, 1, agent.stderr());
    assert.match(lines[0]!, /^wfp-agent run: The checkpoint is corrupt \(.+\); the configured start position applies\.$/);
    assert.deepEqual(recordIds(receiver).sort((a, b) => a - b), range(90_001, 90_400));
  });

  it('log wrapped, then cleared, while the agent was stopped: each loss reported once with its range and count', { timeout: 90_000 }, async () => {
    assert.equal(syntheticAgentUnavailable(), null);
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    const first = startSyntheticAgent({ producer: { firstId: 100, backlog: 10, templates: blockTemplates() }, receiverUrl: receiver.url });
    agents.push(first);
    await until(() => first.checkpoint() === 109, 60_000, () => `checkpoint ${first.checkpoint()}; stderr:\n${first.stderr()}`);
    assert.equal(await first.stop('SIGTERM'), 0, first.stderr());
    // Stopped while 100..159 were written and the log wrapped so that 130 is the oldest: 110..129 are gone.
    const restart = { receiverUrl: receiver.url, stateDir: first.stateDir, source: { start_position: 'checkpoint' } };
    const second = startSyntheticAgent({ ...restart, producer: { firstId: 100, backlog: 60, wrapAt: 159, wrapOldest: 130, templates: blockTemplates() } });
    agents.push(second);
    await until(() => second.checkpoint() === 159, 60_000, () => `checkpoint ${second.checkpoint()}; stderr:\n${second.stderr()}`);
    assert.equal(await second.stop('SIGTERM'), 0, second.stderr());
    const wrapped = second.stderr().split('\n').filter((l) => l.includes('Possible loss'));
    assert.equal(wrapped.length, 1, second.stderr());
    assert.match(wrapped[0]!, /The log wrapped before records 110\.\.129 were read: up to 20 /);
    // Stopped again while the log was cleared after 159 (unread 160..170 gone), then 1 (the 1102)..5 written.
    const third = startSyntheticAgent({ ...restart, producer: { firstId: 100, backlog: 76, clearAfter: 170, templates: blockTemplates() } });
    agents.push(third);
    await until(() => third.checkpoint() === 5, 60_000, () => `checkpoint ${third.checkpoint()}; stderr:\n${third.stderr()}`);
    assert.equal(await third.stop('SIGTERM'), 0, third.stderr());
    const cleared = third.stderr().split('\n').filter((l) => l.includes('Possible loss'));
    assert.equal(cleared.length, 1, third.stderr());
    assert.match(cleared[0]!, /The log was cleared after record 159 was read/);
    assert.match(third.stderr(), /The Security log was cleared \(event 1102, record 1\)\./);
    assert.deepEqual(recordIds(receiver), [...range(100, 109), ...range(130, 159), ...range(1, 5)]);
  });

  // Found by this test: with the bridge's blocking queue, a wrap under a running subscription in an outage went
  // unreported (the watcher goes on from the oldest record left, and loss was judged only at (re)subscription).
  // The source now compares the first record of a batch with the last one delivered and the log's oldest record.
  it('log wrapped under a running agent during an export outage: the overwritten records are reported with the right count', { timeout: 90_000 }, async (t) => {
    assert.equal(syntheticAgentUnavailable(), null);
    const logs = await switchableBackend();
    // 500/s into a log that keeps 400 records; a 3 s outage lets the writer overwrite what the agent has not read.
    // The log starts writing 2 s from now, once the agent is up, so that nothing is overwritten before it starts.
    const producer = { firstId: 1, count: 4000, backlog: 0, rate: 500, startUnixMs: Date.now() + 2000, maxRecords: 400, mix: { '5157': 1 }, templates: blockTemplates() };
    const agent = startSmallQueueAgent(producer, logs.url);
    agents.push(agent);
    await until(() => (agent.checkpoint() ?? 0) >= 300, 60_000, () => `checkpoint ${agent.checkpoint()}; stderr:\n${agent.stderr()}`);
    logs.set('503');
    await sleep(3000);
    logs.set('up');
    await until(() => agent.checkpoint() === 4000, 60_000, () => `checkpoint ${agent.checkpoint()}; stderr:\n${agent.stderr()}`);
    const lost = (): number | undefined =>
      logs.receiver.points.filter((p) => p.metric === 'wfp_agent.source.records_possibly_lost' && p.attributes['reason'] === 'overwritten').at(-1)?.value;
    assert.equal(await agent.stop('SIGTERM'), 0, agent.stderr());
    const received = new Set(recordIds(logs.receiver));
    const missing = range(1, 4000).filter((id) => !received.has(id));
    assert.notEqual(lost(), undefined, `no records_possibly_lost point; ${missing.length} missing; stderr:\n${agent.stderr()}`);
    const lines = agent.stderr().split('\n').filter((l) => l.includes('Possible loss'));
    t.diagnostic(`${missing.length} never received (${missing[0]}..${missing.at(-1)}); records_possibly_lost ${lost()}; ${lines.join(' | ')}`);
    assert.ok(missing.length > 0, 'the outage outlasted the log');
    const reported = lines.map((l) => /up to (\d+) /.exec(l)).map((m) => Number(m?.[1] ?? NaN));
    assert.equal(reported.reduce((a, b) => a + b, 0), missing.length, 'the reported count is exactly what never arrived');
    assert.equal(lost(), missing.length, 'and so is the counter');
  });

  // The agent's promise for a clear under a running agent (agent/README.md "Loss"): the 1102 is read and logged
  // (`log_clears`, a line, a `cleared` entry in status.json with the count unknown) and a line says the numbering
  // went back below the last record read; what was written before the clear and never read cannot be counted by
  // the agent (the cleared log is gone), so no count is claimed.
  it('log cleared under a running agent during an export outage, with unread records: reported as a clear (count unknown), reading goes on in the new numbering', { timeout: 90_000 }, async (t) => {
    assert.equal(syntheticAgentUnavailable(), null);
    const logs = await switchableBackend();
    // 300 records already in the log (120001..120300); from 1 s after the spawn it writes 200/s up to 122500
    // (11 s), then the clear (1 is the 1102), then 1..500 of the new log. The backend goes down once the backlog is exported and stays
    // down until 1 s after the clear, so the held batch (50) and the bridge's queue (100) fill, the watcher waits,
    // and hundreds of records written before the clear are cleared unread. The agent took up to 7 s to export
    // its first batch on a busy 2-core VM: the clear comes 12 s after the spawn.
    const firstId = 120_001;
    const clearAfter = 122_500;
    const afterClear = 500;
    const rate = 200;
    const startUnixMs = Date.now() + 1000;
    const producer = { firstId, count: clearAfter - firstId + 1 + afterClear, backlog: 300, rate, startUnixMs, clearAfter, mix: { '5157': 2, '5152': 1 }, templates: blockTemplates() };
    const agent = startSmallQueueAgent(producer, logs.url);
    agents.push(agent);
    await until(() => (agent.checkpoint() ?? 0) >= firstId + 299, 60_000, () => `checkpoint ${agent.checkpoint()}; stderr:\n${agent.stderr()}`);
    logs.set('down');
    const downAt = Date.now();
    // The clear is written at startUnixMs + 11 s; the outage lasts until 1 s after it.
    const clearAt = startUnixMs + ((clearAfter - firstId + 1 - 300) / rate) * 1000;
    assert.ok(downAt < clearAt - 1500, `the outage began only ${clearAt - downAt} ms before the clear (the agent started slowly)`);
    await sleep(clearAt + 1000 - Date.now());
    logs.set('up');
    await until(() => agent.checkpoint() === afterClear, 60_000, () => `checkpoint ${agent.checkpoint()}; stderr:\n${agent.stderr()}`);
    const points = (metric: string): number | undefined => logs.receiver.points.filter((p) => p.metric === metric).at(-1)?.value;
    await until(() => points('wfp_agent.source.log_clears') === 1, 10_000, () => `log_clears ${points('wfp_agent.source.log_clears')}`);
    assert.equal(await agent.stop('SIGTERM'), 0, agent.stderr());

    // What arrived: the old log up to the last record read before the clear, then the whole new log.
    const received = recordIds(logs.receiver);
    const newLog = received.slice(received.indexOf(1));
    const oldLog = received.slice(0, received.indexOf(1));
    const lastRead = Math.max(...oldLog);
    assert.deepEqual([...new Set(oldLog)].sort((a, b) => a - b), range(firstId, lastRead), 'the old log up to the last record read, none missing');
    assert.deepEqual([...new Set(newLog)].sort((a, b) => a - b), range(1, afterClear), 'the new log, whole');
    const unread = clearAfter - lastRead;
    assert.ok(unread >= 100, `${unread} records written before the clear were never read`);
    // The 1102 (record 1 of the new log) is exported as a log record and named in a line.
    const cleared = logs.receiver.logs.filter((l) => Number(l.attributes['windows.event.id']) === 1102);
    assert.equal(new Set(cleared.map((l) => Number(l.attributes['windows.event.record_id']))).size, 1, 'one 1102');
    assert.equal(Number(cleared[0]!.attributes['windows.event.record_id']), 1);
    const err = agent.stderr();
    assert.match(err, /The Security log was cleared \(event 1102, record 1\)\./);
    // The numbering line names the last record read before the clear: what follows it up to the clear is gone.
    const back = err.split('\n').filter((l) => l.includes('Record numbering went back'));
    assert.equal(back.length, 1, err);
    assert.match(back[0]!, new RegExp(`Record numbering went back below ${lastRead} while reading: the log was cleared; reading goes on in the new numbering \\(records not yet read before the clear are gone\\)\\.`));
    // No count is claimed for a clear (the agent cannot know how many records the cleared log held after lastRead).
    assert.equal(points('wfp_agent.source.records_possibly_lost'), undefined, 'no possibly-lost count for a clear');
    assert.doesNotMatch(err, /Possible loss/);
    const loss = (JSON.parse(readFileSync(join(agent.stateDir, 'status.json'), 'utf8')) as { loss: { reason: string; possibly_lost: number | null; detail: string }[] }).loss;
    assert.deepEqual(
      loss.map((l) => [l.reason, l.possibly_lost]),
      [['cleared', null]],
      JSON.stringify(loss),
    );
    assert.match(loss[0]!.detail, /cleared while the agent ran \(1102, record 1\)/);
    const read = lastRead - firstId + 1 + afterClear;
    assert.match(err, new RegExp(`Stopped: ${read} records read, ${read} acknowledged, 0 dropped; checkpoint at ${afterClear}\\.`));
    t.diagnostic(`last record read before the clear ${lastRead}; ${unread} unread records cleared (${lastRead + 1}..${clearAfter}); outage ${Date.now() - downAt} ms before the stop`);
  });

  it('SIGTERM and SIGINT in the middle of a live tail: exit 0 within stop_timeout_ms, the checkpoint written and exported', { timeout: 90_000 }, async () => {
    assert.equal(syntheticAgentUnavailable(), null);
    for (const [signal, firstId] of [['SIGTERM', 100_001], ['SIGINT', 110_001]] as const) {
      const receiver = await startOtlpReceiver();
      receivers.push(receiver);
      const producer = { firstId, backlog: 200, rate: 400, mix: { '5157': 2, '5152': 1 }, templates: blockTemplates() };
      const agent = startSyntheticAgent({ producer, receiverUrl: receiver.url, source: { batch_size: 100, max_delay_ms: 50, stop_timeout_ms: 3000 } });
      agents.push(agent);
      await until(() => (agent.checkpoint() ?? 0) >= firstId + 400, 60_000, () => `${signal}: checkpoint ${agent.checkpoint()}; stderr:\n${agent.stderr()}`);
      const stoppedAt = Date.now();
      const code = await agent.stop(signal, 10_000);
      const took = Date.now() - stoppedAt;
      assert.equal(code, 0, agent.stderr());
      assert.ok(took < 3000, `${signal}: exited ${took} ms after the signal`);
      assert.match(agent.stderr(), new RegExp(`Stopping \\(${signal}\\): flushing the batch in hand and writing the checkpoint\\.`));
      const stopped = /Stopped: (\d+) records read, (\d+) acknowledged, 0 dropped; checkpoint at (\d+)\./.exec(agent.stderr());
      assert.ok(stopped !== null, agent.stderr());
      const checkpoint = agent.checkpoint()!;
      assert.equal(Number(stopped[3]), checkpoint, `${signal}: the file holds what the summary says`);
      assert.equal(Number(stopped[1]), Number(stopped[2]), `${signal}: everything read was acknowledged`);
      assert.deepEqual([...new Set(recordIds(receiver))].sort((a, b) => a - b), range(firstId, checkpoint), `${signal}: exported up to the checkpoint`);
    }
  });
});
