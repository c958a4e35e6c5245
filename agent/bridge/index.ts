export type {
  BridgeAnswer,
  BridgeCallResult,
  BridgeHost,
  BridgeLogInfo,
  BridgeMessage,
  BridgeRecords,
  BridgeStartOptions,
  BridgeStatus,
} from './bridge-host.ts';
export { parseBridgeMessage, parseLogInfo } from './bridge-message.ts';
export type { ParsedBridgeMessage } from './bridge-message.ts';
export { createEdgeBridgeHost, DEFAULT_BRIDGE_ASSEMBLY } from './edge-bridge-host.ts';
export { DEFAULT_EDGE_JS_DIR, dropEdgeVariables, loadEdgeJs } from './edge-js-loader.ts';
export type { EdgeJsLoadOptions } from './edge-js-loader.ts';
export type { EdgeBridgeHost, EdgeBridgeHostOptions, SyntheticStats } from './edge-bridge-host.ts';
export { bridgeProducer, parseSyntheticProducerSpec } from './synthetic-producer.ts';
export type { SyntheticProducerSpec } from './synthetic-producer.ts';
