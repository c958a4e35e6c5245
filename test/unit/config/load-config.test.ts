import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig, parseConfig } from '../../../agent/config/index.ts';

function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(text, { file: 'agent.yaml', env: (n) => env[n] });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.message.split('\n');
  }
  assert.fail('expected the config to be rejected');
}

describe('loadConfig', () => {
  it('loads the bundled default with every default filled in', () => {
    const config = loadConfig(undefined);
    assert.deepEqual(config.events.collect, [5031, 5150, 5151, 5152, 5153, 5155, 5157, 5159, 5441, 5447, 4719, 1102]);
    assert.equal(config.events.include_allowed, false);
    assert.equal(config.network.learn_from_events, true);
  });

  it('fills defaults for keys the file leaves out', () => {
    const config = parseConfig('events:\n  include_allowed: true\n', { file: 'x' });
    assert.equal(config.events.include_allowed, true);
    assert.equal(config.events.packet_drops, 'log');
    assert.deepEqual(config.network.local_addresses, []);
  });

  it('rejects an unknown key with its line and a suggestion', () => {
    assert.deepEqual(problemsOf('service:\n  environment: prod\nevents:\n  colect: [5157]\n'), [
      "agent.yaml:4: events.colect: unknown key; did you mean 'collect'? Valid keys: collect, include_allowed, packet_drops, aggregate_window_s, aggregate_max_keys, rate_limits.",
    ]);
  });

  it('suggests the snake_case form of a camelCase key', () => {
    const [line] = problemsOf('auditPolicy: {}\n');
    assert.match(line ?? '', /^agent\.yaml:1: auditPolicy: unknown key; did you mean 'audit_policy'\?/);
  });

  it('names the key, the line, the expected and the found value', () => {
    assert.deepEqual(problemsOf('events:\n\n  packet_drops: maybe\n'), [
      'agent.yaml:3: events.packet_drops: expected one of "log", "aggregate", "count", "off", found "maybe"',
    ]);
  });

  it('reports every problem, not only the first', () => {
    assert.equal(problemsOf('events:\n  packet_drops: 3\n  include_allowed: "yes"\n').length, 2);
  });

  it('fills ${env:NAME} and reports a missing variable with its line', () => {
    const config = parseConfig('service:\n  environment: ${env:DEPLOY_ENV}-eu\n', {
      file: 'x',
      env: (n) => (n === 'DEPLOY_ENV' ? 'prod' : undefined),
    });
    assert.equal(config.service.environment, 'prod-eu');
    assert.deepEqual(problemsOf('service:\n  environment: ${env:MISSING_VAR}\n'), [
      'agent.yaml:2: service.environment: environment variable MISSING_VAR is not set',
    ]);
  });

  it('turns YAML syntax errors and non-mapping documents into located problems', () => {
    assert.match(problemsOf('events: [\n')[0] ?? '', /^agent\.yaml:\d+: YAML syntax: /);
    assert.deepEqual(problemsOf('- a\n- b\n'), ['agent.yaml:1: expected a mapping of keys at the top level']);
  });

  it('rejects duplicate keys', () => {
    assert.match(problemsOf('state_dir: a\nstate_dir: b\n')[0] ?? '', /YAML syntax: .*[Uu]nique/);
  });

  it('reports an unreadable file as a ConfigError, not a crash', () => {
    assert.throws(() => loadConfig('/nonexistent/agent.yaml'), (e: unknown) => {
      return e instanceof ConfigError && /cannot read the file \(ENOENT\)/.test(e.message);
    });
  });
});
