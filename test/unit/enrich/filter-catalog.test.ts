import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFilterCatalog, readFilterSnapshotFile } from '../../../agent/enrich/index.ts';
import type { FilterEvent } from '../../../agent/interpret/index.ts';
import { eventsFromText, fixtureEvents, otrfLines, SYNTHETIC_FILTERS } from './helpers.ts';

const NETSH = 'cmd_netsh_fw_mod_open_ports_2020-10-2100191105.wfp-subset.jsonl';
const EMPIRE = 'empire_persistence_registry_modification_run_keys_standard_user_2020-09-04030609.wfp-subset.jsonl';

function filterEvents(file: string): FilterEvent[] {
  return fixtureEvents(`otrf/${file}`).flatMap((e) => (e.body.type === 'filter' ? [e.body] : []));
}

describe('FilterCatalog', () => {
  describe('5447 add/delete sequence (OTRF cmd_netsh_fw_mod_open_ports: rule "atomic testing")', () => {
    it('follows the log event by event, as an independent reading of the JSON lines says', () => {
      const catalog = createFilterCatalog();
      const lines = otrfLines(NETSH).filter((l) => l['EventID'] === 5447);
      const events = filterEvents(NETSH);
      assert.equal(events.length, lines.length);
      assert.equal(lines.length, 8);
      const expected = new Set<number>();
      events.forEach((event, n) => {
        const line = lines[n]!;
        const id = Number(line['FilterId']);
        const change = catalog.applyFilterEvent(event);
        if (line['ChangeType'] === '%%16384') {
          expected.add(id);
          assert.equal(change, 'added');
        } else {
          expected.delete(id);
          assert.equal(change, 'deleted');
        }
        assert.equal(catalog.status().size, expected.size, `after event ${n + 1}`);
        const found = catalog.lookup(id);
        assert.equal(found.status, line['ChangeType'] === '%%16384' ? 'found' : 'deleted');
        assert.ok(found.status === 'found' || found.status === 'deleted');
        assert.equal(found.filter.name, line['FilterName']);
        assert.equal(found.filter.filterKey, String(line['FilterKey']).toLowerCase());
      });
    });

    it('turns the event GUIDs into the names netsh uses and keeps the rule name', () => {
      const catalog = createFilterCatalog();
      const [firstAdd] = filterEvents(NETSH);
      catalog.applyFilterEvent(firstAdd!);
      const found = catalog.lookup(75143);
      assert.ok(found.status === 'found');
      assert.equal(found.filter.providerKey, 'FWPM_PROVIDER_MPSSVC_WF'); // {decc16ca-…} in the event
      assert.equal(found.filter.layerKey, 'FWPM_LAYER_ALE_AUTH_LISTEN_V4'); // {88bb5dad-…}
      assert.equal(found.filter.action, 'permit'); // %%16390
      assert.equal(found.filter.weight, '10376293542535364352');
      assert.equal(found.filter.ruleName, 'atomic testing'); // weight class 9: a firewall allow rule
      assert.equal(found.filter.rulesetName, 'Windows Defender Firewall');
      assert.equal(found.filter.learnedFrom, 'event-5447');
      assert.equal(found.filter.conditionCount, 1);
    });

    it('re-add with a new run-time id (the real Add line, only FilterId changed) retires the old id', () => {
      const addLine = readLines(NETSH).find((l) => l.includes('"ChangeType":"%%16384"'))!;
      const readded = JSON.stringify({ ...JSON.parse(addLine), FilterId: '75999' });
      const [add, again] = eventsFromText(`${addLine}\n${readded}\n`, 'derived.jsonl').map((e) => e.body as FilterEvent);
      const catalog = createFilterCatalog();
      catalog.applyFilterEvent(add!);
      assert.equal(catalog.applyFilterEvent(again!), 'added');
      assert.equal(catalog.lookup(75999).status, 'found');
      const old = catalog.lookup(75143);
      assert.equal(old.status, 'deleted');
      assert.ok(old.status === 'deleted' && old.filter.name === 'atomic testing');
      assert.equal(catalog.status().size, 1);
    });
  });

  describe('5441 present at BFE start and 5447 adds (OTRF empire_persistence, WORKSTATION5)', () => {
    const catalog = createFilterCatalog();
    const events = filterEvents(EMPIRE);
    const lines = otrfLines(EMPIRE).filter((l) => l['EventID'] === 5441 || l['EventID'] === 5447);
    for (const e of events) catalog.applyFilterEvent(e);

    it('knows every filter the log announced, by id, with the logged name', () => {
      assert.equal(events.length, lines.length);
      const ids = new Set(lines.map((l) => Number(l['FilterId'])));
      assert.equal(catalog.status().size, ids.size);
      assert.equal(catalog.status().learnedFromEvents, lines.length);
      for (const l of lines) {
        const found = catalog.lookup(Number(l['FilterId']));
        assert.ok(found.status === 'found', `filter ${String(l['FilterId'])}`);
        assert.equal(found.filter.name, l['FilterName']);
        assert.equal(found.filter.learnedFrom, l['EventID'] === 5441 ? 'event-5441' : 'event-5447');
      }
    });

    it('maps every logged layer GUID to its symbolic name', () => {
      for (const f of catalog.filters()) assert.match(f.layerKey, /^FWPM_LAYER_/, `${f.filterId} ${f.layerKey}`);
      const boot = catalog.lookup(1);
      assert.ok(boot.status === 'found');
      assert.equal(boot.filter.layerKey, 'FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V6');
    });

    it('reads the filter type: id 1 is the boot-time copy, id 2 the persistent one', () => {
      const one = catalog.lookup(1);
      const two = catalog.lookup(2);
      assert.ok(one.status === 'found' && two.status === 'found');
      assert.equal(one.filter.name, 'Boot Time Filter');
      assert.equal(one.filter.bootTime, true); // FilterType %%16386
      assert.equal(two.filter.bootTime, false); // %%16387 Persistent
    });

    it('answers not-found explicitly for an id it never saw', () => {
      assert.deepEqual(catalog.lookup(69408), { status: 'not-found', stale: false });
    });
  });

  describe('snapshots and staleness', () => {
    const snapshot = readFilterSnapshotFile(SYNTHETIC_FILTERS);
    assert.ok(snapshot.ok);

    it('an empty catalog is stale; a fresh snapshot is not; an old one is', () => {
      let now = 1_000_000;
      const catalog = createFilterCatalog({ now: () => now, staleAfterMs: 60_000 });
      assert.equal(catalog.lookup(85081).stale, true);
      catalog.replaceSnapshot(snapshot.value);
      assert.deepEqual(catalog.status().snapshotSource, SYNTHETIC_FILTERS);
      assert.equal(catalog.lookup(85081).stale, false);
      now += 60_001;
      const later = catalog.lookup(85081);
      assert.equal(later.status, 'found');
      assert.equal(later.stale, true);
    });

    it('a new snapshot replaces everything learned before, including tombstones', () => {
      const catalog = createFilterCatalog();
      for (const e of filterEvents(NETSH)) catalog.applyFilterEvent(e);
      assert.equal(catalog.lookup(75143).status, 'deleted');
      catalog.replaceSnapshot(snapshot.value);
      assert.equal(catalog.lookup(75143).status, 'not-found');
      assert.equal(catalog.status().size, 9);
    });

    it('remembers a bounded number of deleted ids', () => {
      const catalog = createFilterCatalog({ maxTombstones: 2 });
      for (const e of filterEvents(NETSH)) catalog.applyFilterEvent(e);
      const statuses = [75143, 75144, 75145, 75146].map((id) => catalog.lookup(id).status);
      assert.deepEqual(statuses, ['not-found', 'not-found', 'deleted', 'deleted']);
    });
  });
});

function readLines(file: string): string[] {
  return otrfLines(file).map((l) => JSON.stringify(l));
}

describe('FilterCatalog keeps the richer entry', () => {
  it('a 5447 Add for a filter the snapshot already has (same id and key) keeps the snapshot entry', () => {
    const snapshot = readFilterSnapshotFile(SYNTHETIC_FILTERS);
    assert.ok(snapshot.ok);
    const catalog = createFilterCatalog();
    catalog.replaceSnapshot(snapshot.value);
    const addLine = otrfLines(NETSH).find((l) => l['ChangeType'] === '%%16384')!;
    const same = { ...addLine, FilterId: '85081', FilterKey: '{1A2B3C4D-0000-4000-8000-000000000001}' };
    const [event] = eventsFromText(`${JSON.stringify(same)}\n`, 'derived.jsonl');
    assert.equal(catalog.applyFilterEvent(event!.body as FilterEvent), 'added');
    const found = catalog.lookup(85081);
    assert.ok(found.status === 'found');
    assert.equal(found.filter.learnedFrom, 'snapshot');
    assert.equal(found.filter.subLayerKey, 'FWPM_SUBLAYER_MPSSVC_WF');
  });
});
