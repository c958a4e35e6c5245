import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createVolumeMap, mapApplicationPath } from '../../../agent/enrich/index.ts';
import { fixtureEvents } from './helpers.ts';

// The map as QueryDosDevice reports it on a typical machine (drive -> device), recorded.
const MAP = createVolumeMap({
  'C:': '\\Device\\HarddiskVolume2',
  'D:': '\\Device\\HarddiskVolume10',
  'E:': '\\Device\\HarddiskVolume1\\',
});

function applicationOf(file: string): string {
  const body = fixtureEvents(file)[0]!.body;
  assert.ok(body.type === 'network' || body.type === 'firewall-app-block');
  return body.application.raw;
}

describe('mapApplicationPath', () => {
  it('maps a real OTRF 5157 application path (services.exe on WORKSTATION6) to a drive letter', () => {
    const raw = fixtureEvents('otrf/covenant_sharpsc_query_dcerpc_smb_svcctl_2020-08-06012009.wfp-subset.jsonl')
      .map((e) => e.body)
      .find((b) => b.type === 'network' && b.eventId === 5157);
    assert.ok(raw !== undefined && raw.type === 'network');
    assert.equal(raw.application.raw, '\\device\\harddiskvolume2\\windows\\system32\\services.exe');
    assert.deepEqual(mapApplicationPath(raw.application.raw, MAP), {
      path: 'C:\\windows\\system32\\services.exe',
      mapping: 'mapped',
      executableName: 'services.exe',
    });
  });

  it('compares device paths case-insensitively with a trailing separator (Volume1 is not a prefix of Volume10)', () => {
    assert.equal(mapApplicationPath('\\DEVICE\\HARDDISKVOLUME10\\tools\\nc.exe', MAP).path, 'D:\\tools\\nc.exe');
    assert.equal(mapApplicationPath('\\device\\harddiskvolume1\\x\\y.exe', MAP).path, 'E:\\x\\y.exe');
    assert.equal(mapApplicationPath('\\device\\harddiskvolume1', MAP).mapping, 'unknown-volume');
  });

  it('keeps unknown volumes as NT paths, flagged, with the executable name still set', () => {
    assert.deepEqual(mapApplicationPath('\\device\\harddiskvolume7\\apps\\agent.exe', MAP), {
      path: '\\device\\harddiskvolume7\\apps\\agent.exe',
      mapping: 'unknown-volume',
      executableName: 'agent.exe',
    });
    assert.equal(mapApplicationPath('\\device\\harddiskvolume2\\a.exe', createVolumeMap({})).mapping, 'unknown-volume');
  });

  it('turns \\Device\\Mup\\ into a UNC path (constructed value: no sample has a network-share application)', () => {
    assert.deepEqual(mapApplicationPath('\\Device\\Mup\\fileserver\\apps\\tool.exe', MAP), {
      path: '\\\\fileserver\\apps\\tool.exe',
      mapping: 'unc',
      executableName: 'tool.exe',
    });
    assert.equal(mapApplicationPath('\\\\fileserver\\apps\\tool.exe', MAP).mapping, 'unc');
  });

  it('handles the doubled backslashes of the Microsoft doc samples (5157 NT path, 5031 DOS path)', () => {
    // As printed in the docs (the decoder may already have collapsed them: both forms must map).
    const printed = '\\\\device\\\\harddiskvolume2\\\\documents\\\\listener.exe';
    assert.equal(mapApplicationPath(applicationOf('ms-docs/event-5157.xml'), MAP).path, 'C:\\documents\\listener.exe');
    assert.deepEqual(mapApplicationPath(printed, MAP), {
      path: 'C:\\documents\\listener.exe',
      mapping: 'mapped',
      executableName: 'listener.exe',
    });
    assert.equal(mapApplicationPath(applicationOf('ms-docs/event-5031.xml'), MAP).path, 'C:\\documents\\listener.exe');
    assert.deepEqual(mapApplicationPath('C:\\\\documents\\\\listener.exe', MAP), {
      path: 'C:\\documents\\listener.exe',
      mapping: 'already-dos',
      executableName: 'listener.exe',
    });
    assert.equal(mapApplicationPath('\\\\\\\\server\\\\share\\\\a.exe', MAP).path, '\\\\server\\share\\a.exe');
  });

  it('System, "-" and empty values are not paths; the name is what was logged', () => {
    assert.deepEqual(mapApplicationPath('System', MAP), { path: 'System', mapping: 'not-a-path', executableName: 'System' });
    assert.deepEqual(mapApplicationPath('-', MAP), { path: '-', mapping: 'not-a-path', executableName: '' });
    assert.equal(mapApplicationPath('\\??\\C:\\Windows\\x.exe', MAP).path, 'C:\\Windows\\x.exe');
  });

  it('accepts the map either way round and ignores entries that are not drives', () => {
    const m = createVolumeMap({ '\\Device\\HarddiskVolume3': 'f:', 'junk': '\\Device\\HarddiskVolume4' });
    assert.deepEqual(m.entries, [['\\device\\harddiskvolume3\\', 'F:']]);
  });
});
