// Stages import downward only: the graph of imports between agent/ folders (type imports included) has no cycle.
// A cycle is named with the files that make it, so the fix is where the message points.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const AGENT = join(import.meta.dirname, '..', '..', 'agent');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'dotnet' ? [] : sourceFiles(path);
    return /\.(ts|mjs)$/.test(e.name) ? [path] : [];
  });
}

const stageOf = (file: string): string | null => {
  const parts = relative(AGENT, file).split(sep);
  return parts.length > 1 ? (parts[0] ?? null) : null;
};

/** stage → stage it imports → one file that does it. */
function stageGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(AGENT)) {
    const from = stageOf(file);
    if (from === null) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)) {
      const to = stageOf(normalize(join(dirname(file), m[1] ?? '')));
      if (to === null || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, relative(AGENT, file));
      graph.set(from, edges);
    }
  }
  return graph;
}

function findCycle(graph: Map<string, Map<string, string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (stage: string): string[] | null => {
    if (state.get(stage) === 'done') return null;
    if (state.get(stage) === 'open') return [...path.slice(path.indexOf(stage)), stage];
    state.set(stage, 'open');
    path.push(stage);
    for (const next of graph.get(stage)?.keys() ?? []) {
      const cycle = visit(next);
      if (cycle !== null) return cycle;
    }
    path.pop();
    state.set(stage, 'done');
    return null;
  };
  for (const stage of graph.keys()) {
    const cycle = visit(stage);
    if (cycle !== null) return cycle;
  }
  return null;
}

describe('stage imports', () => {
  it('have no cycle between agent/ folders', () => {
    const graph = stageGraph();
    assert.ok(graph.size > 10, 'the walk found the stages');
    const cycle = findCycle(graph);
    const explain = (c: string[]): string =>
      c.slice(1).map((to, i) => `${c[i]} → ${to} (${graph.get(c[i] ?? '')?.get(to) ?? '?'})`).join(', ');
    assert.equal(cycle, null, cycle === null ? '' : `import cycle: ${explain(cycle)}`);
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    const graph = new Map([['a', new Map([['b', 'a/x.ts']])], ['b', new Map([['a', 'b/y.ts']])]]);
    assert.deepEqual(findCycle(graph), ['a', 'b', 'a']);
  });
});
