// edge-js comes from one absolute folder, never from a node_modules search, and never steered by EDGE_*
// variables the agent inherited (issue 13, item 8). A stand-in edge-js records what it saw when it loaded.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EDGE_JS_DIR, dropEdgeVariables, loadEdgeJs } from '../../../agent/bridge/index.ts';

const work = mkdtempSync(join(tmpdir(), 'edge-loader-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** An edge-js-shaped package in `dir` that exports its name and the EDGE_* variables present when it loaded. */
function plantEdge(dir: string, name: string): string {
  mkdirSync(join(dir, 'lib'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'edge-js', main: './lib/edge.js' }));
  writeFileSync(
    join(dir, 'lib', 'edge.js'),
    `exports.planted = ${JSON.stringify(name)}; exports.edgeVariables = Object.keys(process.env).filter((k) => /^edge_/i.test(k)).sort();\n`,
  );
  return dir;
}

describe('loadEdgeJs', () => {
  it('drops every inherited EDGE_* variable (any case) before edge-js reads the environment', () => {
    const dir = plantEdge(join(work, 'clean', 'node_modules', 'edge-js'), 'clean');
    const env: NodeJS.ProcessEnv = { WFP_UNRELATED: 'kept', EDGE_NATIVE: 'C:\\Users\\Public\\evil.node', EDGE_USE_CORECLR: '1', edge_debug: '1' };
    const saved = { ...process.env };
    try {
      // edge-js reads process.env: the agent's own environment is the one cleaned.
      Object.assign(process.env, env);
      const loaded = loadEdgeJs({ dir });
      assert.ok(loaded.ok, loaded.ok ? '' : loaded.error);
      assert.deepEqual((loaded.value as { edgeVariables: string[] }).edgeVariables, []);
      assert.equal(process.env['EDGE_NATIVE'], undefined);
      assert.equal(process.env['WFP_UNRELATED'], 'kept');
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it('sets only the EDGE_* variables the caller names, after the drop', () => {
    const dir = plantEdge(join(work, 'coreclr', 'edge-js'), 'coreclr');
    const env: NodeJS.ProcessEnv = { EDGE_NATIVE: '/tmp/evil.node' };
    const requireModule = (path: string): unknown => {
      // What edge-js would see in its environment while it loads.
      if (path.endsWith('edge.js')) return { edgeVariables: Object.keys(env).sort() };
      return { main: './lib/edge.js' };
    };
    const loaded = loadEdgeJs({ dir, env, edgeEnvironment: { EDGE_USE_CORECLR: '1' }, requireModule });
    assert.ok(loaded.ok);
    assert.deepEqual((loaded.value as { edgeVariables: string[] }).edgeVariables, ['EDGE_USE_CORECLR']);
    const refused = loadEdgeJs({ dir, env: {}, edgeEnvironment: { NODE_OPTIONS: '--require x' }, requireModule });
    assert.deepEqual(refused, { ok: false, error: "Only EDGE_* variables can be set for edge-js, got 'NODE_OPTIONS'." });
  });

  it('refuses a bare name or relative path, which Node would search for in every parent node_modules', () => {
    for (const dir of ['edge-js', './node_modules/edge-js', 'node_modules\\edge-js']) {
      const loaded = loadEdgeJs({ dir, env: {} });
      assert.deepEqual(loaded, { ok: false, error: `edge-js must be given as an absolute folder, got '${dir}'.` });
    }
  });

  it('does not fall back to an edge-js planted in a parent folder when its own folder lacks it', () => {
    plantEdge(join(work, 'planted', 'node_modules', 'edge-js'), 'planted');
    const own = join(work, 'planted', 'install', 'agent', 'node_modules', 'edge-js');
    const loaded = loadEdgeJs({ dir: own, env: {} });
    assert.equal(loaded.ok, false);
    assert.match(loaded.ok ? '' : loaded.error, new RegExp(`^Cannot load edge-js from ${own.replace(/[/\\]/g, '.')} \\(Cannot find module`));
  });

  it('defaults to the edge-js beside the agent: the repo dependency here, agent/node_modules/edge-js in the package', () => {
    assert.equal(DEFAULT_EDGE_JS_DIR, join(import.meta.dirname, '..', '..', '..', 'node_modules', 'edge-js') + '/');
  });
});

describe('dropEdgeVariables', () => {
  it('removes EDGE_* names in any case and keeps the rest', () => {
    const env: NodeJS.ProcessEnv = { EDGE_APP_ROOT: 'x', Edge_Bootstrap_Dir: 'y', EDGEX: 'kept', PATH: 'kept', NOT_EDGE_X: 'kept' };
    assert.deepEqual(dropEdgeVariables(env), ['EDGE_APP_ROOT', 'Edge_Bootstrap_Dir']);
    assert.deepEqual(env, { EDGEX: 'kept', PATH: 'kept', NOT_EDGE_X: 'kept' });
  });
});
