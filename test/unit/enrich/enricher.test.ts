import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AgentConfig } from '../../../agent/config/index.ts';
import {
  createLiveEnrichment,
  createNetshSnapshotProvider,
  enrichmentAttributes,
  loadEnricher,
  shouldLog,
} from '../../../agent/enrich/index.ts';
import type { Enricher, EventEnrichment, FilterSnapshotProvider } from '../../../agent/enrich/index.ts';
import type { WfpEvent } from '../../../agent/interpret/index.ts';
import { err } from '../../../agent/shared/index.ts';
import { defaultConfig, eventsFromText, fixtureEvents, FIXTURES, otrfLines, SYNTHETIC_FILTERS } from './helpers.ts';

const COVENANT = 'otrf/covenant_sharpsc_query_dcerpc_smb_svcctl_2020-08-06012009.wfp-subset.jsonl';
const NTDS = 'otrf/cmd_dumping_ntds_dit_file_ntdsutil.wfp-subset.jsonl';
const EMPIRE = 'empire_persistence_registry_modification_run_keys_standard_user_2020-09-04030609.wfp-subset.jsonl';

function withConfig(patch: { filters?: Partial<AgentConfig['filters']>; paths?: Partial<AgentConfig['paths']> }): AgentConfig {
  const base = defaultConfig();
  return { ...base, filters: { ...base.filters, ...patch.filters }, paths: { ...base.paths, ...patch.paths } };
}

const CONFIG = withConfig({ paths: { volume_map: { 'C:': '\\Device\\HarddiskVolume2' } } });

function enricher(file?: string, config: AgentConfig = CONFIG): Enricher {
  const r = loadEnricher(file === undefined ? { config } : { config, filtersFile: file });
  assert.ok(r.ok, r.ok ? '' : r.detail);
  return r.value;
}

/** The real covenant 5157 line with FilterRTID replaced (a derived event: same shape, chosen filter id). */
function covenant5157(filterRtId?: string): WfpEvent {
  const line = otrfLines(COVENANT.slice(5)).find((l) => l['EventID'] === 5157)!;
  const text = JSON.stringify(filterRtId === undefined ? line : { ...line, FilterRTID: filterRtId });
  return eventsFromText(`${text}\n`, 'derived.jsonl')[0]!;
}

