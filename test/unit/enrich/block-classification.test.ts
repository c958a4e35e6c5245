import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BLOCK_KIND_RULES, classifyBlock, parseFilterSnapshot, weightClass } from '../../../agent/enrich/index.ts';
import type { ClassifyInput, FilterAttribution } from '../../../agent/enrich/index.ts';
import { readFileSync } from 'node:fs';
import { zhCnSkip, zhCnSample } from './helpers.ts';

const CLASS = (n: number): string => String(BigInt(n) << 60n);

function filter(overrides: Partial<FilterAttribution>): FilterAttribution {
  return {
    filterId: 1000,
    name: 'some filter',
    description: '',
    providerKey: 'FWPM_PROVIDER_MPSSVC_WF',
    providerName: 'Microsoft Corporation',
    layerKey: 'FWPM_LAYER_ALE_AUTH_CONNECT_V4',
    action: 'block',
    weight: CLASS(10),
    ruleName: null,
    rulesetName: null,
    learnedFrom: 'snapshot',
    subLayerKey: '',
    bootTime: false,
    conditionCount: 1,
    filterKey: '',
    ...overrides,
  };
}

function input(f: Partial<FilterAttribution> | null, filterOrigin: string | null = null, eventId = 5157): ClassifyInput {
  return { eventId, filter: f === null ? null : filter(f), filterOrigin };
}

/** One case per row of the decision table: the row that must match first. */
const CASES: ReadonlyArray<readonly [string, ClassifyInput]> = [
  ['event-5031', input(null, null, 5031)],
  ['boot-time-flag', input({ bootTime: true, weight: '4', name: '引导时间筛选器' })],
  ['app-isolation-provider', input({ providerKey: 'FWPM_PROVIDER_MPSSVC_APP_ISOLATION', weight: '0' })],
  ['app-isolation-sublayer', input({ subLayerKey: 'FWPM_SUBLAYER_MPSSVC_APP_ISOLATION', weight: String(2n ** 64n - 2n) })],
  ['quarantine-sublayer', input({ subLayerKey: 'FWPM_SUBLAYER_MPSSVC_QUARANTINE', weight: '0' })],
  ['wf-stealth', input({ layerKey: 'FWPM_LAYER_OUTBOUND_ICMP_ERROR_V6', weight: '18446744069414584322', name: 'x' })],
  ['wf-max-weight-ale', input({ layerKey: 'FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4', weight: String(2n ** 64n - 1n) })],
  ['wf-query-user', input({ weight: CLASS(8), layerKey: 'FWPM_LAYER_INBOUND_ICMP_ERROR_V4' })],
  ['wf-class-0-snapshot', input({ weight: '0', subLayerKey: 'FWPM_SUBLAYER_TEREDO' })],
  ['wf-rule', input({ weight: CLASS(10), name: 'Block Telnet' })],
  ['wsh-default-name', input({ providerKey: 'FWPM_PROVIDER_MPSSVC_WSH', weight: '274877906944', name: 'WSH Default Outbound Block' })],
  ['wsh-appcontainer-default-name', input({ providerKey: 'FWPM_PROVIDER_MPSSVC_WSH', weight: '0', name: 'Block Outbound Default Rule' })],
  ['wsh-rule', input({ providerKey: 'FWPM_PROVIDER_MPSSVC_WSH', weight: '0', name: 'Block all inbound traffic to SearchProtocolHost' })],
  ['other-provider', input({ providerKey: '{00000000-c0de-4000-8000-00000000c0de}', action: 'callout', weight: '' })],
  ['origin-query-user', input(null, 'Query User Default')],
  ['origin-quarantine', input(null, 'Quarantine Default')],
  ['origin-app-container', input(null, 'AppContainer Loopback')],
  ['origin-stealth', input(null, 'Stealth')],
  ['origin-boot-time', input(null, 'Boot Time Default')],
  ['origin-default', input(null, 'WSH Default')],
  ['origin-rule', input(null, '{6b5a3f1c-0f0e-4c55-9a8e-0c1d2e3f4a5b}')],
  ['name-stealth', input({ weight: '', name: '防止端口扫描筛选器', learnedFrom: 'event-5447' })],
  ['name-boot-time', input({ weight: '', name: 'Boot Time Filter' })],
  ['name-query-user', input({ weight: '', name: 'Query User' })],
  ['name-default', input({ weight: '', name: 'Quarantine Default Inbound Block' })],
  ['name-app-container', input({ weight: '', name: 'AppContainerLoopback' })],
  ['wf-class-0-event', input({ weight: '1', name: '隔离默认入站阻止', learnedFrom: 'event-5441' })],
  ['fallback', input(null, 'Unknown')],
];

