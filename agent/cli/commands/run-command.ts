// `wfp-agent run`: read the Security log live (Windows) and export block events until stopped.
//
//   config ──► state dir + checkpoint ──► bridge (edge-js) ──► Windows source ──► live pump ──► sink
//
// Everything with I/O comes from RunDeps, so the whole command runs in tests on Linux with a fake bridge and
// an in-memory sink (platform 'win32' injected).
import { metrics as otelMetrics } from '@opentelemetry/api';
import type { MeterProvider } from '@opentelemetry/api';
import type { AgentConfig } from '../../config/index.ts';
import { toStartPosition } from '../../config/source-config.ts';
import { createEdgeBridgeHost } from '../../bridge/index.ts';
import type { BridgeCallResult, BridgeHost } from '../../bridge/index.ts';
import { createCheckpointStore, resolveStateDir, secureStateDir } from '../../checkpoint/index.ts';
import type { AclVerdict } from '../../checkpoint/index.ts';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lstat, mkdir } from 'node:fs/promises';
import { buildAudit, createExecFileRunner, defaultAuditDeps } from '../../audit/index.ts';
import { createLiveEnrichment, createNetshSnapshotProvider, loadEnricher, shouldLog } from '../../enrich/index.ts';
import type { CatalogStatus, Enricher } from '../../enrich/index.ts';
import type { CheckReport, CommandRunner } from '../../audit/index.ts';
import { startRunStatus } from '../run-status.ts';
import { createOtelTelemetrySink } from '../../export/index.ts';
import type { TelemetrySink } from '../../export/index.ts';
import type { AuditPolicyChangeEvent } from '../../interpret/index.ts';
import { collectedEventIds, createEventPipeline, createFloodControl, floodQueueProblem, needsFloodControl } from '../../pipeline/index.ts';
import type { PipelineOutcome } from '../../pipeline/index.ts';
import { openWindowsEventLogSource } from '../../source/index.ts';
import type { SourceItem } from '../../source/index.ts';
import { boundStop, createLivePump, createPumpMetrics, formatSourceEvent } from '../../runtime/index.ts';
import type { CliIo, Command } from '../command.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../command.ts';
import { parseOptions, stringOption } from '../parse-options.ts';
import { effectiveConfigOptions, loadEffectiveCliConfig } from '../load-effective-cli-config.ts';
import type { PolicyDeps } from '../load-effective-cli-config.ts';
import { countOrigins } from '../../config/index.ts';
import type { Timers } from '../../shared/index.ts';
import { createPolicyWatcher, loadEffectiveConfig } from '../../policy/index.ts';
import type { EffectiveConfig } from '../../policy/index.ts';
import { createStopChannel, describeStopReason } from '../stop-channel.ts';
import { constants as osConstants } from 'node:os';
import { SYNTHETIC_SOURCE_OPTION, syntheticBridgeOpener } from './synthetic-run.ts';

const HELP = `Usage: wfp-agent run [--config FILE] [--stop-on-stdin-eof]

Read the Windows Security log live through the .NET bridge (edge-js, .NET Framework 4.8) and export block
events to the configured exporters until stopped (Ctrl+C, Ctrl+Break, SIGTERM, service stop). The position is
checkpointed in state_dir after every exported batch; a restart resumes there. A stop flushes the batch in hand
and writes the checkpoint within source.stop_timeout_ms, then exits. Windows only: elsewhere use
wfp-agent replay FILE... on exported event files.

Options:
  --config FILE         Use this configuration. Default: the bundled one.
  --stop-on-stdin-eof   Also stop when standard input closes (how the Windows service host stops the agent).
  -h, --help            Show this help.

Exit codes: 0 stopped cleanly when asked (records dropped or lost on the way are counted in the metrics and
told on stderr, not in the exit code), 1 could not start, the stop took longer than source.stop_timeout_ms, or
reading ended without a stop (an unexpected error), 2 usage or configuration error.
`;

export type SinkFactory = (config: AgentConfig, io: CliIo) => Promise<BridgeCallResult<TelemetrySink>>;

/** The enricher and its lifecycle (the live filter catalog refreshes from netsh on a timer). */
export interface EnrichmentHandle {
  readonly enricher: Enricher;
  /** The live catalog's state for the status file; absent when the catalog is not live. */
  readonly catalog?: () => { readonly status: CatalogStatus; readonly refreshIntervalS: number };
  start(): Promise<void>;
  shutdown(): Promise<void>;
}

