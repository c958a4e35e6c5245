// What enrichment adds to an interpreted event: which filter/rule decided it, what kind of block it was,
// and the application's path as an admin would write it.

/** Why the traffic was blocked, by the filter that did it (decision table in the README). */
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

export interface FilterAttribution {
  readonly filterId: number;
  readonly name: string;
  readonly description: string;
  readonly providerKey: string;
  readonly providerName: string;
  readonly layerKey: string;
  /** `block`, `permit`, `callout`, … in lower case; '' when unknown. */
  readonly action: string;
  readonly weight: string;
  /** Windows Defender Firewall rule name as the console shows it, when the filter is a firewall rule. */
  readonly ruleName: string | null;
  /** Rule set: `Windows Defender Firewall`, `Windows Service Hardening`, a provider's name, … */
  readonly rulesetName: string | null;
  /** Where the catalog learned this filter. */
  readonly learnedFrom: 'snapshot' | 'event-5441' | 'event-5447';
}

export type PathMapping = 'mapped' | 'unc' | 'unknown-volume' | 'already-dos' | 'not-a-path';

export interface EventEnrichment {
  readonly filter: FilterAttribution | null;
  /** Set for block/drop events; null for allowed and non-network events. */
  readonly blockKind: BlockKind | null;
  /** Drive-letter or UNC path when the NT path could be mapped; otherwise the raw path. */
  readonly executablePath: string;
  readonly pathMapping: PathMapping;
}
