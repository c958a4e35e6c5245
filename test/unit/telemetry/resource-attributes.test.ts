import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../agent/config/index.ts';
import { parseResourceAttributesVariable, serviceResourceAttributes, SERVICE_NAME } from '../../../agent/telemetry/index.ts';
import { AGENT_VERSION } from '../../../agent/shared/index.ts';

describe('OTEL_RESOURCE_ATTRIBUTES', () => {
  it('reads key=value pairs, trims spaces and percent-decodes values', () => {
    const r = parseResourceAttributesVariable(' site=berlin , team=net%20ops,k.x=a%2Cb%3Dc,empty= ');
    assert.deepEqual(r, { ok: true, value: { site: 'berlin', team: 'net ops', 'k.x': 'a,b=c', empty: '' } });
    assert.deepEqual(parseResourceAttributesVariable(''), { ok: true, value: {} });
    assert.deepEqual(parseResourceAttributesVariable('a=1,a=2'), { ok: true, value: { a: '2' } }, 'the last one wins, as in baggage');
    assert.deepEqual(parseResourceAttributesVariable('a=1,, b=2 ,'), { ok: true, value: { a: '1', b: '2' } }, 'empty entries (a template\'s trailing comma) are skipped');
    const proto = parseResourceAttributesVariable('__proto__=x,constructor=y');
    assert.ok(proto.ok);
    assert.deepEqual(Object.entries(proto.value), [['__proto__', 'x'], ['constructor', 'y']], 'ordinary keys, not prototype tricks');
  });

  for (const [value, why] of [
    ['site', /entry 1 \("site"\): expected key=value/],
    ['=berlin', /entry 1 \("=berlin"\): expected key=value/],
    ['a=1,b', /entry 2 \("b"\): expected key=value/],
    ['a=100%', /entry 1 \("a=100%"\): the value is not valid percent-encoded UTF-8/],
    ['a=%FF', /entry 1 \("a=%FF"\): the value is not valid percent-encoded UTF-8/],
    ['a=v;p=1', /entry 1 \("a=v;p=1"\): baggage properties \(;…\) are not supported/],
    ['my key=1', /entry 1 .*: the key must be a non-empty token/],
  ] as const) {
    it(`refuses ${JSON.stringify(value)} in one line naming the variable`, () => {
      const r = parseResourceAttributesVariable(value);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.match(r.problem, /^OTEL_RESOURCE_ATTRIBUTES: /);
        assert.match(r.problem, why);
        assert.doesNotMatch(r.problem, /\n/);
      }
    });
  }
});

describe('service resource attributes', () => {
  const service = (yaml: string) => parseConfig(yaml, { file: 't.yaml', env: () => undefined }).service;
  const resolve = (yaml: string, env: Record<string, string>, hostId = 'host-1') =>
    serviceResourceAttributes({ service: service(yaml), env: (n) => env[n], hostId, fallbackInstanceId: () => 'random-id' });

  it('defaults: the agent name and version, the host id as instance, no environment', () => {
    assert.deepEqual(resolve('', {}), {
      ok: true,
      value: { 'service.name': SERVICE_NAME, 'service.instance.id': 'host-1', 'service.version': AGENT_VERSION },
    });
    const noHost = resolve('', {}, '');
    assert.equal(noHost.ok && noHost.value['service.instance.id'], 'random-id');
  });

  it('takes the environment, then config key by key; service.version is always the agent', () => {
    const env = {
      OTEL_RESOURCE_ATTRIBUTES: 'site=berlin,team=env-team,service.name=from-attrs,service.instance.id=env-id,service.version=9.9',
      OTEL_SERVICE_NAME: 'wfp-edge',
    };
    const fromEnv = resolve('', env);
    assert.deepEqual(fromEnv.ok && fromEnv.value, {
      'service.name': 'wfp-edge',
      site: 'berlin',
      team: 'env-team',
      'service.instance.id': 'env-id',
      'service.version': AGENT_VERSION,
    });
    const withConfig = resolve(
      'service:\n  instance_id: cfg-id\n  environment: production\n  resource_attributes: {team: netops, service.name: cfg-name}\n',
      env,
    );
    assert.deepEqual(withConfig.ok && withConfig.value, {
      'service.name': 'cfg-name',
      site: 'berlin',
      team: 'netops',
      'service.instance.id': 'cfg-id',
      'deployment.environment.name': 'production',
      'service.version': AGENT_VERSION,
    });
  });

  it('refuses service.version in the config, in one line', () => {
    assert.throws(
      () => parseConfig('service:\n  resource_attributes: {site: a, service.version: "9"}\n', { file: 't.yaml', env: () => undefined }),
      /t\.yaml:2: service\.resource_attributes: expected a key the agent does not set itself, found "service\.version"/,
    );
  });

  it('keeps a __proto__ key from the environment and from config as an attribute', () => {
    const r = resolve('service:\n  resource_attributes: {__proto__: cfg}\n', { OTEL_RESOURCE_ATTRIBUTES: 'constructor=env' });
    assert.ok(r.ok);
    assert.equal(Object.getOwnPropertyDescriptor(r.value, '__proto__')?.value, 'cfg');
    assert.equal(Object.getOwnPropertyDescriptor(r.value, 'constructor')?.value, 'env');
  });

  it('an empty OTEL_SERVICE_NAME is unset; a malformed OTEL_RESOURCE_ATTRIBUTES is refused', () => {
    const r = resolve('', { OTEL_SERVICE_NAME: '  ' });
    assert.equal(r.ok && r.value['service.name'], SERVICE_NAME);
    const bad = resolve('', { OTEL_RESOURCE_ATTRIBUTES: 'site' });
    assert.equal(bad.ok, false);
  });
});