export type EnrichmentFactory = (
  config: AgentConfig,
  volumeMap: Readonly<Record<string, string>>,
  say: (line: string) => void,
) => BridgeCallResult<EnrichmentHandle>;

/** The audit-policy governor while the agent runs (null when `audit_policy.mode: off`). */
export interface AuditHandle {
  start(): Promise<void>;
  /** Every 4719 the pipeline sees; one that touches a managed subcategory triggers a check at once. */
  onAuditPolicyChange(event: AuditPolicyChangeEvent): void;
  shutdown(): Promise<void>;
}

export type AuditFactory = (
  config: AgentConfig,
  io: CliIo,
  platform: NodeJS.Platform,
  onReport?: (report: CheckReport) => void,
) => BridgeCallResult<AuditHandle | null>;

export interface RunDeps {
  readonly platform: NodeJS.Platform;
  readonly openBridge: (onProtocolError: (error: string) => void) => Promise<BridgeCallResult<BridgeHost>>;
  readonly createSink: SinkFactory;
  /** `volumeMap`: drive letter → device path from the bridge (QueryDosDevice), added to `paths.volume_map`. */
  readonly createEnrichment: EnrichmentFactory;
  readonly createAudit: AuditFactory;
  readonly meterProvider: () => MeterProvider;
  /** Aborts when the agent should stop (its reason: a StopReason); default: SIGINT / SIGTERM / SIGBREAK, and stdin EOF when asked. */
  readonly stopSignal: (options: StopSignalOptions) => AbortSignal;
  /** Called when a stop overran source.stop_timeout_ms, after the line saying so; default (the CLI): exit the process. */
  readonly exitAfterCutStop?: (code: number) => void;
  /** Windows: create/check the state folder and config file ACLs (state-dir-acl.ts); absent in tests. */
  readonly secureStateDir?: (stateDir: string, configFile: string | null) => Promise<AclVerdict>;
  /** Runs reg.exe for the Group Policy layer (read at start and every 5 minutes); absent: no policy layer. */
  readonly policyRunner?: CommandRunner;
  /** The policy re-read's timer (tests drive it by hand). */
  readonly policyTimers?: Timers;
}

export interface StopSignalOptions {
  /** --stop-on-stdin-eof: the end of standard input stops the agent. */
  readonly stdinEof: boolean;
  /** Aborts when the run is over: stop listening, so stdin and signal handlers keep nothing alive. */
  readonly ended: AbortSignal;
}

export function createRunCommand(deps: RunDeps): Command {
  return {
    name: 'run',
    summary: 'Read the Windows Security log live and export block events (Windows only).',
    help: HELP,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const parsed = parseOptions(args, {
        config: { type: 'string' },
        'stop-on-stdin-eof': { type: 'boolean' },
        [SYNTHETIC_SOURCE_OPTION]: { type: 'string' },
      });
      if (!parsed.ok) {
        io.stderr(`wfp-agent run: ${parsed.message}. See wfp-agent run --help.\n`);
        return EXIT_USAGE;
      }
      if (parsed.parsed.values['help'] === true) {
        io.stdout(HELP);
        return EXIT_OK;
      }
      // Hidden test/bench switch (synthetic-run.ts): the bridge's simulated log instead of the Security log.
      const syntheticFile = stringOption(parsed.parsed, SYNTHETIC_SOURCE_OPTION);
      const synthetic = syntheticFile === undefined ? null : syntheticBridgeOpener(syntheticFile, io.env);
      if (synthetic !== null && !synthetic.ok) {
        io.stderr(`wfp-agent run: ${synthetic.error}\n`);
        return EXIT_USAGE;
      }
      if (deps.platform !== 'win32' && synthetic === null) {
        io.stderr(`wfp-agent run: live reading needs Windows (the Security log via the .NET bridge); here, use wfp-agent replay FILE... on exported events.\n`);
        return EXIT_USAGE;
      }
      const configPath = stringOption(parsed.parsed, 'config');
      // Group Policy lives in the Windows registry: read only there (the synthetic test source runs anywhere).
      const policyRunner = deps.platform === 'win32' ? deps.policyRunner : undefined;
      const policyDeps: PolicyDeps = { platform: deps.platform, runner: policyRunner ?? null };
      const loaded = await loadEffectiveCliConfig('run', configPath, io, policyDeps);
      if (loaded === null) return EXIT_USAGE;
      if (synthetic !== null) io.stderr('wfp-agent run: reading the SYNTHETIC test source, not the Security log.\n');
      const stdinEof = parsed.parsed.values['stop-on-stdin-eof'] === true;
      const runDeps = synthetic === null ? deps : { ...deps, openBridge: synthetic.value };
      return runBounded(loaded, runDeps, io, stdinEof, configPath ?? null, policyRunner === undefined ? null : policyDeps);
    },
  };
}

