// The alert rules shipped in deploy/alerts: valid for Prometheus, and their promtool unit tests pass.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PROMTOOL, SETUP_HINT } from './metrics-backends.ts';
import { needs } from '../helpers/test-dependency.ts';

const rules = fileURLToPath(new URL('../../deploy/alerts/wfp-agent.rules.yml', import.meta.url));
const ruleTests = fileURLToPath(new URL('../../deploy/alerts/wfp-agent.rules.test.yml', import.meta.url));

async function promtool(...args: string[]): Promise<{ code: number; out: string }> {
  return promisify(execFile)(PROMTOOL!, args).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
  );
}

describe('deploy/alerts rules', { skip: needs('promtool', PROMTOOL === null ? `promtool not found: ${SETUP_HINT}` : null) }, () => {
  it('promtool check rules accepts them', async () => {
    const r = await promtool('check', 'rules', rules);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /SUCCESS: 6 rules found/);
  });

  it('promtool test rules: each alert fires when it should and not before', async () => {
    const r = await promtool('test', 'rules', ruleTests);
    assert.equal(r.code, 0, r.out);
  });
});
