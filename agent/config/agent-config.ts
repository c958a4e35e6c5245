// The typed, validated configuration. Defaults live in config/agent.schema.json (one place), and the
// loader fills them in, so every field here is present after loading.
import type { SourceConfig } from './source-config.ts';
import type { ExportersConfig, MetricsConfig } from './export-config.ts';
import type { FiltersConfig, PathsConfig } from './filters-config.ts';
import type { AuditPolicyConfig } from './audit-config.ts';

export interface ServiceConfig {
  readonly environment: string;
  readonly instance_id: string;
  /** Extra resource attributes (site, team, ...); beat OTEL_RESOURCE_ATTRIBUTES key by key. */
  readonly resource_attributes: Readonly<Record<string, string>>;
}

export type PacketDropMode = 'log' | 'count' | 'off';

export interface EventsConfig {
  readonly collect: readonly number[];
  readonly include_allowed: boolean;
  readonly packet_drops: PacketDropMode;
}

export interface NetworkConfig {
  readonly local_addresses: readonly string[];
  readonly local_addresses_by_host: Readonly<Record<string, readonly string[]>>;
  readonly learn_from_events: boolean;
}

export interface TelemetryConfig {
  /** Also put Elastic Common Schema fields on every record (agent/telemetry/ecs-attributes.ts). */
  readonly ecs: boolean;
}

export interface AgentConfig {
  readonly service: ServiceConfig;
  readonly events: EventsConfig;
  readonly network: NetworkConfig;
  readonly state_dir: string;
  readonly source: SourceConfig;
  readonly exporters: ExportersConfig;
  readonly metrics: MetricsConfig;
  readonly telemetry: TelemetryConfig;
  readonly filters: FiltersConfig;
  readonly paths: PathsConfig;
  readonly audit_policy: AuditPolicyConfig;
}