describe('block classification decision table', () => {
  for (const [rule, caseInput] of CASES) {
    const row = BLOCK_KIND_RULES.find((r) => r.id === rule);
    it(`row ${rule} -> ${row?.kind ?? '?'}`, () => {
      assert.ok(row !== undefined, `no row ${rule}`);
      assert.deepEqual(classifyBlock(caseInput), { kind: row.kind, rule });
    });
  }

  it('every row of the table has a case above, in table order', () => {
    assert.deepEqual(CASES.map(([id]) => id), BLOCK_KIND_RULES.map((r) => r.id));
  });

  it('the agent README table lists the same rows, in the same order, with the same kinds', () => {
    const readme = readFileSync(new URL('../../../agent/README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| (\d+) \| `([a-z0-9-]+)` \| .* \| `([a-z-]+)` \|$/gm)].map((m) => [m[2], m[3]]);
    assert.deepEqual(rows, BLOCK_KIND_RULES.map((r) => [r.id, r.kind]));
  });

  it('a filter that cannot block (permit) is not trusted: the FilterOrigin or fallback decides', () => {
    assert.equal(classifyBlock(input({ action: 'permit', weight: CLASS(10) })).rule, 'fallback');
    assert.equal(classifyBlock(input({ action: 'permit' }, 'Query User Default')).kind, 'query-user-default');
  });

  it('a permit filter with the boot-time flag is not a boot-time block (the flag counts only on a filter that can block)', () => {
    assert.deepEqual(classifyBlock(input({ action: 'permit', bootTime: true, weight: '0' })), { kind: 'unknown', rule: 'fallback' });
    assert.deepEqual(classifyBlock(input({ action: 'permit', bootTime: true }, 'Stealth')), { kind: 'stealth', rule: 'origin-stealth' });
    // The same filter as a block or a callout is one.
    assert.equal(classifyBlock(input({ action: 'block', bootTime: true, weight: '0' })).rule, 'boot-time-flag');
    assert.equal(classifyBlock(input({ action: 'callout', bootTime: true, weight: '0' })).rule, 'boot-time-flag');
  });

  it('weight class 15 at a layer that is neither ALE nor outbound ICMP error is neither stealth nor app-container', () => {
    for (const layerKey of ['FWPM_LAYER_INBOUND_TRANSPORT_V4', 'FWPM_LAYER_INBOUND_ICMP_ERROR_V4', 'FWPM_LAYER_IPFORWARD_V6']) {
      assert.deepEqual(classifyBlock(input({ layerKey, weight: CLASS(15) })), { kind: 'unknown', rule: 'fallback' }, layerKey);
    }
    // Class 15 is not a rule class, and 14 is.
    assert.deepEqual(classifyBlock(input({ layerKey: 'FWPM_LAYER_INBOUND_TRANSPORT_V4', weight: CLASS(14) })), { kind: 'policy-rule', rule: 'wf-rule' });
  });

  it('structure wins over the name (a rule that happens to be called "Boot Time Filter" is a rule)', () => {
    assert.equal(classifyBlock(input({ weight: CLASS(10), name: 'Boot Time Filter' })).kind, 'policy-rule');
  });

  it('weight class is the top 4 bits of the 64-bit weight; junk is unknown', () => {
    assert.equal(weightClass('11529215046068469760'), 10);
    assert.equal(weightClass('18446744073709551615'), 15);
    assert.equal(weightClass('4'), 0);
    assert.equal(weightClass(''), null);
    assert.equal(weightClass('18446744073709551616'), null);
    assert.equal(weightClass('-1'), null);
  });

  it('on the real zh-CN snapshot, every blocking filter gets the kind its (independently read) name says', { skip: zhCnSkip() }, () => {
    const text = zhCnSample()!.text;
    const parsed = parseFilterSnapshot(text, 'zh-CN');
    assert.ok(parsed.ok);
    // Expected kinds from the names an admin sees, read with a regex straight from the XML.
    const expectedByName = (name: string, provider: string): string => {
      if (name === '防止端口扫描筛选器') return 'stealth';
      if (name === '引导时间筛选器') return 'boot-time';
      if (name === 'AppContainerLoopback' || name.startsWith('UWP Default')) return 'app-container';
      if (name === 'Query User') return 'query-user-default';
      if (name === 'Quarantine Default Inbound Block' || name.startsWith('WSH Default')) return 'default-policy';
      if (provider === 'FWPM_PROVIDER_MPSSVC_WSH' || provider === 'FWPM_PROVIDER_MPSSVC_WF' || provider === '' || provider.startsWith('{')) return 'policy-rule';
      return 'unexpected';
    };
    const items = text.slice(text.indexOf('<filters>'), text.indexOf('</filters>')).split(/\n\t\t<item>/).slice(1);
    const blocks = items.filter((i) => /<action>\s*<type>FWP_ACTION_BLOCK</.test(i));
    assert.equal(blocks.length, 77);
    const byId = new Map(parsed.value.filters.map((f) => [f.filterId, f]));
    const kinds: Record<string, number> = {};
    const rules = new Set<string>();
    for (const item of blocks) {
      const id = Number(/<filterId>(\d+)</.exec(item)?.[1]);
      const name = /<name>([^<]*)</.exec(item)?.[1] ?? '';
      const provider = /<providerKey>([^<]*)</.exec(item)?.[1] ?? '';
      const got = classifyBlock({ eventId: 5157, filter: byId.get(id)!, filterOrigin: null });
      assert.equal(got.kind, expectedByName(name, provider), `${id} ${name}`);
      kinds[got.kind] = (kinds[got.kind] ?? 0) + 1;
      rules.add(got.rule);
    }
    assert.deepEqual(kinds, { 'boot-time': 8, 'default-policy': 6, 'policy-rule': 35, 'app-container': 10, 'query-user-default': 8, stealth: 10 });
    // The localized built-ins are recognised by structure, not by their Chinese names.
    assert.ok(!rules.has('name-stealth') && !rules.has('name-boot-time'));
    assert.ok(rules.has('wf-stealth') && rules.has('boot-time-flag') && rules.has('wf-class-0-snapshot'));
  });
});
