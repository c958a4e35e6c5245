// In-process stand-ins for wevtutil.exe (gl/sl of the Security channel) and reg.exe (query), with the exit
// codes and messages of the real tools for the cases the agent meets.
import type { CommandOutcome } from '../../agent/audit/index.ts';

export interface FakeWevtutil {
  run(args: readonly string[]): Promise<CommandOutcome>;
  maxSizeBytes: number;
  retention: boolean;
  autoBackup: boolean;
  elevated: boolean;
}

export function createFakeWevtutil(initial: { maxSizeBytes?: number; retention?: boolean; autoBackup?: boolean } = {}): FakeWevtutil {
  const out = (code: number, stdout: string, stderr = ''): CommandOutcome => ({ code, stdout, stderr, timedOut: false });
  const fake: FakeWevtutil = {
    maxSizeBytes: initial.maxSizeBytes ?? 20971520,
    retention: initial.retention ?? false,
    autoBackup: initial.autoBackup ?? false,
    elevated: true,
    async run(args) {
      const [verb, channel, ...rest] = args;
      if (channel?.toLowerCase() !== 'security') {
        return out(15007, '', `Failed to read configuration for log ${channel ?? ''}. The specified channel could not be found.\r\n`);
      }
      if (verb === 'gl' && rest.length === 1 && rest[0] === '/f:xml') {
        return out(
          0,
          [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<channel name="Security" enabled="true" type="Admin" owningPublisher="" isolation="Custom" channelAccess="O:BAG:SYD:(A;;0x1;;;S-1-5-32-573)" xmlns="http://schemas.microsoft.com/win/2004/08/events">',
            '  <logging>',
            '    <logFileName>%SystemRoot%\\System32\\Winevt\\Logs\\Security.evtx</logFileName>',
            `    <retention>${fake.retention}</retention>`,
            `    <autoBackup>${fake.autoBackup}</autoBackup>`,
            `    <maxSize>${fake.maxSizeBytes}</maxSize>`,
            '  </logging>',
            '  <publishing>',
            '    <fileMax>1</fileMax>',
            '  </publishing>',
            '</channel>',
            '',
          ].join('\r\n'),
        );
      }
      const size = /^\/ms:(\d+)$/.exec(rest[0] ?? '');
      if (verb === 'sl' && rest.length === 1 && size !== null) {
        if (!fake.elevated) return out(5, '', 'Failed to save configuration or activate log Security. Access is denied.\r\n');
        fake.maxSizeBytes = Number(size[1]);
        return out(0, '');
      }
      return out(87, '', 'The parameter is incorrect.\r\n');
    },
  };
  return fake;
}

export interface RegKey {
  readonly values?: Readonly<Record<string, string>>;
  readonly subkeys?: readonly string[];
}

/** reg.exe query over a map of upper-case key paths (`HKLM\…` or `HKEY_LOCAL_MACHINE\…`). */
export function createFakeReg(keys: Readonly<Record<string, RegKey>>): { run(args: readonly string[]): Promise<CommandOutcome> } {
  const full = (k: string): string => k.replace(/^HKLM\\/i, 'HKEY_LOCAL_MACHINE\\');
  const table = new Map(Object.entries(keys).map(([k, v]) => [full(k).toUpperCase(), { path: full(k), ...v }]));
  const missing: CommandOutcome = {
    code: 1,
    stdout: '',
    stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n',
    timedOut: false,
  };
  return {
    async run(args) {
      if (args[0] !== 'query' || args[1] === undefined) return { code: 1, stdout: '', stderr: 'ERROR: Invalid syntax.\r\n', timedOut: false };
      const key = table.get(full(args[1]).toUpperCase());
      if (key === undefined) return missing;
      const wanted = args[2] === '/v' ? args[3] : undefined;
      const values = Object.entries(key.values ?? {}).filter(([n]) => wanted === undefined || n === wanted);
      if (wanted !== undefined && values.length === 0) return missing;
      const lines = ['', key.path, ...values.map(([n, v]) => `    ${n}    REG_DWORD    ${v}`), ''];
      if (wanted === undefined) lines.push(...(key.subkeys ?? []).map((s) => `${key.path}\\${s}`));
      return { code: 0, stdout: lines.join('\r\n'), stderr: '', timedOut: false };
    },
  };
}