describe('enricher', () => {
  it('real OTRF 5157 without a catalog entry: not-found, unknown kind, path mapped, counted not hidden', () => {
    const e = enricher(SYNTHETIC_FILTERS).enrich(covenant5157());
    assert.deepEqual(e, {
      filter: null,
      blockKind: 'unknown',
      executablePath: 'C:\\windows\\system32\\services.exe',
      pathMapping: 'mapped',
      executableName: 'services.exe',
      filterLookup: 'not-found',
      catalogStale: false,
      blockKindRule: 'fallback',
    } satisfies EventEnrichment);
    assert.equal(shouldLog(e, CONFIG.filters), true);
  });

  it('a block by a firewall rule in the snapshot names the rule and its rule set', () => {
    const e = enricher(SYNTHETIC_FILTERS).enrich(covenant5157('85081'));
    assert.equal(e.filterLookup, 'found');
    assert.equal(e.blockKind, 'policy-rule');
    assert.equal(e.blockKindRule, 'wf-rule');
    assert.deepEqual(enrichmentAttributes(e), {
      'wfp.filter.id': 85081,
      'wfp.filter.name': 'Block Telnet',
      'wfp.filter.provider': 'FWPM_PROVIDER_MPSSVC_WF',
      'wfp.filter.action': 'block',
      'security_rule.name': 'Block Telnet',
      'security_rule.ruleset.name': 'Windows Defender Firewall',
      'wfp.filter.lookup': 'found',
      'wfp.block.kind': 'policy-rule',
      'process.executable.path': 'C:\\windows\\system32\\services.exe',
      'process.executable.name': 'services.exe',
    });
  });

  it('a stealth drop is counted, not logged, with the default configuration', () => {
    const e = enricher(SYNTHETIC_FILTERS).enrich(covenant5157('78700'));
    assert.equal(e.blockKind, 'stealth');
    assert.equal(shouldLog(e, CONFIG.filters), false);
    assert.equal(shouldLog(e, { log_block_kinds: ['stealth'] }), true);
  });

  it('learns filters from the log itself: 5447 adds, then a block by one of them (empire_persistence)', () => {
    const lines = otrfLines(EMPIRE);
    const add = lines.find((l) => l['EventID'] === 5447 && l['FilterName'] === 'Block inbound traffic to omadmclient.exe')!;
    const block = { ...otrfLines(COVENANT.slice(5)).find((l) => l['EventID'] === 5157)!, FilterRTID: add['FilterId'] };
    const [filterEvent, blockEvent] = eventsFromText(`${JSON.stringify(add)}\n${JSON.stringify(block)}\n`, 'seq.jsonl');
    const enrich = enricher(undefined);
    assert.equal(enrich.enrich(filterEvent!).blockKind, null);
    const e = enrich.enrich(blockEvent!);
    assert.equal(e.filter?.learnedFrom, 'event-5447');
    assert.equal(e.filter?.providerKey, 'FWPM_PROVIDER_MPSSVC_WSH');
    assert.equal(e.filter?.rulesetName, 'Windows Service Hardening');
    assert.equal(e.blockKind, 'policy-rule');
    assert.equal(e.blockKindRule, 'wsh-rule');
  });

  it('real 5152 drops with FilterOrigin "Query User Default" (cmd_dumping_ntds_dit) classify without a catalog', () => {
    const drops = fixtureEvents(NTDS).filter((ev) => ev.body.type === 'network' && ev.body.eventId === 5152);
    assert.equal(drops.length, 10);
    const enrich = enricher(undefined);
    for (const d of drops) {
      const e = enrich.enrich(d);
      assert.equal(e.blockKind, 'query-user-default');
      assert.equal(e.blockKindRule, 'origin-query-user');
      assert.equal(e.filterLookup, 'not-found');
      assert.equal(e.catalogStale, true, 'no snapshot and nothing learned: the answer says so');
    }
  });

  it('allowed traffic gets no block kind; 5031 is the Query User default; 1102 gets nothing', () => {
    const enrich = enricher(undefined);
    const allowed = fixtureEvents(NTDS).find((ev) => ev.body.type === 'network' && ev.body.eventId === 5156)!;
    assert.equal(enrich.enrich(allowed).blockKind, null);
    const app = enrich.enrich(fixtureEvents('ms-docs/event-5031.xml')[0]!);
    assert.equal(app.blockKind, 'query-user-default');
    assert.equal(app.executableName, 'listener.exe');
    assert.equal(app.filterLookup, 'no-filter');
    const cleared = enrich.enrich(fixtureEvents('ms-docs/event-1102.xml')[0]!);
    assert.equal(cleared.blockKind, null);
    assert.equal(cleared.executableName, '');
  });

  it('the docs 5152 (FilterRTID 0) has no filter to look up', () => {
    const e = enricher(SYNTHETIC_FILTERS).enrich(fixtureEvents('ms-docs/event-5152.xml')[0]!);
    assert.equal(e.filterLookup, 'no-filter');
    assert.equal(e.blockKind, 'unknown');
  });
});

describe('loadEnricher errors', () => {
  it('one line for an unreadable file', () => {
    const r = loadEnricher({ config: CONFIG, filtersFile: '/nonexistent/filters.xml' });
    assert.ok(!r.ok);
    assert.equal(r.detail, '/nonexistent/filters.xml: cannot read the file (ENOENT)');
  });

  it('one line for a file that is not netsh wfp output (an event XML fixture)', () => {
    const r = loadEnricher({ config: CONFIG, filtersFile: `${FIXTURES}ms-docs/event-5157.xml` });
    assert.ok(!r.ok);
    assert.equal(r.reason, 'not-wfpdiag');
    assert.match(r.detail, /event-5157\.xml: root element is <Event>, expected <wfpdiag>/);
  });

  it('filters.file from the configuration is used when no file is given', () => {
    const r = loadEnricher({ config: withConfig({ filters: { file: SYNTHETIC_FILTERS } }) });
    assert.ok(r.ok);
    assert.equal(r.value.enrich(covenant5157('84707')).blockKind, 'query-user-default');
  });
});