/**
 * The live run, listening for a stop from the start; once a stop arrives it has source.stop_timeout_ms to end.
 * A policy change (agent/policy, read every 5 minutes) restarts the run in this process with the new settings
 * (the checkpoint carries the position over); a bad one is reported and the last good settings stay.
 */
async function runBounded(
  loaded: EffectiveConfig,
  deps: RunDeps,
  io: CliIo,
  stdinEof: boolean,
  configFile: string | null,
  /** null: no policy layer to re-read. */
  policyDeps: PolicyDeps | null,
): Promise<number> {
  const say = (line: string): void => io.stderr(`wfp-agent run: ${line}\n`);
  const ended = new AbortController();
  const stop = deps.stopSignal({ stdinEof, ended: ended.signal });
  const announce = (): void => say(`Stopping (${describeStopReason(stop.reason)}): flushing the batch in hand and writing the checkpoint.`);
  if (stop.aborted) announce();
  else stop.addEventListener('abort', announce, { once: true });
  try {
    let current = loaded;
    for (;;) {
      const reload = new AbortController();
      let next: EffectiveConfig | null = null;
      const watcher =
        policyDeps === null
          ? null
          : createPolicyWatcher({
              current,
              ...(deps.policyTimers === undefined ? {} : { timers: deps.policyTimers }),
              load: () => loadEffectiveConfig(effectiveConfigOptions(configFile ?? undefined, io, policyDeps)),
              report: say,
              onApply: (config, changed) => {
                say(`The configuration changed (${changed.join(', ')}); restarting the pipeline to apply it.`);
                next = config;
                reload.abort();
              },
            });
      watcher?.start();
      const runStop = AbortSignal.any([stop, reload.signal]);
      const outcome = await boundStop(runLive(current, deps, io, configFile, runStop), runStop, current.config.source.stop_timeout_ms);
      watcher?.stop();
      if (outcome.kind !== 'finished') {
        say(
          `The stop did not finish within source.stop_timeout_ms (${outcome.afterMs} ms); exiting now with code 1. ` +
            `Records after the last checkpoint are read again at the next start.`,
        );
        deps.exitAfterCutStop?.(EXIT_PROBLEMS);
        return EXIT_PROBLEMS;
      }
      if (next === null || stop.aborted) return outcome.value;
      current = next;
    }
  } finally {
    stop.removeEventListener('abort', announce);
    ended.abort();
  }
}

