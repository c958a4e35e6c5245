// Is this machine's advanced audit policy set by Group Policy? Then enforcing would fight every policy refresh
// (about every 90 minutes), so the governor must not change anything. Evidence, read through injected I/O:
//   - audit.csv files: the local GPO's, the copy the audit client-side extension applied
//     (%SystemRoot%\security\audit\audit.csv), and domain GPOs cached under GroupPolicy\DataStore;
//   - the registry: applied GPOs listed under the Group Policy history key of the audit CSE
//     {F3CCC681-B74C-4060-9F26-CD84525DCA2A} (MS-GPAC §1.9), and SCENoApplyLegacyAuditPolicy.
import type { AuditFs } from './audit-fs.ts';
import { decodeText, parseAuditCsv } from './audit-csv.ts';
import type { CommandRunner } from './command-runner.ts';
import type { ToolPaths } from './windows-commands.ts';
import { regQueryCommand } from './windows-commands.ts';

export interface GpoState {
  /** true: GPO-managed; false: not; null: could not tell (enforce treats it like managed). */
  readonly managed: boolean | null;
  /** Where the evidence was found (file paths, registry keys). */
  readonly sources: readonly string[];
  /** Subcategory GUIDs (canonical) that a GPO audit.csv sets. */
  readonly guids: ReadonlySet<string>;
  /** Things an operator should know that do not decide `managed` (one line each). */
  readonly notes: readonly string[];
  /** Security log maximum size set by policy (EventLog\\Security MaxSize, in KiB), or null when not set. */
  readonly logSizePolicyKb?: number | null;
}

export interface GpoDetector {
  detect(): Promise<GpoState>;
}

/** A detector that always answers the same (off Windows, and for tests). */
export function createFixedGpoDetector(state: GpoState): GpoDetector {
  return { detect: () => Promise.resolve(state) };
}

export const NOT_GPO_MANAGED: GpoState = Object.freeze({ managed: false, sources: [], guids: new Set<string>(), notes: [] });

export const AUDIT_CSE_GUID = '{F3CCC681-B74C-4060-9F26-CD84525DCA2A}';
export const AUDIT_CSE_HISTORY_KEY = `HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Group Policy\\History\\${AUDIT_CSE_GUID}`;
export const LSA_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa';
/** "Specify the maximum log file size (KB)" of the Event Log administrative template. */
export const EVENTLOG_POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\EventLog\\Security';

export interface WindowsGpoDetectorOptions {
  readonly runner: CommandRunner;
  readonly fs: AuditFs;
  readonly tools: ToolPaths;
  readonly systemRoot: string;
  readonly timeoutMs: number;
}

export function createWindowsGpoDetector(options: WindowsGpoDetectorOptions): GpoDetector {
  const { runner, fs, tools, timeoutMs } = options;
  const root = options.systemRoot.replace(/[\\/]+$/, '');
  const gpoAudit = 'Machine\\Microsoft\\Windows NT\\Audit\\audit.csv';

  async function candidateFiles(): Promise<string[]> {
    const files = [`${root}\\System32\\GroupPolicy\\${gpoAudit}`, `${root}\\security\\audit\\audit.csv`];
    const sysvol = `${root}\\System32\\GroupPolicy\\DataStore\\0\\sysvol`;
    for (const domain of await fs.list(sysvol)) {
      for (const gpo of await fs.list(`${sysvol}\\${domain}\\Policies`)) {
        files.push(`${sysvol}\\${domain}\\Policies\\${gpo}\\${gpoAudit}`);
      }
    }
    return files;
  }

  return {
    async detect() {
      const sources: string[] = [];
      const notes: string[] = [];
      const guids = new Set<string>();
      let unknown = false;

      for (const file of await candidateFiles()) {
        if (!(await fs.exists(file))) continue;
        try {
          const parsed = parseAuditCsv(decodeText(await fs.readFile(file)));
          if (!parsed.ok) {
            sources.push(`${file} (unreadable: ${parsed.detail})`);
            continue;
          }
          if (parsed.value.subcategories.size === 0) continue;
          for (const guid of parsed.value.subcategories.keys()) guids.add(guid);
          sources.push(`${file} (${parsed.value.subcategories.size} subcategories)`);
        } catch (error) {
          sources.push(`${file} (unreadable: ${(error as Error).message})`);
        }
      }

      const history = await runner.run(tools.reg, regQueryCommand(tools, AUDIT_CSE_HISTORY_KEY).args, { timeoutMs });
      if (history.code === 0) {
        const applied = history.stdout
          .split(/\r?\n/)
          .filter((l) => l.toUpperCase().startsWith(`HKEY_LOCAL_MACHINE\\SOFTWARE\\MICROSOFT\\WINDOWS\\CURRENTVERSION\\GROUP POLICY\\HISTORY\\${AUDIT_CSE_GUID}\\`));
        if (applied.length > 0) sources.push(`${AUDIT_CSE_HISTORY_KEY} (${applied.length} GPOs with audit settings applied)`);
      } else if (history.code !== 1) {
        unknown = true;
        notes.push(`Could not query ${AUDIT_CSE_HISTORY_KEY}: ${history.timedOut ? 'timed out' : `exit ${history.code}`}.`);
      }

      const legacy = await runner.run(tools.reg, regQueryCommand(tools, LSA_KEY, 'SCENoApplyLegacyAuditPolicy').args, { timeoutMs });
      const flag = /SCENoApplyLegacyAuditPolicy\s+REG_DWORD\s+0x([0-9a-fA-F]+)/.exec(legacy.stdout);
      if (legacy.code === 0 && flag !== null && Number.parseInt(flag[1]!, 16) === 0) {
        notes.push(
          'SCENoApplyLegacyAuditPolicy is 0 ("Force audit policy subcategory settings" disabled): a category-level audit policy can override the subcategory settings.',
        );
      }

      const sizePolicy = await runner.run(tools.reg, regQueryCommand(tools, EVENTLOG_POLICY_KEY, 'MaxSize').args, { timeoutMs });
      const size = /MaxSize\s+REG_DWORD\s+0x([0-9a-fA-F]+)/.exec(sizePolicy.stdout);
      const logSizePolicyKb = sizePolicy.code === 0 && size !== null ? Number.parseInt(size[1]!, 16) : null;

      const managed = sources.length > 0 ? true : unknown ? null : false;
      return { managed, sources, guids, notes, logSizePolicyKb };
    },
  };
}
