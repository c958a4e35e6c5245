// An in-process stand-in for auditpol.exe that behaves like the real tool where the agent can tell: it keeps a
// policy, answers /get /subcategory:{GUID} /r (localized Inclusion Setting text), /set, /backup and /restore
// (files through an AuditFs), and fails with auditpol's exit codes and "Error 0x… occurred:" text.
// Its CSV handling is written independently of agent/audit/audit-csv.ts, so the tests check one against the other.
import type { AuditFs, CommandOutcome } from '../../agent/audit/index.ts';
import { SUBCATEGORIES } from '../../agent/audit/index.ts';

export type FakeLocale = 'en-US' | 'de-DE';

const TEXT = {
  'en-US': {
    ok: 'The command was successfully executed.',
    settings: ['No Auditing', 'Success', 'Failure', 'Success and Failure'],
    error: (code: number) => `Error 0x${code.toString(16).padStart(8, '0')} occurred:`,
    messages: {
      87: 'The parameter is incorrect.',
      2: 'The system cannot find the file specified.',
      1314: 'A required privilege is not held by the client.',
    } as Record<number, string>,
  },
  'de-DE': {
    ok: 'Der Befehl wurde erfolgreich ausgeführt.',
    settings: ['Keine Überwachung', 'Erfolg', 'Fehler', 'Erfolg und Fehler'],
    error: (code: number) => `Fehler 0x${code.toString(16).padStart(8, '0')}:`,
    messages: {
      87: 'Falscher Parameter.',
      2: 'Das System kann die angegebene Datei nicht finden.',
      1314: 'Dem Client fehlt ein erforderliches Recht.',
    } as Record<number, string>,
  },
} as const;

const GERMAN_NAMES: Readonly<Record<string, string>> = {
  '{0CCE9226-69AE-11D9-BED3-505054503030}': 'Filterplattformverbindung',
  '{0CCE9225-69AE-11D9-BED3-505054503030}': 'Verworfene Filterplattformpakete',
  '{0CCE9233-69AE-11D9-BED3-505054503030}': 'Filterplattform-Richtlinienänderung',
  '{0CCE922F-69AE-11D9-BED3-505054503030}': 'Überwachungsrichtlinienänderung',
};

export interface FakeAuditpolOptions {
  readonly fs: AuditFs;
  readonly locale?: FakeLocale;
  readonly machineName?: string;
  /** Setting Value (0..3) by upper-case GUID; every other known subcategory starts at 0. */
  readonly initial?: Readonly<Record<string, number>>;
  /** false: every command fails like an unelevated auditpol (0x522). */
  readonly elevated?: boolean;
}

export interface FakeAuditpol {
  run(args: readonly string[]): Promise<CommandOutcome>;
  /** Setting Value by upper-case GUID (the fake's whole system policy). */
  readonly policy: Map<string, number>;
  elevated: boolean;
}

export function createFakeAuditpol(options: FakeAuditpolOptions): FakeAuditpol {
  const locale = options.locale ?? 'en-US';
  const text = TEXT[locale];
  const machine = options.machineName ?? 'WS01';
  const policy = new Map<string, number>(SUBCATEGORIES.map((s) => [s.guid, 0]));
  for (const [guid, value] of Object.entries(options.initial ?? {})) policy.set(guid.toUpperCase(), value);
  const auditOptions = new Map([['CrashOnAuditFail', 0], ['FullPrivilegeAuditing', 0], ['AuditBaseObjects', 0], ['AuditBaseDirectories', 0]]);
  const nameOf = (guid: string): string =>
    (locale === 'de-DE' ? GERMAN_NAMES[guid] : undefined) ?? SUBCATEGORIES.find((s) => s.guid === guid)?.name ?? guid;

  const success = (stdout = `${text.ok}\r\n`): CommandOutcome => ({ code: 0, stdout, stderr: '', timedOut: false });
  // Real auditpol writes "Error 0x… occurred:" and the message to stderr (its usage text, if any, to stdout);
  // the fake exits with the Win32 error code (what ERRORLEVEL shows is not documented; the agent only needs ≠ 0).
  const failure = (code: number): CommandOutcome => ({
    code,
    stdout: '',
    stderr: `${text.error(code)}\r\n${text.messages[code] ?? ''}\r\n`,
    timedOut: false,
  });

  const fake: FakeAuditpol = {
    policy,
    elevated: options.elevated ?? true,
    async run(args) {
      const verb = (args[0] ?? '').toLowerCase();
      const switches = new Map<string, string>();
      for (const a of args.slice(1)) {
        const m = /^\/([a-z]+)(?::(.*))?$/i.exec(a);
        if (m === null) return failure(87);
        switches.set(m[1]!.toLowerCase(), m[2] ?? '');
      }
      if (!['/get', '/set', '/backup', '/restore'].includes(verb)) return failure(87);
      if (!fake.elevated) return failure(1314);

      if (verb === '/get') {
        const guids = (switches.get('subcategory') ?? '').split(',').map((g) => g.trim().toUpperCase());
        if (!switches.has('r') || guids.some((g) => !policy.has(g))) return failure(87);
        const rows = guids.map((g) => `${machine},System,${nameOf(g)},${g},${text.settings[policy.get(g)!]},`);
        return success(
          ['Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting', ...rows, ''].join('\r\n'),
        );
      }
      if (verb === '/set') {
        const guid = (switches.get('subcategory') ?? '').toUpperCase();
        const s = switches.get('success');
        const f = switches.get('failure');
        const valid = (v: string | undefined): boolean => v === undefined || v === 'enable' || v === 'disable';
        if (!policy.has(guid) || (s === undefined && f === undefined) || !valid(s) || !valid(f)) return failure(87);
        let value = policy.get(guid)!;
        if (s !== undefined) value = s === 'enable' ? value | 1 : value & ~1;
        if (f !== undefined) value = f === 'enable' ? value | 2 : value & ~2;
        policy.set(guid, value);
        return success();
      }
      const file = switches.get('file');
      if (file === undefined || file === '') return failure(87);
      if (verb === '/backup') {
        const rows = [...policy].map(([g, v]) => `${machine},System,${nameOf(g)},${g.toLowerCase()},${text.settings[v]},,${v}`);
        const opts = [...auditOptions].map(([n, v]) => `${machine},,Option:${n},,${v === 1 ? 'Enabled' : 'Disabled'},,${v}`);
        const csv = ['Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value', ...rows, ...opts, ''];
        await options.fs.writeFile(file, `\uFEFF${csv.join('\r\n')}`);
        return success();
      }
      // /restore: every subcategory row of the file is applied by GUID and Setting Value.
      let content: string;
      try {
        content = new TextDecoder().decode(await options.fs.readFile(file)).replace(/^\uFEFF/, '');
      } catch {
        return failure(2);
      }
      for (const line of content.split(/\r?\n/).slice(1)) {
        const cells = line.split(',');
        const guid = (cells[3] ?? '').toUpperCase();
        if (cells[1] === 'System' && policy.has(guid) && /^[0-3]$/.test(cells[6] ?? '')) policy.set(guid, Number(cells[6]));
        const option = /^Option:(.+)$/.exec(cells[2] ?? '');
        if (option !== null && auditOptions.has(option[1]!)) auditOptions.set(option[1]!, Number(cells[6]));
      }
      return success();
    },
  };
  return fake;
}
