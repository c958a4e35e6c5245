// The agent as one ESM file (esbuild): agent/cli/wfp-agent.ts and the production modules it imports, with a
// linked source map. No TypeScript is stripped at run time and nothing is resolved from node_modules on the target.
//
// Files the agent finds next to its sources (`new URL('<relative>', import.meta.url)`) sit elsewhere in the
// package; ASSETS maps each repo path to its package path and the plugin rewrites the URL for the bundle's place
// (agent/wfp-agent.mjs). An asset missing from the table stops the build, so a new one cannot break the package
// silently.
import { build } from 'esbuild';
import type { Metafile, Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Where the bundle goes inside the package. */
export const BUNDLE_PATH = 'agent/wfp-agent.mjs';

/** Repo path -> package path of every file the agent locates relative to its own modules. */
export const ASSETS: Readonly<Record<string, string>> = {
  'config/agent.yaml': 'config/agent.yaml',
  'config/agent.schema.json': 'config/agent.schema.json',
  'agent/bridge/dotnet/WfpBridge/bin/Release/net48/WfpBlockAgent.Bridge.dll': 'agent/bridge/WfpBlockAgent.Bridge.dll',
  'node_modules/edge-js/': 'agent/node_modules/edge-js/',
  // The test-only synthetic source (needs an environment variable and a hidden option) defaults to the repo's
  // CoreCLR build of edge-js; in the package that default is the package's own edge-js.
  '.tools/edge-js/node_modules/edge-js': 'agent/node_modules/edge-js',
  // `wfp-agent demo` replays the bundled real events (see DEMO_EVENTS in package-windows.ts).
  'test/fixtures/': 'demo/',
};

const ASSET_URL = /new URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;

/** Rewrites one module's asset URLs for the bundle; throws naming the module and the asset it cannot place. */
export function rewriteAssetUrls(source: string, modulePath: string, root: string): string {
  return source.replace(ASSET_URL, (_match, _quote: string, target: string) => {
    const trailing = target.endsWith('/') ? '/' : '';
    const repoPath = relative(root, resolve(dirname(modulePath), target)).split(sep).join('/') + trailing;
    const packagePath = ASSETS[repoPath];
    if (packagePath === undefined) {
      throw new Error(`${relative(root, modulePath)}: '${target}' (${repoPath}) has no place in the package; add it to ASSETS in deploy/windows/build/bundle-agent.ts`);
    }
    let fromBundle = relative(dirname(BUNDLE_PATH), packagePath).split(sep).join('/') + (packagePath.endsWith('/') ? '/' : '');
    if (!fromBundle.startsWith('.')) fromBundle = `./${fromBundle}`;
    return `new URL(${JSON.stringify(fromBundle)}, import.meta.url)`;
  });
}

/** esbuild plugin applying rewriteAssetUrls to the agent's modules (also used by test/bench/package-rss.bench.ts). */
export function assetUrlPlugin(root: string): Plugin {
  return {
    name: 'wfp-asset-urls',
    setup(b) {
      b.onLoad({ filter: /[\\/]agent[\\/].*\.(ts|mjs)$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        return { contents: rewriteAssetUrls(source, args.path, root), loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
      });
    },
  };
}

export interface BundleResult {
  /** Every input file (repo-relative) the bundle holds: the notices come from the node_modules among them. */
  readonly inputs: readonly string[];
}

export async function bundleAgent(root: string, stageDir: string): Promise<BundleResult> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'agent', 'cli', 'wfp-agent.ts')],
    outfile: join(stageDir, BUNDLE_PATH),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    sourcemap: 'linked',
    // The notices file carries every licence; comments only cost parse time.
    legalComments: 'none',
    minifyWhitespace: true,
    minifySyntax: true,
    // CommonJS dependencies (ajv, yaml, ...) call require() for Node's own modules; ESM has no require.
    banner: { js: "import { createRequire as __wfpCreateRequire } from 'node:module'; const require = __wfpCreateRequire(import.meta.url);" },
    plugins: [assetUrlPlugin(root)],
    metafile: true,
    logLevel: 'warning',
  });
  return { inputs: Object.keys((result.metafile as Metafile).inputs).sort() };
}
