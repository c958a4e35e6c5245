// Loads edge-js from one absolute folder and nowhere else. A bare require('edge-js') searches every parent
// node_modules up to the drive root (C:\node_modules is writable by any user on a default Windows), and edge-js
// obeys EDGE_NATIVE (which native module to load), EDGE_USE_CORECLR, EDGE_BOOTSTRAP_DIR, ... from the environment:
// either would let someone else's code into a LocalSystem service. So the agent drops every EDGE_* variable and
// requires edge-js by its absolute folder: <repo>/node_modules/edge-js in a checkout, <INSTALLDIR>\agent\
// node_modules\edge-js in the Windows package (the package build rewrites DEFAULT_EDGE_JS_DIR's URL).
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BridgeCallResult } from './bridge-host.ts';

export const DEFAULT_EDGE_JS_DIR = fileURLToPath(new URL('../../node_modules/edge-js/', import.meta.url));

export interface EdgeJsLoadOptions {
  /** Absolute folder of edge-js (its package.json). */
  readonly dir: string;
  /** The environment edge-js reads; its EDGE_* variables are removed (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** EDGE_* variables set after the removal, e.g. EDGE_USE_CORECLR=1 for the CoreCLR build the tests use. */
  readonly edgeEnvironment?: Readonly<Record<string, string>>;
  /** Loads a module by absolute path (default: Node's require). */
  readonly requireModule?: (path: string) => unknown;
}

/** Removes every EDGE_* variable (any case: Windows names are case-insensitive); returns the names removed. */
export function dropEdgeVariables(env: NodeJS.ProcessEnv): string[] {
  const removed = Object.keys(env).filter((name) => name.toUpperCase().startsWith('EDGE_')).sort();
  for (const name of removed) delete env[name];
  return removed;
}

export function loadEdgeJs(options: EdgeJsLoadOptions): BridgeCallResult<unknown> {
  if (!isAbsolute(options.dir)) return { ok: false, error: `edge-js must be given as an absolute folder, got '${options.dir}'.` };
  const env = options.env ?? process.env;
  dropEdgeVariables(env);
  for (const [name, value] of Object.entries(options.edgeEnvironment ?? {})) {
    if (!name.toUpperCase().startsWith('EDGE_')) return { ok: false, error: `Only EDGE_* variables can be set for edge-js, got '${name}'.` };
    env[name] = value;
  }
  // The folder's package.json, explicitly: a path to a folder would also be tried as <dir>.js first.
  const entry = join(options.dir, 'package.json');
  const load = options.requireModule ?? createRequire(import.meta.url);
  try {
    const manifest = load(entry) as { main?: unknown };
    const main = typeof manifest.main === 'string' ? manifest.main : 'index.js';
    return { ok: true, value: load(join(options.dir, main)) };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `Cannot load edge-js from ${options.dir} (${text.split('\n')[0] ?? text}); the live source needs the Windows package.` };
  }
}
