// What one package build depends on besides the files: the version, the pinned Node, and the time every file and
// archive entry is stamped with (SOURCE_DATE_EPOCH, else the commit's time), so two builds of one commit match.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PackageInputs {
  readonly root: string;
  readonly version: string;
  /** The exact Node the repo pins (package-lock's node_modules/node), shipped as node.exe. */
  readonly nodeVersion: string;
  /** Seconds since 1970; every staged file's mtime and every archive timestamp. */
  readonly sourceDateEpoch: number;
}

interface PackageLock {
  readonly packages: Record<string, { readonly version?: string } | undefined>;
}

export function readPackageInputs(root: string, env: NodeJS.ProcessEnv = process.env): PackageInputs {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as PackageLock;
  const nodeVersion = lock.packages['node_modules/node']?.version;
  if (nodeVersion === undefined) throw new Error('package-lock.json pins no node_modules/node: run npm install');
  return { root, version: pkg.version, nodeVersion, sourceDateEpoch: sourceDateEpoch(root, env) };
}

function sourceDateEpoch(root: string, env: NodeJS.ProcessEnv): number {
  const given = env['SOURCE_DATE_EPOCH'];
  if (given !== undefined && given !== '') {
    if (!/^\d+$/.test(given)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds, got '${given}'`);
    return Number(given);
  }
  const out = execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: root, encoding: 'utf8' }).trim();
  if (!/^\d+$/.test(out)) throw new Error(`cannot read the commit time (git log said '${out}'); set SOURCE_DATE_EPOCH`);
  return Number(out);
}
