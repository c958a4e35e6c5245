// The state folder's protection on Windows, decided from SDDL strings. The descriptors below follow the
// documented defaults (C:\ProgramData's inherited entries, icacls /inheritance:r /grant:r output); they were
// written for these tests, not captured on a machine (no Windows host here).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { judgeAcl, parseSddl, secureStateDir } from '../../../agent/checkpoint/state-dir-acl.ts';
import type { StateDirAclDeps } from '../../../agent/checkpoint/state-dir-acl.ts';

/** What icacls /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F + /setowner *S-1-5-32-544 leaves. */
const PROTECTED = 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)';
/** A folder created under %ProgramData% with inherited entries: Users may read, create files and folders. */
const INHERITED_PROGRAMDATA = 'O:BAG:SYD:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIIOID;GA;;;CO)(A;OICIID;0x1200a9;;;BU)(A;CIID;DCLCRPCR;;;BU)';
/** Pre-created by a local user (owner is that user). */
const USER_OWNED = 'O:S-1-5-21-1004336348-1177238915-682003330-1001G:S-1-5-21-1004336348-1177238915-682003330-513D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)';
/** Authenticated Users with modify rights, as a careless admin may grant. */
const AUTH_USERS_MODIFY = 'O:SYG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;AU)';
/** Everyone read-only, and an explicit deny: both harmless. */
const EVERYONE_READ = 'O:S-1-5-32-544G:SYD:PAI(D;OICI;FA;;;BG)(A;OICI;FA;;;S-1-5-18)(A;OICI;FA;;;S-1-5-32-544)(A;OICI;FR;;;WD)';

describe('state folder ACL decision', () => {
  it('parses owner, protection and entries', () => {
    const parsed = parseSddl(INHERITED_PROGRAMDATA);
    assert.equal(parsed?.owner, 'BA');
    assert.equal(parsed?.protected, false);
    assert.equal(parsed?.aces.length, 5);
    assert.equal(parsed?.aces[3]?.mask, 0x1200a9);
    assert.equal(parseSddl(PROTECTED)?.protected, true);
  });

  it('accepts SYSTEM + Administrators only, and read-only or deny entries for others', () => {
    assert.deepEqual(judgeAcl('The state folder', PROTECTED), { ok: true });
    assert.deepEqual(judgeAcl('The state folder', EVERYONE_READ), { ok: true });
  });

  it('refuses a folder where Users may create files, a user-owned folder, and modify rights for Authenticated Users', () => {
    const inherited = judgeAcl('The state folder', INHERITED_PROGRAMDATA);
    assert.ok(!inherited.ok && /lets BU write/.test(inherited.reason), JSON.stringify(inherited));
    const owned = judgeAcl('The state folder', USER_OWNED);
    assert.ok(!owned.ok && /owned by S-1-5-21-.*-1001, not SYSTEM or Administrators/.test(owned.reason));
    const modify = judgeAcl('The config file', AUTH_USERS_MODIFY);
    assert.ok(!modify.ok && /^The config file lets AU write/.test(modify.reason));
    assert.ok(!judgeAcl('x', 'garbage').ok);
  });
});

function deps(kinds: Record<string, 'missing' | 'reparse-point' | 'directory' | 'file'>, sddl: Record<string, string>) {
  const calls: string[] = [];
  const d: StateDirAclDeps = {
    kind: async (path) => kinds[path] ?? 'missing',
    mkdir: async (path) => {
      calls.push(`mkdir ${path}`);
      kinds[path] = 'directory';
    },
    run: async (file, args) => {
      calls.push(`${file} ${args.join(' ')}`);
      if (file === 'icacls.exe') {
        sddl[args[0]!] = PROTECTED;
        return { code: 0, stdout: '', stderr: '' };
      }
      const path = /LiteralPath '(.*)'\)/.exec(args.at(-1)!)?.[1]?.replaceAll("''", "'") ?? '';
      return { code: 0, stdout: `${sddl[path] ?? ''}\r\n`, stderr: '' };
    },
  };
  return { d, calls };
}

describe('secureStateDir', () => {
  const dir = 'C:\\ProgramData\\wfp-block-agent\\state';
  const config = "C:\\ProgramData\\wfp-block-agent\\agent's.yaml";

  it('creates a missing folder with a protected DACL by SID, then checks it and the config', async () => {
    const { d, calls } = deps({ [config]: 'file' }, { [config]: PROTECTED });
    assert.deepEqual(await secureStateDir(dir, config, d), { ok: true });
    assert.equal(calls[0], `mkdir ${dir}`);
    assert.equal(calls[1], `icacls.exe ${dir} /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F /q`);
    assert.equal(calls[2], `icacls.exe ${dir} /setowner *S-1-5-32-544 /q`);
    assert.ok(calls.some((c) => c.includes("Get-Acl -LiteralPath 'C:\\ProgramData\\wfp-block-agent\\agent''s.yaml'")));
  });

  it('refuses a junction, an existing folder Users can write, and a writable config', async () => {
    const junction = await secureStateDir(dir, null, deps({ [dir]: 'reparse-point' }, {}).d);
    assert.ok(!junction.ok && /junction or symbolic link/.test(junction.reason));
    const inherited = await secureStateDir(dir, null, deps({ [dir]: 'directory' }, { [dir]: INHERITED_PROGRAMDATA }).d);
    assert.ok(!inherited.ok && /^The state folder .* lets BU write/.test(inherited.reason));
    const badConfig = await secureStateDir(dir, config, deps({ [dir]: 'directory', [config]: 'file' }, { [dir]: PROTECTED, [config]: AUTH_USERS_MODIFY }).d);
    assert.ok(!badConfig.ok && /^The config file .* lets AU write/.test(badConfig.reason));
  });
});
