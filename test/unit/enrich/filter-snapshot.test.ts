import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFilterSnapshot, readFilterSnapshotFile } from '../../../agent/enrich/index.ts';
import type { FilterAttribution } from '../../../agent/enrich/index.ts';
import { SYNTHETIC_FILTERS, zhCnSkip, zhCnSample } from './helpers.ts';

function byId(filters: readonly FilterAttribution[]): Map<number, FilterAttribution> {
  return new Map(filters.map((f) => [f.filterId, f]));
}

describe('readFilterSnapshotFile', () => {
  describe('synthetic fixture (hand-made, same shape as netsh output)', () => {
    const r = readFilterSnapshotFile(SYNTHETIC_FILTERS);
    assert.ok(r.ok, r.ok ? '' : r.detail);
    const filters = byId(r.value.filters);

    it('reads every filter item and provider, ignoring the BOM and CRLF line ends', () => {
      assert.equal(r.value.filters.length, 9);
      assert.equal(r.value.providerCount, 4);
    });

    it('keeps the fields a lookup needs, normalised', () => {
      assert.deepEqual(filters.get(85081), {
        filterId: 85081,
        name: 'Block Telnet',
        description: 'Synthetic block rule & its description',
        providerKey: 'FWPM_PROVIDER_MPSSVC_WF',
        providerName: 'Microsoft Corporation',
        layerKey: 'FWPM_LAYER_ALE_AUTH_CONNECT_V4',
        action: 'block',
        weight: '11529215046068469760',
        ruleName: 'Block Telnet',
        rulesetName: 'Windows Defender Firewall',
        learnedFrom: 'snapshot',
        subLayerKey: 'FWPM_SUBLAYER_MPSSVC_WF',
        bootTime: false,
        conditionCount: 2,
        filterKey: '{1a2b3c4d-0000-4000-8000-000000000001}',
      });
    });

    it('flags boot-time filters and gives built-in (non-rule) firewall filters no rule name', () => {
      assert.equal(filters.get(72574)?.bootTime, true);
      assert.equal(filters.get(72574)?.ruleName, null);
      assert.equal(filters.get(78700)?.ruleName, null, 'stealth filter is not a console rule');
      assert.equal(filters.get(85090)?.ruleName, 'Allow Remote Desktop');
    });

    it('names rule sets: built-ins by their product name, third parties by provider name, indirect strings never', () => {
      assert.equal(filters.get(80100)?.rulesetName, 'Windows Service Hardening');
      assert.equal(filters.get(84735)?.providerName, '@bfe.dll,-1217');
      assert.equal(filters.get(84735)?.rulesetName, 'Windows Defender Firewall app isolation');
      assert.equal(filters.get(90001)?.rulesetName, 'Contoso EDR');
      assert.equal(filters.get(90001)?.providerKey, '{00000000-c0de-4000-8000-00000000c0de}');
      assert.equal(filters.get(90001)?.action, 'callout');
      assert.equal(filters.get(80897)?.providerKey, '');
      assert.equal(filters.get(80897)?.rulesetName, null);
    });
  });

  describe('errors are one line naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfp-snap-'));
    const write = (name: string, text: string): string => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };

    it('unreadable file', () => {
      const r = readFilterSnapshotFile(join(dir, 'missing.xml'));
      assert.equal(r.ok, false);
      assert.ok(!r.ok && r.reason === 'unreadable');
      assert.match(!r.ok ? r.detail : '', /missing\.xml: cannot read the file \(ENOENT\)$/);
    });

    it('another XML document (event XML) is not a wfpdiag', () => {
      const r = readFilterSnapshotFile(write('event.xml', '<Events><Event/></Events>'));
      assert.ok(!r.ok && r.reason === 'not-wfpdiag');
      assert.match(!r.ok ? r.detail : '', /root element is <Events>, expected <wfpdiag>/);
    });

    it('malformed XML', () => {
      const r = readFilterSnapshotFile(write('bad.xml', '<wfpdiag><filters><item><filterId>1</filterId></filters>'));
      assert.ok(!r.ok && r.reason === 'xml-error');
      assert.equal((!r.ok ? r.detail : '').split('\n').length, 1);
    });

    it('a wfpdiag without a filter list (e.g. netsh wfp show state output)', () => {
      const r = parseFilterSnapshot('<wfpdiag><providers/></wfpdiag>', 'state.xml');
      assert.ok(!r.ok && r.reason === 'no-filters');
    });

    it('not XML at all', () => {
      const r = readFilterSnapshotFile(write('text.xml', 'netsh: The requested operation requires elevation.'));
      assert.equal(r.ok, false);
    });
  });

  describe('real zh-CN snapshot (../shared/samples)', () => {
    const sample = zhCnSample();
    const skip = zhCnSkip();

    it('matches an independent regex reading of the same file, filter by filter', { skip }, () => {
      const s = sample!;
      const dir = mkdtempSync(join(tmpdir(), 'wfp-zh-'));
      const path = join(dir, 'filters.xml');
      writeFileSync(path, s.bytes);
      const r = readFilterSnapshotFile(path);
      assert.ok(r.ok, r.ok ? '' : r.detail);

      const filtersSection = s.text.slice(s.text.indexOf('<filters>'), s.text.indexOf('</filters>'));
      const items = filtersSection.split(/\r?\n\t\t<item>/).slice(1);
      assert.equal(items.length, 1246, 'independent count of filter items');
      assert.equal(r.value.filters.length, items.length);
      assert.equal((s.text.match(/<filterId>/g) ?? []).length, r.value.filters.length);
      const providers = s.text.slice(s.text.indexOf('<providers>'));
      assert.equal(r.value.providerCount, providers.split(/\r?\n\t\t<item>/).length - 1);

      const mine = byId(r.value.filters);
      for (const item of items) {
        const id = Number(/<filterId>(\d+)<\/filterId>/.exec(item)?.[1]);
        const f = mine.get(id);
        assert.ok(f !== undefined, `filter ${id} missing`);
        assert.equal(f.name, /<name>([^<]*)<\/name>/.exec(item)?.[1], `name of ${id}`);
        assert.equal(f.layerKey, /<layerKey>([^<]*)<\/layerKey>/.exec(item)?.[1], `layer of ${id}`);
        const action = /<action>\s*<type>FWP_ACTION_(\w+)<\/type>/.exec(item)?.[1] ?? '';
        assert.equal(f.action, action.startsWith('CALLOUT') ? 'callout' : action.toLowerCase(), `action of ${id}`);
        assert.equal(f.weight, /<effectiveWeight>\s*<type>FWP_UINT64<\/type>\s*<uint64>(\d+)</.exec(item)?.[1], `weight of ${id}`);
        const provider = /<providerKey>([^<]*)<\/providerKey>/.exec(item)?.[1] ?? '';
        assert.equal(f.providerKey, provider, `provider of ${id}`);
        assert.equal(f.bootTime, item.includes('FWPM_FILTER_FLAG_BOOTTIME'), `boot-time flag of ${id}`);
      }
    });

    it('keeps localized names as they are (UTF-8 with BOM decoded across chunk boundaries)', { skip }, () => {
      const r = parseFilterSnapshot(sample!.text, 'zh-CN');
      assert.ok(r.ok);
      const names = new Set(r.value.filters.map((f) => f.name));
      assert.ok(names.has('防止端口扫描筛选器'));
      assert.ok(names.has('引导时间筛选器'));
      assert.equal(r.value.filters.filter((f) => f.action === 'block').length, 77);
    });
  });
});
