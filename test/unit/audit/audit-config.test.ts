import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig, parseConfig } from '../../../agent/config/index.ts';
import { buildDesiredPolicy, parseDurationMs } from '../../../agent/audit/index.ts';

const parse = (yaml: string) => parseConfig(yaml, { file: 'agent.yaml', env: () => undefined });

function problems(yaml: string): string[] {
  try {
    parse(yaml);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('audit_policy config', () => {
  it('the bundled agent.yaml says what the schema defaults say', () => {
    assert.deepEqual(loadConfig(undefined).audit_policy, parse('').audit_policy);
  });

  it('defaults: block and drop failures, filter-change and audit-policy-change successes, no allowed-connection successes', () => {
    const config = parse('').audit_policy;
    assert.equal(config.mode, 'enforce');
    assert.equal(parseDurationMs(config.check_interval), 300_000);
    assert.deepEqual(config.security_log, { min_size_mb: 256, check_retention: true });
    const policy = buildDesiredPolicy(config);
    assert.ok(policy.ok);
    assert.deepEqual(
      policy.value.entries.map((e) => [e.subcategory.guid, e.desired.success, e.desired.failure]),
      [
        ['{0CCE9226-69AE-11D9-BED3-505054503030}', false, true],
        ['{0CCE9225-69AE-11D9-BED3-505054503030}', null, true],
        ['{0CCE9233-69AE-11D9-BED3-505054503030}', true, null],
        ['{0CCE922F-69AE-11D9-BED3-505054503030}', true, null],
      ],
    );
  });

  it('reports bad values with the YAML line', () => {
    assert.deepEqual(problems('audit_policy:\n  check_interval: soon\n'), [
      'agent.yaml:2: audit_policy.check_interval: expected text matching ^[0-9]+(ms|s|m|h)$, found "soon"',
    ]);
    assert.match(problems('audit_policy:\n  subcategories:\n    Logon: { sucess: true }\n')[0]!, /^agent\.yaml:3: audit_policy\.subcategories\.Logon\.sucess: unknown key; did you mean 'success'\?/);
    assert.match(problems('audit_policy:\n  security_log:\n    min_size_mb: -1\n')[0]!, /^agent\.yaml:3: audit_policy\.security_log\.min_size_mb: expected a number >= 0/);
    assert.match(problems('audit_policy:\n  checkInterval: 5m\n')[0]!, /did you mean 'check_interval'\?/);
  });

  it('names every bad subcategory key in one report', () => {
    const r = buildDesiredPolicy(parse('audit_policy:\n  subcategories:\n    Logon: { success: true }\n    "{0cce9215-69ae-11d9-bed3-505054503030}": { failure: true }\n    Nonsense: { failure: true }\n').audit_policy);
    assert.ok(!r.ok);
    assert.deepEqual(r.detail.split('\n').map((l) => l.split(':')[0]), [
      'audit_policy.subcategories.{0cce9215-69ae-11d9-bed3-505054503030}',
      'audit_policy.subcategories.Nonsense',
    ]);
    assert.match(r.detail, /names the same subcategory as 'Logon'/);
  });
});
