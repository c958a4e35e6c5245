// The central settings an admin sets by Group Policy or Intune (deploy/windows/policy/wfp-block-agent.admx):
// each policy's registry value under HKLM\SOFTWARE\Policies\wfp-block-agent and the config key it sets. One
// table: the agent reads exactly these, and a test checks the ADMX against it value by value.

export const POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\wfp-block-agent';

export type PolicyKind =
  /** REG_SZ text. */
  | 'text'
  /** REG_SZ, one of `values`. */
  | 'enum'
  /** REG_DWORD 1 / 0. */
  | 'flag'
  /** REG_MULTI_SZ, each item one of `values`. */
  | 'multi'
  /** A subkey of REG_SZ name → value pairs (the ADMX `list` element). */
  | 'list';

export interface PolicySetting {
  /** The ADMX policy name (and its display name's string id). */
  readonly policy: string;
  /** Registry value name; for `list`, the subkey name. */
  readonly valueName: string;
  readonly kind: PolicyKind;
  /** The config key it sets, as `config print` shows it. */
  readonly path: readonly string[];
  readonly values?: readonly string[];
  /** `list` only: every value must be `env:NAME` or `file:PATH` (secrets never sit in the registry, which every user can read). */
  readonly referencesOnly?: boolean;
}

const BLOCK_KINDS = ['policy-rule', 'default-policy', 'stealth', 'boot-time', 'query-user-default', 'app-container', 'unknown'];

export const POLICY_SETTINGS: readonly PolicySetting[] = [
  { policy: 'OtlpEndpoint', valueName: 'OtlpEndpoint', kind: 'text', path: ['exporters', 'otlp', 'endpoint'] },
  { policy: 'OtlpLogsEndpoint', valueName: 'OtlpLogsEndpoint', kind: 'text', path: ['exporters', 'otlp', 'logs_endpoint'] },
  { policy: 'OtlpMetricsEndpoint', valueName: 'OtlpMetricsEndpoint', kind: 'text', path: ['exporters', 'otlp', 'metrics_endpoint'] },
  { policy: 'OtlpProtocol', valueName: 'OtlpProtocol', kind: 'enum', path: ['exporters', 'otlp', 'protocol'], values: ['http/protobuf', 'http/json'] },
  { policy: 'OtlpCompression', valueName: 'OtlpCompression', kind: 'enum', path: ['exporters', 'otlp', 'compression'], values: ['gzip', 'none'] },
  { policy: 'OtlpHeaders', valueName: 'OtlpHeaders', kind: 'list', path: ['exporters', 'otlp', 'headers'], referencesOnly: true },
  { policy: 'ResourceAttributes', valueName: 'ResourceAttributes', kind: 'list', path: ['service', 'resource_attributes'] },
  { policy: 'AuditPolicyMode', valueName: 'AuditPolicyMode', kind: 'enum', path: ['audit_policy', 'mode'], values: ['enforce', 'verify', 'off'] },
  { policy: 'PacketDrops', valueName: 'PacketDrops', kind: 'enum', path: ['events', 'packet_drops'], values: ['log', 'aggregate', 'count', 'off'] },
  { policy: 'LoggedBlockKinds', valueName: 'LoggedBlockKinds', kind: 'multi', path: ['filters', 'log_block_kinds'], values: BLOCK_KINDS },
  { policy: 'PrometheusEndpoint', valueName: 'PrometheusEnabled', kind: 'flag', path: ['exporters', 'prometheus', 'enabled'] },
];
