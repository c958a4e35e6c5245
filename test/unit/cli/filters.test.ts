import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { main } from '../../../agent/cli/main.ts';
import { createFiltersCommand } from '../../../agent/cli/commands/filters-command.ts';
import type { CliIo } from '../../../agent/cli/command.ts';
import { SYNTHETIC_FILTERS, zhCnSkip, zhCnSample } from '../enrich/helpers.ts';

/** In-process I/O (importing main.test.ts's helper would re-run its tests here). */
function captureIo(): CliIo & { out: () => string; err: () => string } {
  const buf = { out: '', err: '' };
  return { stdout: (t) => void (buf.out += t), stderr: (t) => void (buf.err += t), env: {}, cwd: process.cwd(), out: () => buf.out, err: () => buf.err };
}

describe('wfp-agent filters', () => {
  it('lists counts by provider and action, then the blocking filters with their kind', async () => {
    const io = captureIo();
    assert.equal(await main(['filters', '--file', SYNTHETIC_FILTERS], io), 0);
    const out = io.out();
    assert.match(out, /: 9 filters \(6 block\), 4 providers\./);
    assert.match(out, /^ +5 {2}FWPM_PROVIDER_MPSSVC_WF \(Windows Defender Firewall\)$/m);
    assert.match(out, /^ +1 {2}\{00000000-c0de-4000-8000-00000000c0de\} \(Contoso EDR\)$/m);
    assert.match(out, /^ +6 {2}block$/m);
    assert.match(out, /^ +2 {2}callout$/m);
    assert.match(out, /^ +85081 {2}block +policy-rule +MPSSVC_WF +ALE_AUTH_CONNECT_V4 +Block Telnet$/m);
    assert.match(out, /^ +78700 {2}block +stealth /m);
    assert.doesNotMatch(out, /Allow Remote Desktop/, 'permit filters only with --all');
  });

  it('--all lists every filter', async () => {
    const io = captureIo();
    assert.equal(await main(['filters', '--file', SYNTHETIC_FILTERS, '--all'], io), 0);
    assert.match(io.out(), /^ +85090 {2}permit +- +MPSSVC_WF .*Allow Remote Desktop$/m);
  });

  it('--json gives one document with counts and every filter', async () => {
    const io = captureIo();
    assert.equal(await main(['filters', '--file', SYNTHETIC_FILTERS, '--json'], io), 0);
    const doc = JSON.parse(io.out()) as {
      filterCount: number;
      byAction: Record<string, number>;
      byProvider: Array<{ providerKey: string; rulesetName: string | null; count: number }>;
      filters: Array<{ filterId: number; blockKind: string | null; ruleName: string | null }>;
    };
    assert.equal(doc.filterCount, 9);
    assert.deepEqual(doc.byAction, { block: 6, callout: 2, permit: 1 });
    assert.deepEqual(doc.byProvider[0], { providerKey: 'FWPM_PROVIDER_MPSSVC_WF', rulesetName: 'Windows Defender Firewall', count: 5 });
    const telnet = doc.filters.find((f) => f.filterId === 85081);
    assert.equal(telnet?.blockKind, 'policy-rule');
    assert.equal(telnet?.ruleName, 'Block Telnet');
  });

  it('off Windows without --file: one line, exit 2', async () => {
    const io = captureIo();
    const cmd = createFiltersCommand({ platform: 'linux', run: async () => ({ exitCode: 0, stdout: '', stderr: '' }), tempPath: () => '' });
    assert.equal(await cmd.run([], io), 2);
    assert.equal(io.err(), 'wfp-agent filters: a live snapshot (netsh wfp show filters) needs Windows; give --file FILE with a recorded one.\n');
  });

  it('on Windows without --file: takes a live snapshot through netsh (recorded output here)', async () => {
    const io = captureIo();
    const tmp = `/tmp/wfp-agent-filters-test-${process.pid}.xml`;
    const seen: string[][] = [];
    const cmd = createFiltersCommand({
      platform: 'win32',
      run: async (file, args) => {
        seen.push([file, ...args]);
        writeFileSync(tmp, readFileSync(SYNTHETIC_FILTERS));
        return { exitCode: 0, stdout: '', stderr: '' };
      },
      tempPath: () => tmp,
    });
    assert.equal(await cmd.run(['--json'], io), 0);
    assert.deepEqual(seen, [['netsh', 'wfp', 'show', 'filters', `file=${tmp}`]]);
    assert.equal((JSON.parse(io.out()) as { source: string }).source, 'netsh wfp show filters');
  });

  it('a netsh failure on Windows is one line, exit 1', async () => {
    const io = captureIo();
    const cmd = createFiltersCommand({
      platform: 'win32',
      run: async () => ({ exitCode: 1, stdout: 'The requested operation requires elevation (Run as administrator).\r\n', stderr: '' }),
      tempPath: () => '/nonexistent/dir/x.xml',
    });
    assert.equal(await cmd.run([], io), 1);
    assert.equal(io.err(), 'wfp-agent filters: netsh wfp show filters exited with 1: The requested operation requires elevation (Run as administrator).\n');
  });

  it('a file that is not netsh output: one line, exit 1; bad options: exit 2', async () => {
    const io = captureIo();
    assert.equal(await main(['filters', '--file', 'package.json'], io), 1);
    assert.equal(io.err().split('\n').filter(Boolean).length, 1);
    assert.match(io.err(), /package\.json: not well-formed XML/);
    const io2 = captureIo();
    assert.equal(await main(['filters', '--bogus'], io2), 2);
    const io3 = captureIo();
    assert.equal(await main(['filters', 'extra'], io3), 2);
  });

  it('lists the real zh-CN snapshot: counts match an independent count of the XML', { skip: zhCnSkip() }, async () => {
    const sample = zhCnSample()!;
    const path = `/tmp/wfp-agent-zh-${process.pid}.xml`;
    writeFileSync(path, sample.bytes);
    const io = captureIo();
    assert.equal(await main(['filters', '--file', path, '--json'], io), 0);
    const doc = JSON.parse(io.out()) as { filterCount: number; byAction: Record<string, number>; byProvider: Array<{ providerKey: string; count: number }> };
    const filters = sample.text.slice(0, sample.text.indexOf('</filters>'));
    const actions = [...filters.matchAll(/<action>\s*<type>FWP_ACTION_(\w+)</g)].map((m) => m[1]!);
    assert.equal(doc.filterCount, actions.length);
    assert.equal(doc.byAction['block'], actions.filter((a) => a === 'BLOCK').length);
    assert.equal(doc.byAction['permit'], actions.filter((a) => a === 'PERMIT').length);
    assert.equal(doc.byAction['callout'], actions.filter((a) => a.startsWith('CALLOUT')).length);
    const wf = doc.byProvider.find((p) => p.providerKey === 'FWPM_PROVIDER_MPSSVC_WF');
    assert.equal(wf?.count, (filters.match(/<providerKey>FWPM_PROVIDER_MPSSVC_WF</g) ?? []).length);
    const none = doc.byProvider.find((p) => p.providerKey === '');
    assert.equal(none?.count, (filters.match(/<providerKey\/>/g) ?? []).length);
  });
});
