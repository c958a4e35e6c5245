// Every bundled fixture decodes with zero errors, and the ids per file are the counts SOURCES.md documents
// (counted there by parsing the files with other tools).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { decodeItem } from '../../../agent/decode/index.ts';
import { loadReplayFile } from '../../../agent/source/index.ts';
import { msDocsFiles, otrfFiles } from '../../helpers/fixtures.ts';

const EXPECTED_OTRF: Record<string, Record<number, number>> = {
  'auditpol_system_user_auditpolicy_modification.wfp-subset.jsonl': { 4719: 63, 5156: 2, 5158: 2 },
  'cmd_dumping_ntds_dit_file_ntdsutil.wfp-subset.jsonl': { 5152: 10, 5156: 148, 5158: 53 },
  'cmd_netsh_fw_mod_open_ports_2020-10-2100191105.wfp-subset.jsonl': { 1102: 1, 5447: 8 },
  'covenant_dcom_registerxll_2020-09-18145959.wfp-subset.jsonl': { 5031: 4, 5154: 2, 5156: 87, 5158: 95 },
  'covenant_sharpsc_query_dcerpc_smb_svcctl_2020-08-06012009.wfp-subset.jsonl': { 5156: 53, 5157: 5, 5158: 22 },
  'empire_persistence_registry_modification_run_keys_standard_user_2020-09-04030609.wfp-subset.jsonl': { 5154: 60, 5441: 57, 5447: 120 },
  'metasploit_procdump_lsass_memory_dump.wfp-subset.jsonl': { 5152: 13, 5156: 158, 5157: 1, 5158: 258 },
};

function countIds(path: string): { ids: Record<number, number>; bad: string[] } {
  const loaded = loadReplayFile(path);
  assert.deepEqual(loaded.problems, []);
  const ids: Record<number, number> = {};
  const bad: string[] = [];
  for (const item of loaded.items) {
    const r = decodeItem(item);
    if (r.ok) ids[r.value.eventId] = (ids[r.value.eventId] ?? 0) + 1;
    else bad.push(r.detail);
  }
  return { ids, bad };
}

describe('bundled fixtures', () => {
  for (const path of otrfFiles()) {
    it(`decodes ${basename(path)} with the documented id counts`, () => {
      const { ids, bad } = countIds(path);
      assert.deepEqual(bad, []);
      assert.deepEqual(ids, EXPECTED_OTRF[basename(path)]);
    });
  }
  for (const path of msDocsFiles()) {
    it(`decodes ${basename(path)} as one event of its id`, () => {
      const { ids, bad } = countIds(path);
      assert.deepEqual(bad, []);
      const id = Number(/event-(\d+)\.xml/.exec(path)?.[1]);
      assert.deepEqual(ids, { [id]: 1 });
    });
  }
});
