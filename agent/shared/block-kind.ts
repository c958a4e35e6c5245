// The kinds of block the enrich stage classifies (agent/enrich/block-classification.ts); here, below config and
// enrich, because the config names them too (filters.log_block_kinds).

/** Why the traffic was blocked, by the filter that did it (decision table in agent/README.md). */
export type BlockKind =
  | 'policy-rule' // an explicit firewall rule or third-party filter
  | 'default-policy' // the profile's default block (WSH/UWP default, no rule matched)
  | 'stealth' // port scanning prevention (stealth mode)
  | 'boot-time' // boot-time filter before BFE started
  | 'query-user-default' // "Query User" default for apps without a rule
  | 'app-container' // AppContainer / capability isolation
  | 'unknown';

export const BLOCK_KINDS: readonly BlockKind[] = [
  'policy-rule',
  'default-policy',
  'stealth',
  'boot-time',
  'query-user-default',
  'app-container',
  'unknown',
];
