export { parseConfig, parseConfigLayer, validateConfigData, loadConfig, DEFAULT_CONFIG_URL, secretPaths } from './load-config.ts';
export { installOverlayPath, loadLocalConfig, localConfigLayers } from './load-local-config.ts';
export type { ReadTextOrNull } from './load-local-config.ts';
export { mergeConfigLayers, countOrigins, withoutDefaults } from './layered-config.ts';
export { applyInstallOverlay, INSTALL_OVERLAY_FILE, parseInstallOverlay, parseKeyValueList, readInstallOverlay } from './install-overlay.ts';
export type { InstallOverlay } from './install-overlay.ts';
export type { ConfigLayer, ConfigOrigin, LayeredConfig } from './layered-config.ts';
export type { EnvLookup, LoadOptions } from './load-config.ts';
export { ConfigError, formatProblem } from './config-error.ts';
export type { ConfigProblem } from './config-error.ts';
export type {
  AgentConfig,
  ServiceConfig,
  EventsConfig,
  NetworkConfig,
  PacketDropMode,
  TelemetryConfig,
} from './agent-config.ts';
export type { SourceConfig } from './source-config.ts';
export type { ExportersConfig, MetricsConfig } from './export-config.ts';
export type {
  OtlpProtocol,
  OtlpCompression,
  OtlpTlsConfig,
  OtlpExporterConfig,
  ConsoleExporterConfig,
  PrometheusExporterConfig,
  BatchConfig,
  MetricTemporality,
} from './export-config.ts';
export type { FiltersConfig, PathsConfig } from './filters-config.ts';
export type { AuditPolicyConfig } from './audit-config.ts';
