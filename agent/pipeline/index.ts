export { createEventPipeline } from './event-pipeline.ts';
export type { Disposition, ProcessedEvent, PipelineOutcome, EventPipeline, EventPipelineDeps } from './event-pipeline.ts';
export { collectedEventIds, ALLOWED_TRAFFIC_IDS, PACKET_DROP_IDS } from './collected-event-ids.ts';