describe('live enrichment: refresh at start, on the timer, on misses (rate-limited)', () => {
  function fakes(fail = false) {
    let now = 0;
    let takes = 0;
    const timers: Array<() => void> = [];
    const errors: string[] = [];
    const provider: FilterSnapshotProvider = {
      description: 'recorded',
      async take() {
        takes += 1;
        if (fail) return err('command-failed', 'netsh wfp show filters exited with 1: The requested operation requires elevation.');
        const { readFilterSnapshotFile } = await import('../../../agent/enrich/index.ts');
        return readFilterSnapshotFile(SYNTHETIC_FILTERS);
      },
    };
    const live = createLiveEnrichment({
      config: withConfig({ filters: { refresh_interval_s: 3600, miss_refresh_min_interval_s: 300 } }),
      provider,
      now: () => now,
      timers: { setInterval: (fn) => timers.push(fn), clearInterval: () => undefined },
      onError: (d) => errors.push(d),
    });
    return { live, takes: () => takes, tick: (ms: number) => (now += ms), timers, errors };
  }

  it('a burst of misses costs one refresh; after the interval another miss refreshes again', async () => {
    const f = fakes();
    const refresher = f.live.refresher!;
    assert.ok((await refresher.start()).ok);
    assert.equal(f.takes(), 1);
    assert.equal(f.live.catalog.status().size, 9);
    for (let i = 0; i < 50; i++) f.live.enricher.enrich(covenant5157()); // id 69408 is unknown
    await refresher.idle();
    assert.equal(f.takes(), 1, 'within 300 s of the start snapshot: no refresh');
    f.tick(301_000);
    for (let i = 0; i < 50; i++) f.live.enricher.enrich(covenant5157());
    await refresher.idle();
    assert.deepEqual(refresher.counts(), { start: 1, timer: 0, miss: 1 });
    f.timers[0]!();
    await refresher.idle();
    assert.deepEqual(refresher.counts(), { start: 1, timer: 1, miss: 1 });
    await refresher.shutdown();
  });

  it('a failed snapshot is reported in one line and leaves the catalog as it was', async () => {
    const f = fakes(true);
    const r = await f.live.refresher!.start();
    assert.ok(!r.ok);
    assert.deepEqual(f.errors, ['netsh wfp show filters exited with 1: The requested operation requires elevation.']);
    assert.equal(f.live.catalog.status().size, 0);
  });

  it('filters.snapshot: off runs without a refresher', () => {
    const live = createLiveEnrichment({
      config: withConfig({ filters: { snapshot: 'off' } }),
      provider: { description: 'never', take: async () => err('command-failed', 'must not run') },
    });
    assert.equal(live.refresher, null);
  });
});

describe('netsh snapshot provider', () => {
  it('runs netsh wfp show filters file=PATH, reads PATH and removes it', async () => {
    const calls: string[][] = [];
    const removed: string[] = [];
    const path = `${process.env['TMPDIR'] ?? '/tmp'}/wfp-netsh-${process.pid}.xml`;
    const provider = createNetshSnapshotProvider({
      run: async (file, args) => {
        calls.push([file, ...args]);
        writeFileSync(args[3]!.slice('file='.length), readFileSync(SYNTHETIC_FILTERS));
        return { exitCode: 0, stdout: 'Data collection successful.\r\n', stderr: '' };
      },
      tempPath: () => path,
      remove: (p) => removed.push(p),
    });
    const r = await provider.take();
    assert.ok(r.ok);
    assert.equal(r.value.filters.length, 9);
    assert.deepEqual(calls, [['netsh', 'wfp', 'show', 'filters', `file=${path}`]]);
    assert.deepEqual(removed, [path]);
    assert.ok(existsSync(path));
  });

  it('a failing netsh is one line with its exit code and message', async () => {
    const provider = createNetshSnapshotProvider({
      run: async () => ({ exitCode: 1, stdout: 'The requested operation requires elevation (Run as administrator).\r\n\r\n', stderr: '' }),
      tempPath: () => '/nonexistent/x.xml',
      remove: () => undefined,
    });
    const r = await provider.take();
    assert.ok(!r.ok);
    assert.equal(r.detail, 'netsh wfp show filters exited with 1: The requested operation requires elevation (Run as administrator).');
  });
});

describe('live enrichment and the log backlog', () => {
  it('5447 events logged before the snapshot was taken are not applied over it; later ones are', async () => {
    const NETSH = 'otrf/cmd_netsh_fw_mod_open_ports_2020-10-2100191105.wfp-subset.jsonl';
    const events = fixtureEvents(NETSH).filter((e) => e.body.type === 'filter');
    const firstAdd = events[0]!;
    const loggedAt = Date.parse(firstAdd.raw.time);
    assert.ok(Number.isFinite(loggedAt));
    let now = loggedAt + 60_000; // the agent started (and took its snapshot) a minute after the Add was logged
    const live = createLiveEnrichment({
      config: CONFIG,
      provider: { description: 'recorded', take: async () => (await import('../../../agent/enrich/index.ts')).readFilterSnapshotFile(SYNTHETIC_FILTERS) },
      now: () => now,
      timers: { setInterval: () => 0, clearInterval: () => undefined },
    });
    await live.refresher!.start();
    live.enricher.enrich(firstAdd);
    assert.equal(live.catalog.lookup(75143).status, 'not-found', 'backlog Add older than the snapshot: skipped');
    now = loggedAt - 60_000; // a snapshot taken before the Add: the Add is news
    await live.refresher!.refresh('timer');
    live.enricher.enrich(firstAdd);
    assert.equal(live.catalog.lookup(75143).status, 'found');
  });
});