async function runLive(loaded: EffectiveConfig, deps: RunDeps, io: CliIo, configFile: string | null, stop: AbortSignal): Promise<number> {
  const config = loaded.config;
  const say = (line: string): void => io.stderr(`wfp-agent run: ${line}\n`);
  const bridge = await deps.openBridge((error) => say(error));
  if (!bridge.ok) {
    say(bridge.error);
    return EXIT_PROBLEMS;
  }
  const drives = await bridge.value.driveMap();
  if (!drives.ok) say(`Drive letters unknown; application paths stay device paths. error=${drives.error}`);
  const enrichment = deps.createEnrichment(config, drives.ok ? drives.value : {}, say);
  if (!enrichment.ok) {
    say(enrichment.error);
    return EXIT_USAGE;
  }
  // A batch larger than the export queue would overflow it between two flushes, and overflowed records
  // cannot be sent again: refuse the combination instead of losing events.
  if (config.source.batch_size > config.exporters.batch.max_queue_size) {
    say(
      `source.batch_size (${config.source.batch_size}) must not exceed exporters.batch.max_queue_size ` +
        `(${config.exporters.batch.max_queue_size}); lower the one or raise the other.`,
    );
    await bridge.value.stop();
    return EXIT_USAGE;
  }
  const floodProblem = floodQueueProblem(config.events, config.source.batch_size, config.exporters.batch.max_queue_size);
  if (floodProblem !== null) {
    say(floodProblem);
    await bridge.value.stop();
    return EXIT_USAGE;
  }
  const sink = await deps.createSink(config, io);
  if (!sink.ok) {
    say(sink.error);
    await bridge.value.stop();
    return EXIT_USAGE;
  }
  const stateDir = resolveStateDir(config.state_dir, { platform: deps.platform, env: io.env, cwd: io.cwd });
  const status = startRunStatus({ stateDir, configFile: configFile ?? undefined, catalog: enrichment.value.catalog, say, configOrigins: countOrigins(loaded.origins) });
  const audit = deps.createAudit(config, io, deps.platform, (report) => status.tracker.auditReport(report));
  if (!audit.ok) {
    say(audit.error);
    await sink.value.shutdown();
    await bridge.value.stop();
    return EXIT_USAGE;
  }
  const source = config.source;
  const metrics = createPumpMetrics(deps.meterProvider());
  if (deps.platform === 'win32' && deps.secureStateDir !== undefined) {
    const secured = await deps.secureStateDir(stateDir, configFile === null ? null : resolve(io.cwd, configFile));
    if (!secured.ok) {
      say(`${secured.reason}.`);
      await audit.value?.shutdown();
      await sink.value.shutdown();
      await bridge.value.stop();
      return EXIT_PROBLEMS;
    }
  }
  try {
    await status.writer.start();
    const opened = await openWindowsEventLogSource({
      bridge: bridge.value,
      checkpoint: createCheckpointStore({ dir: stateDir }),
      eventIds: [...collectedEventIds(config.events)].sort((a, b) => a - b),
      start: toStartPosition(source.start_position),
      batchSize: source.batch_size,
      maxDelayMs: source.max_delay_ms,
      queueBound: source.queue_bound,
      backoffInitialMs: source.backoff_initial_ms,
      backoffMaxMs: source.backoff_max_ms,
      // The bridge's own stop wait takes at most half of the stop's bound; the flush and the exporters get the rest.
      stopTimeoutMs: Math.min(5000, Math.floor(source.stop_timeout_ms / 2)),
      observer: (event) => {
        metrics.observe(event);
        status.tracker.sourceEvent(event);
        const line = formatSourceEvent(event);
        if (line !== null) say(line);
      },
    });
    if (!opened.ok) {
      say(opened.error);
      await bridge.value.stop();
      return EXIT_PROBLEMS;
    }
    await enrichment.value.start();
    await audit.value?.start();
    const pipeline = createEventPipeline(config, {
      enricher: enrichment.value.enricher,
      shouldLog: (_event, enrichment) => shouldLog(enrichment, config.filters),
      hostId: sink.value.hostId ?? '',
    });
    const process = (item: SourceItem): PipelineOutcome => {
      const outcome = pipeline.process(item);
      status.tracker.processed(outcome);
      if (outcome.ok && outcome.value.event.body.type === 'audit-policy-change') audit.value?.onAuditPolicyChange(outcome.value.event.body);
      return outcome;
    };
    const pump = createLivePump({
      source: opened.value,
      process,
      sink: status.tracker.observeSink(sink.value),
      metrics,
      batchSize: source.batch_size,
      backoffInitialMs: source.backoff_initial_ms,
      backoffMaxMs: source.backoff_max_ms,
      log: say,
      ...(needsFloodControl(config.events) ? { flood: createFloodControl(config.events) } : {}),
    });
    const summary = await pump.run(stop);
    say(
      `Stopped: ${summary.read} records read, ${summary.acknowledged} acknowledged, ${summary.dropped} dropped; ` +
        `checkpoint at ${summary.lastAcknowledged ?? 'its previous position'}.`,
    );
    // A requested stop is a clean exit whatever was counted: the service host reports a nonzero exit as a
    // failure. Reading that ended on its own (the pump's unexpected error) is one, so the host starts it again.
    if (stop.aborted) return EXIT_OK;
    say('Reading ended without a stop request; exiting with code 1.');
    return EXIT_PROBLEMS;
  } finally {
    await audit.value?.shutdown();
    await enrichment.value.shutdown();
    await sink.value.shutdown();
    await status.writer.stop();
  }
}

