export { createLivePump, HELD_FLUSH_EVERY_MS, METRICS_PUSH_EVERY_MS } from './live-pump.ts';
export type { ItemProcessor, LivePump, LivePumpOptions, PumpSummary, Sleep } from './live-pump.ts';
export { createPumpMetrics } from './pump-metrics.ts';
export type { DropReason, ErrorType, NotLoggedReason, PumpMetrics } from './pump-metrics.ts';
export { createBackoff } from './backoff.ts';
export type { Backoff, BackoffOptions } from './backoff.ts';
export { formatSourceEvent } from './format-source-event.ts';
export { boundStop } from './stop-deadline.ts';
export type { BoundedStop, StopTimers } from './stop-deadline.ts';
