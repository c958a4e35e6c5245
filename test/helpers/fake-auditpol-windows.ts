// A whole fake Windows for the audit stage: auditpol + wevtutil + reg behind one CommandRunner (routed by the
// program's file name, as the agent calls them by full path), an in-memory file system, and the two broken
// runners the tests need (a tool that hangs until its timeout, a tool that cannot run).
import { win32 } from 'node:path';
import type { AuditFs, CommandOutcome, CommandRunner } from '../../agent/audit/index.ts';
import type { FakeAuditpol, FakeLocale } from './fake-auditpol.ts';
import { createFakeAuditpol } from './fake-auditpol.ts';
import type { FakeWevtutil, RegKey } from './fake-wevtutil.ts';
import { createFakeReg, createFakeWevtutil } from './fake-wevtutil.ts';

export interface FakeCall {
  readonly tool: string;
  readonly args: readonly string[];
}

export interface FakeWindows {
  readonly runner: CommandRunner;
  readonly auditpol: FakeAuditpol;
  readonly wevtutil: FakeWevtutil;
  readonly fs: MemoryFs;
  readonly calls: FakeCall[];
  /** The calls that change the machine (auditpol /set, /restore; wevtutil sl). */
  changes(): FakeCall[];
}

export interface FakeWindowsOptions {
  readonly locale?: FakeLocale;
  readonly initial?: Readonly<Record<string, number>>;
  readonly registry?: Readonly<Record<string, RegKey>>;
  readonly securityLog?: { maxSizeBytes?: number; retention?: boolean; autoBackup?: boolean };
  readonly files?: Readonly<Record<string, string>>;
}

export function createFakeWindows(options: FakeWindowsOptions = {}): FakeWindows {
  const fs = createMemoryFs(options.files);
  const auditpol = createFakeAuditpol({ fs, ...(options.locale ? { locale: options.locale } : {}), ...(options.initial ? { initial: options.initial } : {}) });
  const wevtutil = createFakeWevtutil(options.securityLog);
  const reg = createFakeReg(options.registry ?? {});
  const calls: FakeCall[] = [];
  const runner: CommandRunner = {
    run(file, args) {
      const tool = win32.basename(file).toLowerCase().replace(/\.exe$/, '');
      calls.push({ tool, args: [...args] });
      if (tool === 'auditpol') return auditpol.run(args);
      if (tool === 'wevtutil') return wevtutil.run(args);
      if (tool === 'reg') return reg.run(args);
      return Promise.resolve({ code: null, stdout: '', stderr: `cannot start ${file}: ENOENT`, timedOut: false });
    },
  };
  return {
    runner,
    auditpol,
    wevtutil,
    fs,
    calls,
    changes: () =>
      calls.filter(
        (c) => (c.tool === 'auditpol' && (c.args[0] === '/set' || c.args[0] === '/restore')) || (c.tool === 'wevtutil' && c.args[0] === 'sl'),
      ),
  };
}

/** Every call hangs until its timeout, then reports what execFile reports for a killed process. */
export function createHangingRunner(): CommandRunner & { started: number } {
  const runner = {
    started: 0,
    run(_file: string, _args: readonly string[], { timeoutMs }: { timeoutMs: number }): Promise<CommandOutcome> {
      runner.started++;
      return new Promise((resolve) => setTimeout(() => resolve({ code: null, stdout: '', stderr: '', timedOut: true }), timeoutMs));
    },
  };
  return runner;
}

/** Every call fails the way an unelevated auditpol does (exit 1314 with its message). */
export function createFailingRunner(code = 1314, message = 'Error 0x00000522 occurred:\r\nA required privilege is not held by the client.\r\n'): CommandRunner {
  return { run: () => Promise.resolve({ code, stdout: '', stderr: message, timedOut: false }) };
}

export interface MemoryFs extends AuditFs {
  readonly files: Map<string, Uint8Array>;
  text(path: string): string | undefined;
}

/** AuditFs over a Map; folders exist implicitly. Paths are compared as given (use one style per test). */
export function createMemoryFs(initial: Readonly<Record<string, string>> = {}): MemoryFs {
  const files = new Map<string, Uint8Array>(Object.entries(initial).map(([p, t]) => [p, new TextEncoder().encode(t)]));
  const dirs = new Set<string>();
  const under = (path: string): string[] =>
    [...files.keys(), ...dirs]
      .filter((p) => p.startsWith(`${path}/`) || p.startsWith(`${path}\\`))
      .map((p) => p.slice(path.length + 1).split(/[\\/]/)[0]!);
  return {
    files,
    text: (path) => {
      const bytes = files.get(path);
      return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
    },
    async readFile(path) {
      const bytes = files.get(path);
      if (bytes === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
      return bytes;
    },
    async writeFile(path, data) {
      files.set(path, new TextEncoder().encode(data));
    },
    async remove(path) {
      files.delete(path);
    },
    async rename(from, to) {
      const bytes = files.get(from);
      if (bytes === undefined) throw new Error(`ENOENT: ${from}`);
      files.delete(from);
      files.set(to, bytes);
    },
    async mkdirp(path) {
      dirs.add(path);
    },
    async exists(path) {
      return files.has(path) || dirs.has(path) || under(path).length > 0;
    },
    async list(path) {
      return [...new Set(under(path))];
    },
  };
}
