// The GPL evtx-attack-samples (read from ../shared/samples, never bundled): decoded with zero errors, with the
// id counts SOURCES.md documents, and their local/remote sides resolved as the hosts' own outbound events show.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadConfig } from '../../agent/config/index.ts';
import { createBasicEnricher } from '../../agent/enrich/index.ts';
import { createEventPipeline } from '../../agent/pipeline/index.ts';
import type { ProcessedEvent } from '../../agent/pipeline/index.ts';
import { loadReplayFile } from '../../agent/source/index.ts';
import { SHARED_SAMPLES, sharedSamplesSkip } from '../helpers/fixtures.ts';

const DIR = join(SHARED_SAMPLES, 'evtx-attack-samples');
const skip = sharedSamplesSkip('evtx-attack-samples');

const EXPECTED: Record<string, Record<number, number>> = {
  'ACL_ForcePwd_SPNAdd_User_Computer_Accounts.evtxexport.xml': { 1102: 1, 4662: 14, 4702: 4, 4719: 8, 4738: 5, 4742: 1, 5136: 22 },
  'DE_1102_security_log_cleared.evtxexport.xml': { 1102: 1, 4663: 110, 5156: 1 },
  'DE_RDP_Tunnel_5156.evtxexport.xml': { 1102: 1, 4624: 5, 4648: 3, 4672: 3, 4688: 17, 5156: 63, 5158: 9 },
  'dicovery_4661_net_group_domain_admins_target.evtxexport.xml': { 1102: 1, 4624: 4, 4661: 16, 4672: 3, 4776: 1, 5140: 2, 5145: 3, 5156: 28, 5158: 5 },
};

function processAll(file: string): ProcessedEvent[] {
  const loaded = loadReplayFile(join(DIR, file));
  assert.deepEqual(loaded.problems, []);
  const pipeline = createEventPipeline(loadConfig(undefined), { enricher: createBasicEnricher() });
  for (const item of loaded.items) pipeline.learn(item);
  return loaded.items.map((item) => {
    const out = pipeline.process(item);
    if (!out.ok) assert.fail(`${out.reason}: ${out.detail}`);
    return out.value;
  });
}

describe('evtx-attack-samples (shared, GPL: read at test time)', { skip }, () => {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`decodes ${file} with the documented id counts`, () => {
      const ids: Record<number, number> = {};
      for (const p of processAll(file)) ids[p.event.raw.eventId] = (ids[p.event.raw.eventId] ?? 0) + 1;
      assert.deepEqual(ids, expected);
    });
  }

  it('keeps unknown ids raw and flagged, and not collected by the default config', () => {
    const unknown = processAll('DE_1102_security_log_cleared.evtxexport.xml').filter((p) => p.event.raw.eventId === 4663);
    assert.equal(unknown.length, 110);
    for (const p of unknown) {
      assert.equal(p.record.eventName, 'windows.event.unrecognized');
      assert.equal(p.record.attributes['windows.event.unrecognized'], true);
      assert.equal(p.disposition, 'not-collected');
    }
  });

  it('resolves the DC (10.0.2.15) as the local side of inbound SMB (2019 convention)', () => {
    const inbound = processAll('dicovery_4661_net_group_domain_admins_target.evtxexport.xml').filter(
      (p) => p.record.attributes['wfp.direction'] === 'inbound' && p.record.attributes['network.type'] === 'ipv4',
    );
    assert.ok(inbound.length > 0);
    const smb = inbound.filter((p) => p.record.attributes['network.local.port'] === 445);
    assert.ok(smb.length > 0);
    for (const p of smb) assert.equal(p.record.attributes['network.local.address'], '10.0.2.15');
  });

  it('resolves the RDP server side (3389) as local on inbound loopback', () => {
    const rdp = processAll('DE_RDP_Tunnel_5156.evtxexport.xml').filter(
      (p) => p.record.attributes['wfp.direction'] === 'inbound' && (p.record.attributes['network.local.port'] === 3389 || p.record.attributes['network.peer.port'] === 3389),
    );
    assert.ok(rdp.length > 0);
    for (const p of rdp) assert.equal(p.record.attributes['network.local.port'], 3389);
  });
});
