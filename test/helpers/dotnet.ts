// `dotnet` for the tests that build and test the C# projects (the bridge, the service host): one place for its
// environment, its time limit and how a run is reported.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DOTNET_ENV: NodeJS.ProcessEnv = { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1' };
/** A node:test timeout above dotnet's own limit below, so dotnet's message is what a slow run reports. */
export const DOTNET_TEST_TIMEOUT_MS = 540_000;

export interface DotnetRun {
  readonly code: number;
  readonly output: string;
}

/** Runs `dotnet ARGS` in the repository root; never rejects (a failure is a code and its output). */
export function dotnet(args: readonly string[], env: NodeJS.ProcessEnv = DOTNET_ENV): Promise<DotnetRun> {
  return new Promise((resolve) => {
    execFile('dotnet', [...args], { cwd: REPO_ROOT, env, timeout: 480_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

export const hasDotnet = (): Promise<boolean> =>
  new Promise((resolve) => execFile('dotnet', ['--version'], { env: DOTNET_ENV }, (error) => resolve(error === null)));
