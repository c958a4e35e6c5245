// install.yaml (the MSI's properties, written by install-finish beside agent.yaml) under the config file: what
// the service actually runs with after `msiexec /i ... OTLP_ENDPOINT=... AUDIT_MODE=verify`. Precedence, key by
// key: file > install > default, where the file counts only where it differs from the bundled agent.yaml.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyInstallOverlay, ConfigError, loadConfig, loadLocalConfig, parseInstallOverlay, readInstallOverlay } from '../../../agent/config/index.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'install-overlay-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A ProgramData-like folder: agent.yaml (default: the bundled config) and install.yaml when given. */
function dataDir(name: string, installYaml?: string, agentYaml?: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  if (agentYaml === undefined) copyFileSync(join(root, 'config', 'agent.yaml'), join(dir, 'agent.yaml'));
  else writeFileSync(join(dir, 'agent.yaml'), agentYaml);
  if (installYaml !== undefined) writeFileSync(join(dir, 'install.yaml'), installYaml);
  return join(dir, 'agent.yaml');
}

const INSTALL_YAML = [
  '# Written by WfpAgentService.exe install-finish from the MSI properties.',
  'otlp_endpoint: "https://otlp.example.net:4318"',
  'otlp_headers: "api-key=s3cr%3Dt,x-team=netops"',
  'otlp_protocol: "http/json"',
  'resource_attributes: "deployment.environment.name=prod,site=berlin%2C%20dc2"',
  'audit_mode: "verify"',
  '',
].join('\r\n');

describe('install.yaml beside the config', () => {
  it('sets endpoint, headers, protocol, resource attributes and audit mode over the default config', () => {
    const config = loadLocalConfig(dataDir('full', INSTALL_YAML), () => undefined);
    assert.equal(config.exporters.otlp.endpoint, 'https://otlp.example.net:4318');
    assert.deepEqual(config.exporters.otlp.headers, { 'api-key': 's3cr=t', 'x-team': 'netops' });
    assert.equal(config.exporters.otlp.protocol, 'http/json');
    assert.deepEqual(config.service.resource_attributes, { 'deployment.environment.name': 'prod', site: 'berlin, dc2' });
    // The default agent.yaml says enforce; the install property wins.
    assert.equal(config.audit_policy.mode, 'verify');
  });

  it('changes nothing when there is no install.yaml, and leaves out empty properties', () => {
    const without = loadLocalConfig(dataDir('none'), () => undefined);
    const reference = loadConfig(join(root, 'config', 'agent.yaml'), () => undefined);
    assert.deepEqual(without, reference);
    const empty = loadLocalConfig(dataDir('empty', 'otlp_endpoint: ""\notlp_headers:\naudit_mode: ""\n'), () => undefined);
    assert.deepEqual(empty, reference);
  });

  it('merges headers and resource attributes key by key; what agent.yaml itself sets wins', () => {
    const agentYaml = 'service:\n  resource_attributes: {site: munich, team: netops}\nexporters:\n  otlp:\n    endpoint: http://collector:4318\n    headers: {x-team: secops, x-keep: "1"}\n';
    const config = loadLocalConfig(dataDir('merge', INSTALL_YAML, agentYaml), () => undefined);
    assert.deepEqual(config.exporters.otlp.headers, { 'api-key': 's3cr=t', 'x-team': 'secops', 'x-keep': '1' });
    assert.deepEqual(config.service.resource_attributes, { 'deployment.environment.name': 'prod', site: 'munich', team: 'netops' });
    assert.equal(config.exporters.otlp.endpoint, 'http://collector:4318');
    // A key agent.yaml leaves out (protocol, audit mode) comes from the install properties.
    assert.equal(config.exporters.otlp.protocol, 'http/json');
    assert.equal(config.audit_policy.mode, 'verify');
  });

  it('refuses a bad install.yaml with one line per problem, naming the file, line and property', () => {
    const path = dataDir('bad', 'otlp_endpoint: ftp://x\naudit_mode: fix\notlp_headers: "novalue"\nresource_attributes: "service.version=9"\nproxy: x\notlp_protocol: grpc\n');
    assert.throws(
      () => loadLocalConfig(path, () => undefined),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const file = join(work, 'bad', 'install.yaml');
        assert.deepEqual(error.message.split('\n'), [
          `${file}:5: proxy: unknown install property; expected one of otlp_endpoint, otlp_headers, otlp_protocol, resource_attributes, audit_mode`,
          `${file}:1: otlp_endpoint: expected an http:// or https:// URL, got 'ftp://x'`,
          `${file}:2: audit_mode: expected enforce, verify or off, got 'fix'`,
          `${file}:3: otlp_headers: expected key=value pairs separated by commas, got 'novalue'`,
          `${file}:4: resource_attributes: service.version is the agent's own and cannot be set`,
          `${file}:6: otlp_protocol: expected http/protobuf or http/json, got 'grpc'`,
        ]);
        return true;
      },
    );
  });

  it('reports an unreadable install.yaml in one line, and a missing one as none', () => {
    const eacces = Object.assign(new Error('denied'), { code: 'EACCES' });
    assert.throws(() => readInstallOverlay('/data/agent.yaml', () => { throw eacces; }), { name: 'ConfigError', message: /^\/data\/install\.yaml: cannot read the file \(EACCES\)$/ });
    const enoent = Object.assign(new Error('missing'), { code: 'ENOENT' });
    assert.equal(readInstallOverlay('/data/agent.yaml', () => { throw enoent; }), null);
  });

  it('lays the overlay over a copy: the parsed document is not changed', () => {
    const document = { exporters: { otlp: { headers: { a: '1' } } } };
    const result = applyInstallOverlay(document, parseInstallOverlay('otlp_headers: "b=2"', 'install.yaml'));
    assert.deepEqual(document, { exporters: { otlp: { headers: { a: '1' } } } });
    assert.deepEqual(result, { exporters: { otlp: { headers: { a: '1', b: '2' } } } });
  });
});
