// THIRD-PARTY-NOTICES.txt: the licence of everything the package carries that this project did not write,
// generated at build time from the packages themselves (package.json and their LICENSE files), so it cannot drift
// from what is bundled: every npm package whose code is in the bundle (from esbuild's list of inputs), edge-js,
// the Visual C++ runtime DLLs edge-js ships, and Node.js.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NoticeEntry {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  /** The licence text, or a line saying where it is when the package ships none. */
  readonly text: string;
}

/** Package folders (repo-relative, e.g. node_modules/@scope/name) of the bundle's inputs, sorted, no repeats. */
export function packageDirsOf(inputs: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match?.[1] !== undefined) dirs.add(match[1]);
  }
  return [...dirs].sort();
}

const LICENSE_FILE = /^(licen[cs]e|copying)(\.(md|txt))?$/i;

export function npmNotice(dir: string): NoticeEntry {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: unknown };
  const license = typeof pkg.license === 'string' ? pkg.license : 'see the package';
  const file = readdirSync(dir).filter((f) => LICENSE_FILE.test(f)).sort()[0];
  const text = file !== undefined ? readFileSync(join(dir, file), 'utf8') : `The package ships no licence file; its package.json declares ${license}.`;
  return { name: pkg.name, version: pkg.version, license, text };
}

export function renderNotices(product: string, entries: readonly NoticeEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const parts = [
    `${product} includes the following third-party software. Each is listed with its version, its licence and`,
    'the licence text it ships with.',
    '',
    ...sorted.map((e) => `${e.name}@${e.version} (${e.license})`),
  ];
  for (const e of sorted) {
    parts.push('', '='.repeat(100), `${e.name}@${e.version} (${e.license})`, '='.repeat(100), '', e.text.replace(/\r\n/g, '\n').trimEnd());
  }
  // CRLF: the file is read with Notepad on Windows.
  return `${parts.join('\n')}\n`.replace(/\n/g, '\r\n');
}

export function vcRuntimeNotice(edgeVersion: string): NoticeEntry {
  return {
    name: 'Microsoft Visual C++ runtime (concrt140, msvcp140, vccorlib140, vcruntime140)',
    version: `as shipped in edge-js ${edgeVersion}`,
    license: 'Microsoft Visual C++ Redistributable',
    text:
      'These DLLs are redistributable files of the Microsoft Visual C++ Redistributable, distributed by edge-js ' +
      'with its prebuilt native modules and copied unchanged. Their use is governed by the Microsoft Software ' +
      'License Terms for the Microsoft Visual C++ Redistributable (https://visualstudio.microsoft.com/license-terms/).',
  };
}

export function nodeNotice(version: string, licenseFile: string): NoticeEntry {
  if (!existsSync(licenseFile)) throw new Error(`Node's LICENSE is missing (${licenseFile})`);
  return { name: 'Node.js (node.exe)', version, license: 'MIT and the licences of its bundled components', text: readFileSync(licenseFile, 'utf8') };
}
