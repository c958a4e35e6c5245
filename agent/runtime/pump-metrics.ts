// The live pump's self-metrics, through @opentelemetry/api with an injected MeterProvider (default: the global
// one, a no-op until the exporter work registers an SDK provider).
//
//   wfp_agent.source.records_read          counter   records the source delivered
//   wfp_agent.source.records_acknowledged  counter   records exported and checkpointed
//   wfp_agent.source.records_dropped       counter   {reason}: undecodable, export_rejected, render_failed
//   wfp_agent.source.lag                   gauge     newest record in the log minus the last acknowledged
//   wfp_agent.source.records_possibly_lost counter   {reason}: overwritten (count known)
//   wfp_agent.source.loss_events           counter   {reason}: overwritten, cleared (unread records gone)
//   wfp_agent.source.log_clears            counter   1102 read live (a clear under a running agent)
//   wfp_agent.source.errors                counter   {error_type}: export, bridge, checkpoint_write
//   wfp_agent.source.pauses                counter   reading paused (bridge queue full)
//   wfp_agent.flood.events_not_logged      counter   {reason, windows.event.id}: aggregated, aggregate_overflow,
//                                                    suppressed (flood control; their own counters count them too)
import { metrics as otelMetrics } from '@opentelemetry/api';
import type { Counter, MeterProvider } from '@opentelemetry/api';
import type { SourceEvent } from '../source/index.ts';

export type DropReason = 'undecodable' | 'export_rejected' | 'render_failed';
export type ErrorType = 'export' | 'bridge' | 'checkpoint_write';
export type NotLoggedReason = 'aggregated' | 'aggregate-overflow' | 'suppressed';

export interface PumpMetrics {
  read(count: number): void;
  acknowledged(count: number, upTo: number): void;
  dropped(count: number, reason: DropReason): void;
  error(type: ErrorType): void;
  /** One event flood control kept out of the logs (it is in a summary or a suppression count instead). */
  notLogged(reason: NotLoggedReason, eventId: number, count?: number): void;
  /** Feed of the source's named events (loss, pauses, bridge errors, newest record for the lag). */
  observe(event: SourceEvent): void;
  /** Current lag in records, or null while unknown. */
  lag(): number | null;
}

export function createPumpMetrics(meterProvider: MeterProvider = otelMetrics.getMeterProvider()): PumpMetrics {
  const meter = meterProvider.getMeter('wfp-block-agent.runtime');
  const counter = (name: string, description: string): Counter =>
    meter.createCounter(`wfp_agent.source.${name}`, { description, unit: '{record}' });
  const readCounter = counter('records_read', 'Records the live source delivered.');
  const ackCounter = counter('records_acknowledged', 'Records exported and checkpointed.');
  const dropCounter = counter('records_dropped', 'Records not exported, by reason.');
  const lostCounter = counter('records_possibly_lost', 'Log records overwritten before they were read (upper bound).');
  const lossEvents = meter.createCounter('wfp_agent.source.loss_events', { description: 'Times the log lost unread records.' });
  const errors = meter.createCounter('wfp_agent.source.errors', { description: 'Errors by type.' });
  const clears = meter.createCounter('wfp_agent.source.log_clears', { description: 'Log clears (1102) read live.' });
  const notLogged = meter.createCounter('wfp_agent.flood.events_not_logged', {
    description: 'Events flood control kept out of the logs (in a summary or a suppression count instead), by reason.',
    unit: '{event}',
  });
  const pauses = meter.createCounter('wfp_agent.source.pauses', { description: 'Times reading paused because the bridge queue was full.' });
  let newest: number | null = null;
  let lastAcked: number | null = null;
  const lag = (): number | null => (newest === null || lastAcked === null ? null : Math.max(0, newest - lastAcked));
  meter
    .createObservableGauge('wfp_agent.source.lag', { description: 'Newest record in the log minus the last acknowledged.', unit: '{record}' })
    .addCallback((result) => {
      const value = lag();
      if (value !== null) result.observe(value);
    });

  return {
    read: (count) => readCounter.add(count),
    acknowledged(count, upTo) {
      ackCounter.add(count);
      lastAcked = upTo;
      if (newest !== null && upTo > newest) newest = upTo;
    },
    dropped: (count, reason) => dropCounter.add(count, { reason }),
    error: (type) => errors.add(1, { error_type: type }),
    notLogged: (reason, eventId, count = 1) => notLogged.add(count, { reason: reason === 'aggregate-overflow' ? 'aggregate_overflow' : reason, 'windows.event.id': eventId }),
    lag,
    observe(event) {
      switch (event.kind) {
        case 'newest-record':
          newest = event.recordId;
          break;
        case 'checkpoint-loaded':
          lastAcked = event.recordId;
          break;
        case 'possible-loss':
          lossEvents.add(1, { reason: event.reason });
          if (event.possiblyLost !== null) lostCounter.add(event.possiblyLost, { reason: event.reason });
          break;
        case 'log-cleared':
          clears.add(1);
          break;
        case 'paused':
          pauses.add(1);
          break;
        case 'render-failed':
          if (event.count > 0) dropCounter.add(event.count, { reason: 'render_failed' });
          break;
        case 'bridge-error':
          errors.add(1, { error_type: 'bridge' });
          break;
        case 'checkpoint-write-failed':
          errors.add(1, { error_type: 'checkpoint_write' });
          break;
        default:
          break;
      }
    },
  };
}
