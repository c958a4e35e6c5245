export type { FlushResult, TelemetrySink } from './telemetry-sink.ts';
