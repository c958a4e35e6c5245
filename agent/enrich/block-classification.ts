// wfp.block.kind: why a block happened, decided by a first-match decision table over what the catalog and the
// event say. Structure first (provider, sub-layer, layer, action, weight class), the firewall's own FilterOrigin
// next, the filter name last (names are localized; only English and the zh-CN names seen in a real snapshot are
// listed). The agent/README.md "Attribution" section prints this table; the tests check it row by row.
import type { BlockKind, FilterAttribution } from './event-enrichment.ts';

export interface ClassifyInput {
  readonly eventId: number;
  /** The filter the event's FilterRTID resolved to, or null. */
  readonly filter: FilterAttribution | null;
  /** Newer 5152/5157 `FilterOrigin` ("Query User Default", "Unknown", a rule id, …), or null. */
  readonly filterOrigin: string | null;
}

export interface BlockKindRule {
  readonly id: string;
  readonly kind: BlockKind;
  /** One line for the README table. */
  readonly when: string;
  readonly test: (input: ClassifyInput) => boolean;
}

export interface Classification {
  readonly kind: BlockKind;
  readonly rule: string;
}

const WF = 'FWPM_PROVIDER_MPSSVC_WF';
const WSH = 'FWPM_PROVIDER_MPSSVC_WSH';
const APP_ISOLATION = 'FWPM_PROVIDER_MPSSVC_APP_ISOLATION';

/**
 * Weight class: the top 4 bits of the 64-bit effective weight. WFP puts a filter's FWP_UINT8 weight there
 * (FWPM_AUTO_WEIGHT_BITS = 60), and the firewall gives each kind of its filters its own class; null unknown.
 */
export function weightClass(weight: string): number | null {
  if (!/^\d{1,20}$/.test(weight)) return null;
  const value = BigInt(weight);
  if (value > 0xffff_ffff_ffff_ffffn) return null;
  return Number(value >> 60n);
}

/** Weight classes of Windows Defender Firewall rules (9 allow rules, 10 block rules; up to 14 for rule kinds
 * with higher precedence). The classes below are the firewall's built-ins (0 boot-time / quarantine, 1
 * quarantine exceptions, 3 and 8 profile defaults "Query User" / "Default Outbound"); 15 is stealth and
 * AppContainer loopback. Observed in a real snapshot (agent/README.md "Attribution"). */
export function isFirewallRuleClass(cls: number | null): boolean {
  return cls !== null && cls >= 9 && cls <= 14;
}

/** The console's rule name: the filter name of an MPSSVC_WF filter in a rule weight class; else null. */
export function firewallRuleName(providerKey: string, name: string, weight: string): string | null {
  return providerKey === WF && name !== '' && isFirewallRuleClass(weightClass(weight)) ? name : null;
}

/** A filter that can have made a block decision: block, or a callout (which may block). */
function decides(f: FilterAttribution | null): f is FilterAttribution {
  return f !== null && (f.action === 'block' || f.action === 'callout');
}

function wfBlock(i: ClassifyInput, test: (f: FilterAttribution, cls: number | null) => boolean): boolean {
  const f = i.filter;
  return f !== null && f.providerKey === WF && f.action === 'block' && test(f, weightClass(f.weight));
}

function origin(i: ClassifyInput): string {
  return (i.filterOrigin ?? '').trim();
}

function nameIn(names: readonly string[]): (i: ClassifyInput) => boolean {
  const set = new Set(names.map((n) => n.toLowerCase()));
  return (i) => i.filter !== null && set.has(i.filter.name.trim().toLowerCase());
}

const OUTBOUND_ICMP_ERROR = /^FWPM_LAYER_OUTBOUND_ICMP_ERROR_V[46]$/;
const ALE_LAYER = /^FWPM_LAYER_ALE_/;