/** The audit stage with this machine's real I/O; its telemetry goes through the sink's global providers. */
export const createRunAudit: AuditFactory = (config, io, platform, onReport) => {
  if (config.audit_policy.mode === 'off') return { ok: true, value: null };
  const context = { platform, env: io.env, cwd: io.cwd };
  const built = buildAudit(config.audit_policy, defaultAuditDeps(config.state_dir, context, onReport === undefined ? {} : { onReport }));
  if (!built.ok) return { ok: false, error: built.detail.split('\n').join('; ') };
  const governor = built.value.governor;
  return {
    ok: true,
    value: {
      start: async () => void (await governor.start()),
      onAuditPolicyChange: (event) => void governor.onAuditPolicyChangeEvent(event),
      shutdown: () => governor.shutdown(),
    },
  };
};

/**
 * A recorded snapshot (`filters.file`) when configured; otherwise the live catalog: a `netsh wfp show filters`
 * snapshot at start, on `filters.refresh_interval_s` and on misses, with 5441/5447 events in between.
 */
export const createRunEnrichment: EnrichmentFactory = (config, volumeMap, say) => {
  const idle = async (): Promise<void> => undefined;
  if (config.filters.file !== '' || config.filters.snapshot === 'off') {
    const loaded = loadEnricher({ config, volumeMap });
    return loaded.ok ? { ok: true, value: { enricher: loaded.value, start: idle, shutdown: idle } } : { ok: false, error: loaded.detail };
  }
  const runner = createExecFileRunner();
  const live = createLiveEnrichment({
    config,
    volumeMap,
    onError: (detail) => say(`The filter snapshot failed; filter names come from 5441/5447 events until the next try. error=${detail}`),
    provider: createNetshSnapshotProvider({
      run: async (file, args) => {
        const outcome = await runner.run(file, args, { timeoutMs: 120_000 });
        return { exitCode: outcome.code ?? -1, stdout: outcome.stdout, stderr: outcome.stderr };
      },
      tempPath: () => join(tmpdir(), `wfp-agent-filters-${process.pid}-${Date.now()}.xml`),
      remove: (path) => rmSync(path, { force: true }),
    }),
  });
  return {
    ok: true,
    value: {
      enricher: live.enricher,
      catalog: () => ({ status: live.catalog.status(), refreshIntervalS: config.filters.refresh_interval_s }),
      async start() {
        const started = await live.refresher?.start();
        if (started !== undefined && !started.ok) say(`The first filter snapshot failed (${started.detail}); reading goes on.`);
      },
      shutdown: async () => live.refresher?.shutdown(),
    },
  };
};

/** The OTel sink; its providers become the process-wide ones, so pump and audit telemetry use its exporters. */
const defaultCreateSink: SinkFactory = async (config, io) => {
  const created = await createOtelTelemetrySink({ config, env: (n: string) => io.env[n], write: io.stdout, registerGlobals: true });
  return created.ok ? created : { ok: false, error: created.problems.join('; ') };
};

function processStopSignal(options: StopSignalOptions): AbortSignal {
  const channel = createStopChannel({
    signals: process,
    available: Object.keys(osConstants.signals),
    stdin: options.stdinEof ? process.stdin : null,
  });
  options.ended.addEventListener('abort', () => channel.dispose(), { once: true });
  return channel.signal;
}

export const runCommand: Command = createRunCommand({
  platform: process.platform,
  openBridge: async (onProtocolError) => createEdgeBridgeHost({ onProtocolError }),
  createSink: defaultCreateSink,
  createEnrichment: createRunEnrichment,
  createAudit: createRunAudit,
  meterProvider: () => otelMetrics.getMeterProvider(),
  stopSignal: processStopSignal,
  // The work that overran is still pending (an exporter or the bridge hung): leave without it.
  exitAfterCutStop: (code) => process.exit(code),
  secureStateDir: (stateDir, configFile) => {
    const runner = createExecFileRunner();
    return secureStateDir(stateDir, configFile, {
      run: async (file, args) => {
        const out = await runner.run(file, args, { timeoutMs: 60_000 });
        return { code: out.code, stdout: out.stdout, stderr: out.stderr };
      },
      // Node reports NTFS junctions as symbolic links too.
      kind: async (path) => {
        try {
          const stat = await lstat(path);
          return stat.isSymbolicLink() ? 'reparse-point' : stat.isDirectory() ? 'directory' : 'file';
        } catch {
          return 'missing';
        }
      },
      mkdir: async (path) => void (await mkdir(path, { recursive: true })),
    });
  },
  policyRunner: createExecFileRunner(),
});
