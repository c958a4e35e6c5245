// A state folder (and config file) nobody but SYSTEM and Administrators can change, on Windows.
//
// The state dir holds the checkpoint, status, the audit-policy backup that `audit restore` applies, and may sit
// beside a client key. Under %ProgramData% a folder created with inherited ACLs lets Users create files in it.
// At start on Windows: a missing folder is created with a protected DACL (SYSTEM + Administrators full control,
// nothing else); a reparse point (junction, symlink) is refused; a folder or config file whose owner or DACL
// lets anyone else write is refused with one line. The DACL is read as SDDL (SIDs and SDDL aliases, the same in
// every Windows language) through PowerShell's Get-Acl; the decision below is pure and tested on Linux.

/** SIDs that may own or write: SYSTEM, Administrators, TrustedInstaller (SDDL aliases and their full forms). */
const TRUSTED = new Set(['SY', 'S-1-5-18', 'BA', 'S-1-5-32-544', 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464']);

/** Rights that change a folder or file: write/append data (add file/subfolder), delete, WRITE_DAC, WRITE_OWNER, ... */
const WRITE_MASK = 0x2 | 0x4 | 0x10 | 0x40 | 0x100 | 0x10000 | 0x40000 | 0x80000 | 0x10000000 | 0x40000000;
const RIGHT_TOKENS: Readonly<Record<string, number>> = {
  GA: 0x10000000, GW: 0x40000000, GR: 0x80000000, GX: 0x20000000,
  FA: 0x1f01ff, FW: 0x120116, FR: 0x120089, FX: 0x1200a0,
  SD: 0x10000, RC: 0x20000, WD: 0x40000, WO: 0x80000,
  CC: 0x1, DC: 0x2, LC: 0x4, SW: 0x8, RP: 0x10, WP: 0x20, DT: 0x40, LO: 0x80, CR: 0x100,
};

export interface Ace {
  readonly type: string;
  readonly flags: string;
  readonly mask: number;
  readonly sid: string;
}

export interface ParsedSddl {
  readonly owner: string;
  readonly protected: boolean;
  readonly aces: readonly Ace[];
}

export function parseSddl(sddl: string): ParsedSddl | null {
  const owner = /O:([A-Z]{2}|S-\d(?:-\d+)+)/.exec(sddl)?.[1];
  const dacl = /D:([A-Z]*)((?:\([^)]*\))*)/.exec(sddl);
  if (owner === undefined || dacl === null) return null;
  const aces: Ace[] = [];
  for (const match of (dacl[2] ?? '').matchAll(/\(([^)]*)\)/g)) {
    const [type = '', flags = '', rights = '', , , sid = ''] = (match[1] ?? '').split(';');
    const mask = rightsMask(rights);
    if (mask === null) return null;
    aces.push({ type, flags, mask, sid });
  }
  return { owner, protected: (dacl[1] ?? '').includes('P'), aces };
}

function rightsMask(rights: string): number | null {
  if (/^0x[0-9a-f]+$/i.test(rights)) return Number.parseInt(rights, 16);
  let mask = 0;
  for (let i = 0; i < rights.length; i += 2) {
    const bits = RIGHT_TOKENS[rights.slice(i, i + 2)];
    if (bits === undefined) return null;
    mask |= bits;
  }
  return mask;
}

export type AclVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Refuses an owner or an allow ACE that lets anyone but SYSTEM/Administrators/TrustedInstaller write. */
export function judgeAcl(what: string, sddl: string): AclVerdict {
  const parsed = parseSddl(sddl);
  if (parsed === null) return { ok: false, reason: `${what}: its security descriptor could not be read (${sddl.slice(0, 80)})` };
  if (!TRUSTED.has(parsed.owner)) {
    return { ok: false, reason: `${what} is owned by ${parsed.owner}, not SYSTEM or Administrators: its owner could change it` };
  }
  for (const ace of parsed.aces) {
    // Inherit-only entries (IO) apply to children only, and children are judged when used; deny entries never widen.
    if (ace.type !== 'A' || ace.flags.includes('IO') || TRUSTED.has(ace.sid)) continue;
    if ((ace.mask & WRITE_MASK) !== 0) {
      return { ok: false, reason: `${what} lets ${ace.sid} write (ACE ${ace.type};${ace.flags};0x${ace.mask.toString(16)}): only SYSTEM and Administrators may` };
    }
  }
  return { ok: true };
}

export interface AclCommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface StateDirAclDeps {
  readonly run: (file: string, args: readonly string[]) => Promise<AclCommandResult>;
  /** 'missing' | 'reparse-point' | 'directory' | 'file' */
  readonly kind: (path: string) => Promise<'missing' | 'reparse-point' | 'directory' | 'file'>;
  readonly mkdir: (path: string) => Promise<void>;
}

/** The SDDL of a file or folder, via PowerShell (SIDs and aliases: locale-independent). */
async function readSddl(path: string, deps: StateDirAclDeps): Promise<string | { error: string }> {
  const literal = path.replaceAll("'", "''");
  const out = await deps.run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', `(Get-Acl -LiteralPath '${literal}').Sddl`]);
  if (out.code !== 0) return { error: `Get-Acl failed (${(out.stderr || out.stdout).trim().split('\n')[0] ?? ''})` };
  return out.stdout.trim();
}

/**
 * Creates the state folder protected when missing, then checks it and the config file. One line when refused.
 * Windows only; the caller skips it elsewhere.
 */
export async function secureStateDir(stateDir: string, configFile: string | null, deps: StateDirAclDeps): Promise<AclVerdict> {
  let kind = await deps.kind(stateDir);
  if (kind === 'reparse-point') return { ok: false, reason: `The state folder ${stateDir} is a junction or symbolic link; refusing to use it` };
  if (kind === 'file') return { ok: false, reason: `The state folder ${stateDir} is a file` };
  if (kind === 'missing') {
    await deps.mkdir(stateDir);
    // Protected (no inheritance), SYSTEM and Administrators full control, owned by Administrators; SIDs, not names.
    const set = await deps.run('icacls.exe', [stateDir, '/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F', '/q']);
    if (set.code !== 0) return { ok: false, reason: `Could not protect the new state folder ${stateDir}: ${(set.stderr || set.stdout).trim().split('\n')[0] ?? ''}` };
    const owner = await deps.run('icacls.exe', [stateDir, '/setowner', '*S-1-5-32-544', '/q']);
    if (owner.code !== 0) return { ok: false, reason: `Could not set the owner of ${stateDir}: ${(owner.stderr || owner.stdout).trim().split('\n')[0] ?? ''}` };
    kind = 'directory';
  }
  const targets: [string, string][] = [[`The state folder ${stateDir}`, stateDir]];
  if (configFile !== null) {
    if ((await deps.kind(configFile)) === 'reparse-point') return { ok: false, reason: `The config file ${configFile} is a symbolic link; refusing to use it` };
    targets.push([`The config file ${configFile}`, configFile]);
  }
  for (const [what, path] of targets) {
    const sddl = await readSddl(path, deps);
    if (typeof sddl !== 'string') return { ok: false, reason: `${what}: ${sddl.error}` };
    const verdict = judgeAcl(what, sddl);
    if (!verdict.ok) return verdict;
  }
  return { ok: true };
}