export const BLOCK_KIND_RULES: readonly BlockKindRule[] = [
  {
    id: 'event-5031',
    kind: 'query-user-default',
    when: 'event 5031 (the firewall service blocked an app that has no rule: the Query User default)',
    test: (i) => i.eventId === 5031,
  },
  {
    id: 'boot-time-flag',
    kind: 'boot-time',
    when: 'filter has the boot-time flag (netsh FWPM_FILTER_FLAG_BOOTTIME, 5441/5447 type Boot-time)',
    test: (i) => decides(i.filter) && i.filter.bootTime,
  },
  {
    id: 'app-isolation-provider',
    kind: 'app-container',
    when: 'provider FWPM_PROVIDER_MPSSVC_APP_ISOLATION (UWP default block rules)',
    test: (i) => decides(i.filter) && i.filter.providerKey === APP_ISOLATION,
  },
  {
    id: 'app-isolation-sublayer',
    kind: 'app-container',
    when: 'sub-layer FWPM_SUBLAYER_MPSSVC_APP_ISOLATION (AppContainerLoopback; snapshot only)',
    test: (i) => decides(i.filter) && i.filter.subLayerKey === 'FWPM_SUBLAYER_MPSSVC_APP_ISOLATION',
  },
  {
    id: 'quarantine-sublayer',
    kind: 'default-policy',
    when: 'sub-layer FWPM_SUBLAYER_MPSSVC_QUARANTINE (Quarantine Default Inbound Block; snapshot only)',
    test: (i) => decides(i.filter) && i.filter.subLayerKey === 'FWPM_SUBLAYER_MPSSVC_QUARANTINE',
  },
  {
    id: 'wf-stealth',
    kind: 'stealth',
    when: 'firewall (MPSSVC_WF) block, weight class 15, outbound ICMP-error layer (port scanning prevention)',
    test: (i) => wfBlock(i, (f, cls) => cls === 15 && OUTBOUND_ICMP_ERROR.test(f.layerKey)),
  },
  {
    id: 'wf-max-weight-ale',
    kind: 'app-container',
    when: 'firewall block, weight class 15, ALE layer (AppContainerLoopback)',
    test: (i) => wfBlock(i, (f, cls) => cls === 15 && ALE_LAYER.test(f.layerKey)),
  },
  {
    id: 'wf-query-user',
    kind: 'query-user-default',
    when: 'firewall block, weight class 3 or 8 ("Query User" filters)',
    test: (i) => wfBlock(i, (_f, cls) => cls === 3 || cls === 8),
  },
  {
    id: 'wf-class-0-snapshot',
    kind: 'boot-time',
    when: 'firewall block, weight class 0, sub-layer known and not quarantine (persistent boot-time copies)',
    test: (i) => wfBlock(i, (f, cls) => cls === 0 && f.subLayerKey !== ''),
  },
  {
    id: 'wf-rule',
    kind: 'policy-rule',
    when: 'firewall block in a rule weight class 9-14 (block rules are class 10)',
    test: (i) => wfBlock(i, (_f, cls) => isFirewallRuleClass(cls)),
  },
  {
    id: 'wsh-default-name',
    kind: 'default-policy',
    when: 'service hardening (MPSSVC_WSH) block named "WSH Default Inbound/Outbound Block"',
    test: (i) => decides(i.filter) && i.filter.providerKey === WSH && /^WSH Default /i.test(i.filter.name),
  },
  {
    id: 'wsh-appcontainer-default-name',
    kind: 'app-container',
    when: 'service hardening block named "Block Inbound/Outbound Default Rule" (AppContainer without capability)',
    test: (i) =>
      decides(i.filter) && i.filter.providerKey === WSH && /^Block (Inbound|Outbound) Default Rule$/i.test(i.filter.name),
  },
  {
    id: 'wsh-rule',
    kind: 'policy-rule',
    when: 'any other service hardening block ("Block all inbound traffic to SearchProtocolHost", …)',
    test: (i) => decides(i.filter) && i.filter.providerKey === WSH,
  },
  {
    id: 'other-provider',
    kind: 'policy-rule',
    when: 'block or callout filter of any provider other than MPSSVC_WF (third-party or other Windows component)',
    test: (i) => decides(i.filter) && i.filter.providerKey !== WF,
  },
  {
    id: 'origin-query-user',
    kind: 'query-user-default',
    when: 'FilterOrigin "Query User Default"',
    test: (i) => /^query user default$/i.test(origin(i)),
  },
  {
    id: 'origin-quarantine',
    kind: 'default-policy',
    when: 'FilterOrigin "Quarantine Default"',
    test: (i) => /^quarantine default$/i.test(origin(i)),
  },
  {
    id: 'origin-app-container',
    kind: 'app-container',
    when: 'FilterOrigin "AppContainer Loopback"',
    test: (i) => /^appcontainer loopback$/i.test(origin(i)),
  },
  {
    id: 'origin-stealth',
    kind: 'stealth',
    when: 'FilterOrigin names stealth / port scanning prevention',
    test: (i) => /stealth|port scanning/i.test(origin(i)),
  },
  {
    id: 'origin-boot-time',
    kind: 'boot-time',
    when: 'FilterOrigin names the boot-time default',
    test: (i) => /boot.?time/i.test(origin(i)),
  },
  {
    id: 'origin-default',
    kind: 'default-policy',
    when: 'FilterOrigin names another default ("WSH Default", "Default Outbound", …)',
    test: (i) => /\bdefault\b/i.test(origin(i)),
  },
  {
    id: 'origin-rule',
    kind: 'policy-rule',
    when: 'any other FilterOrigin except "Unknown" (a rule id or name)',
    test: (i) => origin(i) !== '' && origin(i) !== '-' && !/^unknown$/i.test(origin(i)),
  },
  {
    id: 'name-stealth',
    kind: 'stealth',
    when: 'filter name "Port Scanning Prevention Filter" (zh-CN "防止端口扫描筛选器")',
    test: nameIn(['Port Scanning Prevention Filter', '防止端口扫描筛选器']),
  },
  {
    id: 'name-boot-time',
    kind: 'boot-time',
    when: 'filter name "Boot Time Filter" (zh-CN "引导时间筛选器")',
    test: nameIn(['Boot Time Filter', '引导时间筛选器']),
  },
  {
    id: 'name-query-user',
    kind: 'query-user-default',
    when: 'filter name "Query User" / "Query User Default"',
    test: nameIn(['Query User', 'Query User Default']),
  },
  {
    id: 'name-default',
    kind: 'default-policy',
    when: 'filter name "Quarantine Default Inbound Block", "Default Inbound", "Default Outbound"',
    test: nameIn(['Quarantine Default Inbound Block', 'Default Inbound', 'Default Outbound']),
  },
  {
    id: 'name-app-container',
    kind: 'app-container',
    when: 'filter name "AppContainerLoopback", "UWP Default Inbound/Outbound Block Rule"',
    test: nameIn(['AppContainerLoopback', 'UWP Default Inbound Block Rule', 'UWP Default Outbound Block Rule']),
  },
  {
    id: 'wf-class-0-event',
    kind: 'boot-time',
    when: 'firewall block, weight class 0, sub-layer unknown (learned from 5441/5447) and no name matched',
    test: (i) => wfBlock(i, (_f, cls) => cls === 0),
  },
  {
    id: 'fallback',
    kind: 'unknown',
    when: 'nothing above matched (filter not in the catalog, id 0, a permit filter, …)',
    test: () => true,
  },
];

/** Pure: the first row of BLOCK_KIND_RULES that matches. */
export function classifyBlock(input: ClassifyInput): Classification {
  for (const rule of BLOCK_KIND_RULES) {
    if (rule.test(input)) return { kind: rule.kind, rule: rule.id };
  }
  return { kind: 'unknown', rule: 'fallback' };
}
