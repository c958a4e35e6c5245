export { createEventPipeline } from './event-pipeline.ts';
export type { Disposition, ProcessedEvent, PipelineOutcome, EventPipeline, EventPipelineDeps } from './event-pipeline.ts';
export { collectedEventIds, ALLOWED_TRAFFIC_IDS, PACKET_DROP_IDS } from './collected-event-ids.ts';
export { createFloodControl, floodQueueProblem, needsFloodControl } from './flood-control.ts';
export type { FloodControl, FloodSettings, FloodVerdict } from './flood-control.ts';
export { createRateLimiter, NEVER_SUPPRESSED_BY_DEFAULT } from './rate-limiter.ts';
export type { RateLimiter } from './rate-limiter.ts';
export { createPacketDropAggregator } from './packet-drop-aggregator.ts';
export type { AggregateVerdict, PacketDropAggregator } from './packet-drop-aggregator.ts';
