// The part of edge-js the agent runs on Windows: its loader (lib/edge.js and the one helper it requires), the
// prebuilt .NET Framework native module for the pinned Node's major version, and the Visual C++ runtime DLLs it
// links against. On Windows, edge-js's own install script copies those DLLs into each version folder (a native
// module's dependencies are looked up in its own folder); the package does the same at build time, so nothing
// runs at install. Not shipped: the build/ folder (a Linux build that lib/edge.js would prefer), the CoreCLR
// module and its bootstrap, edge-cs (compiles inline C#; the agent loads a prebuilt assembly).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const VC_RUNTIME_DLLS = ['concrt140.dll', 'msvcp140.dll', 'vccorlib140.dll', 'vcruntime140.dll'] as const;

export interface StagedFile {
  /** Path inside the package, with forward slashes. */
  readonly to: string;
  /** Absolute source path. */
  readonly from: string;
}

export interface EdgeJsSelection {
  readonly version: string;
  readonly files: readonly StagedFile[];
}

export function selectEdgeJsFiles(edgeDir: string, nodeMajor: number, packageDir = 'agent/node_modules/edge-js'): EdgeJsSelection {
  const manifest = JSON.parse(readFileSync(join(edgeDir, 'package.json'), 'utf8')) as { version: string };
  const native = `lib/native/win32/x64/${nodeMajor}`;
  const picks: [string, string][] = [
    ['package.json', 'package.json'],
    ['LICENSE', 'LICENSE'],
    ['lib/edge.js', 'lib/edge.js'],
    ['tools/checkMono.js', 'tools/checkMono.js'],
    [`${native}/edge_nativeclr.node`, `${native}/edge_nativeclr.node`],
    [`${native}/node.version`, `${native}/node.version`],
    ...VC_RUNTIME_DLLS.map((dll): [string, string] => [`lib/native/win32/x64/${dll}`, `${native}/${dll}`]),
  ];
  const files = picks.map(([from, to]) => ({ from: join(edgeDir, from), to: `${packageDir}/${to}` }));
  const missing = files.filter((f) => !existsSync(f.from));
  if (missing.length > 0) {
    throw new Error(
      `edge-js ${manifest.version} has no Windows x64 build for Node ${nodeMajor} (missing ${missing.map((f) => f.from).join(', ')}); pick an edge-js that ships lib/native/win32/x64/${nodeMajor}`,
    );
  }
  return { version: manifest.version, files };
}
