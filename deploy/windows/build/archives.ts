// The two artifacts from the staged folder: the MSI (wixl) and the zip (Info-ZIP), each with a .sha256 in
// `sha256sum -c` format. Both tools come from Debian (test/setup/steps/30-packaging.sh).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

export interface WixlInput {
  /** wixl resolves File sources relative to where it runs. */
  readonly cwd: string;
  readonly sources: readonly string[];
  readonly defines: Readonly<Record<string, string>>;
  readonly output: string;
  readonly epochSeconds: number;
}

export function buildMsi(input: WixlInput): void {
  rmSync(input.output, { force: true });
  const defines = Object.entries(input.defines)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([k, v]) => ['-D', `${k}=${v}`]);
  execFileSync('wixl', ['--arch', 'x64', '-o', input.output, ...defines, ...input.sources], {
    cwd: input.cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, SOURCE_DATE_EPOCH: String(input.epochSeconds), TZ: 'UTC' },
  });
}

/** Zip of the stage's files in the given (sorted) order, no folder entries, no extra fields, UTC times. */
export function buildZip(stageDir: string, files: readonly string[], output: string): void {
  rmSync(output, { force: true });
  execFileSync('zip', ['-X', '-D', '-q', '-9', output, '-@'], {
    cwd: stageDir,
    input: `${files.join('\n')}\n`,
    stdio: ['pipe', 'inherit', 'inherit'],
    env: { ...process.env, TZ: 'UTC' },
  });
}

export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Writes <file>.sha256 ("<hex>  <name>") and returns the hex digest. */
export function writeChecksum(path: string): string {
  const hex = sha256Of(path);
  writeFileSync(`${path}.sha256`, `${hex}  ${basename(path)}\n`);
  return hex;
}
