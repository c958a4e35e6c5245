// Central settings by policy: recorded `reg query` output (English and German Windows) → the policy layer,
// and the precedence policy > file > install > default (+ env) with each value's origin.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandRunner } from '../../../agent/audit/index.ts';
import { createConfigCommand } from '../../../agent/cli/commands/config-command.ts';
import { buildPolicyLayer, loadEffectiveConfig, parseRegQuery, POLICY_KEY } from '../../../agent/policy/index.ts';
import type { EffectiveConfigOptions } from '../../../agent/policy/index.ts';
import { captureIo } from '../../helpers/capture-io.ts';
import { fixture } from '../../helpers/fixtures.ts';

const recorded = (name: string) => readFileSync(fixture('windows-commands', name), 'utf8');
const EN = recorded('reg-query-policies.en-US.txt');
const DE_INVALID = recorded('reg-query-policies-invalid.de-DE.txt');
const TOKEN_FILE = 'C:\\ProgramData\\wfp-block-agent\\otlp-token.txt';
const dir = mkdtempSync(join(tmpdir(), 'wfp-policy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** reg.exe as a fake: the recorded stdout/stderr and exit code; every call noted. */
function regRunner(code: number, stdout: string, stderr = ''): CommandRunner & { calls: string[][] } {
  const calls: string[][] = [];
  return { calls, run: async (file, args) => (calls.push([file, ...args]), { code, stdout, stderr, timedOut: false }) };
}

const readText = (files: Record<string, string>) => (path: string) => files[path] ?? (path.startsWith(dir) ? safeRead(path) : null);
function safeRead(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

describe('reg query output', () => {
  it('reads values per subkey from English output', () => {
    const tree = parseRegQuery(EN, POLICY_KEY);
    assert.deepEqual([...tree.keys()], ['', 'OtlpHeaders', 'ResourceAttributes']);
    assert.deepEqual(tree.get('')?.get('PrometheusEnabled'), { type: 'REG_DWORD', data: '0x1' });
    assert.deepEqual(tree.get('')?.get('LoggedBlockKinds'), { type: 'REG_MULTI_SZ', data: 'policy-rule\\0app-container' });
    assert.deepEqual(tree.get('OtlpHeaders')?.get('authorization'), { type: 'REG_SZ', data: `file:${TOKEN_FILE}` });
  });

  it('reads German output the same way and skips the unnamed value, whose label is translated', () => {
    const tree = parseRegQuery(DE_INVALID, 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\wfp-block-agent');
    assert.deepEqual([...tree.get('')!.keys()], ['OtlpEndpoint', 'OtlpProtocol', 'PrometheusEnabled', 'AuditPolicyMode']);
    assert.equal(tree.get('ResourceAttributes')?.get('standort')?.data, 'Koeln');
  });
});

describe('policy layer', () => {
  it('turns every policy into its config key; header references resolve from the environment and a file', () => {
    const layer = buildPolicyLayer(parseRegQuery(EN, POLICY_KEY), {
      env: (n) => (n === 'OTLP_API_KEY' ? 'key-from-env' : undefined),
      readText: (p) => (p === TOKEN_FILE ? 'Bearer token-from-file\r\n' : null),
    });
    assert.deepEqual(layer.problems, []);
    assert.deepEqual(layer.data, {
      exporters: {
        otlp: { endpoint: 'https://otel.contoso.example:4318', protocol: 'http/json', headers: { 'x-api-key': 'key-from-env', authorization: 'Bearer token-from-file' } },
        prometheus: { enabled: true },
      },
      service: { resource_attributes: { site: 'ber-1', team: 'netsec' } },
      audit_policy: { mode: 'verify' },
      events: { packet_drops: 'count' },
      filters: { log_block_kinds: ['policy-rule', 'app-container'] },
    });
    assert.deepEqual(layer.applied, ['OtlpEndpoint', 'OtlpProtocol', 'OtlpHeaders', 'ResourceAttributes', 'AuditPolicyMode', 'PacketDrops', 'LoggedBlockKinds', 'PrometheusEndpoint']);
  });

  it('refuses bad values one line each naming the policy, never echoes a plain header value, and keeps the good ones', () => {
    const layer = buildPolicyLayer(parseRegQuery(DE_INVALID, POLICY_KEY), { env: () => undefined, readText: () => null });
    assert.deepEqual(layer.problems, [
      `${POLICY_KEY}\\OtlpProtocol (policy OtlpProtocol): exporters.otlp.protocol: expected one of "http/protobuf", "http/json", found "grpc"`,
      `${POLICY_KEY}\\OtlpHeaders\\x-api-key (policy OtlpHeaders): exporters.otlp.headers: expected env:NAME or file:PATH (a plain value in the registry is readable by every user); the value was not used`,
      `${POLICY_KEY}\\PrometheusEnabled (policy PrometheusEndpoint): exporters.prometheus.enabled: expected REG_DWORD 1 or 0, found REG_DWORD "0x2"`,
    ]);
    assert.ok(!layer.problems.join('\n').includes('s3cr3t'));
    assert.deepEqual(layer.data, {
      exporters: { otlp: { endpoint: 'https://otel.contoso.example:4318' } },
      service: { resource_attributes: { standort: 'Koeln' } },
      audit_policy: { mode: 'enforce' },
    });
  });

  it('names a missing environment variable or unreadable file behind a header reference', () => {
    const layer = buildPolicyLayer(parseRegQuery(EN, POLICY_KEY), { env: () => undefined, readText: () => null });
    assert.match(layer.problems.join('\n'), /OtlpHeaders\\authorization \(policy OtlpHeaders\): exporters\.otlp\.headers: cannot read the file C:\\ProgramData/);
    assert.match(layer.problems.join('\n'), /OtlpHeaders\\x-api-key \(policy OtlpHeaders\): exporters\.otlp\.headers: environment variable OTLP_API_KEY is not set/);
    assert.equal((layer.data['exporters'] as { otlp: Record<string, unknown> }).otlp['headers'], undefined, 'no half-applied header list');
  });
});

describe('precedence: policy > file > install > default, key by key', () => {
  const configPath = join(dir, 'agent.yaml');
  writeFileSync(
    configPath,
    [
      'service:',
      '  resource_attributes: {site: file-site, owner: file-owner}',
      'events:',
      '  packet_drops: off',
      'exporters:',
      '  otlp:',
      '    endpoint: https://file.example:4318',
      '    protocol: http/protobuf',
      '    headers: {x-tenant: blue}',
      'audit_policy:',
      '  mode: enforce',
      '',
    ].join('\n'),
  );
  // install.yaml as WfpAgentService.exe install-finish writes it from the MSI properties (agent/config/install-overlay.ts).
  writeFileSync(
    join(dir, 'install.yaml'),
    '# Written by WfpAgentService.exe install-finish from the MSI properties.\r\notlp_endpoint: "https://install.example:4318"\r\notlp_headers: "x-install=1"\r\nresource_attributes: "site=install-site,region=eu"\r\naudit_mode: "off"\r\n',
  );
  const options = (runner: CommandRunner | undefined, env: Record<string, string> = {}): EffectiveConfigOptions => ({
    configPath,
    env: (n) => env[n] ?? (n === 'OTLP_API_KEY' ? 'k' : undefined),
    runner,
    systemRoot: 'C:\\Windows',
    readText: readText({ [TOKEN_FILE]: 'Bearer t' }),
  });

  it('applies the recorded policy over the file and install.yaml, and names each origin', async () => {
    const runner = regRunner(0, EN);
    const loaded = await loadEffectiveConfig(options(runner, { OTEL_EXPORTER_OTLP_TIMEOUT: '5000' }));
    assert.deepEqual(runner.calls, [['C:\\Windows\\System32\\reg.exe', 'query', POLICY_KEY, '/s']]);
    const c = loaded.config;
    assert.equal(c.exporters.otlp.endpoint, 'https://otel.contoso.example:4318');
    assert.equal(c.exporters.otlp.protocol, 'http/json');
    assert.deepEqual(c.exporters.otlp.headers, { 'x-install': '1', 'x-tenant': 'blue', 'x-api-key': 'k', authorization: 'Bearer t' });
    assert.deepEqual(c.service.resource_attributes, { site: 'ber-1', region: 'eu', owner: 'file-owner', team: 'netsec' });
    assert.equal(c.events.packet_drops, 'count');
    assert.equal(c.audit_policy.mode, 'verify');
    const o = Object.fromEntries(loaded.origins);
    assert.equal(o['exporters.otlp.endpoint'], 'policy');
    assert.equal(o['exporters.otlp.headers.x-install'], 'install');
    assert.equal(o['service.resource_attributes.region'], 'install');
    assert.equal(o['exporters.otlp.headers.x-tenant'], 'file');
    assert.equal(o['exporters.otlp.headers.x-api-key'], 'policy');
    assert.equal(o['service.resource_attributes.owner'], 'file');
    assert.equal(o['service.resource_attributes.site'], 'policy');
    assert.equal(o['audit_policy.mode'], 'policy');
    assert.equal(o['audit_policy.subcategories'], 'default');
    assert.equal(o['exporters.prometheus.port'], 'default');
    assert.equal(o['exporters.otlp.timeout_ms'], 'env');
    assert.deepEqual(loaded.policyProblems, []);
  });

  it('without a policy (reg exits 1, German error text), file then install then defaults decide', async () => {
    const loaded = await loadEffectiveConfig(options(regRunner(1, '', recorded('reg-query-missing.de-DE.stderr.txt'))));
    assert.equal(loaded.config.exporters.otlp.endpoint, 'https://file.example:4318');
    assert.equal(loaded.origins.get('exporters.otlp.endpoint'), 'file');
    // The file's `mode: enforce` is the bundled default's value (the MSI installs that file): the install property wins.
    assert.equal(loaded.config.audit_policy.mode, 'off');
    assert.equal(loaded.origins.get('audit_policy.mode'), 'install');
    assert.deepEqual(loaded.config.service.resource_attributes, { site: 'file-site', region: 'eu', owner: 'file-owner' });
    assert.deepEqual(loaded.policyProblems, []);
    assert.equal(loaded.origins.get('exporters.otlp.timeout_ms'), undefined, 'unset everywhere: not listed');
  });

  it('invalid policy values are left out with one line each; the file value stays', async () => {
    const loaded = await loadEffectiveConfig(options(regRunner(0, DE_INVALID)));
    assert.equal(loaded.policyProblems.length, 3);
    assert.equal(loaded.config.exporters.otlp.protocol, 'http/protobuf');
    assert.equal(loaded.origins.get('exporters.otlp.protocol'), 'file');
    assert.equal(loaded.config.exporters.prometheus.enabled, false);
    assert.equal(loaded.config.audit_policy.mode, 'enforce');
    assert.equal(loaded.origins.get('audit_policy.mode'), 'policy');
    assert.equal(loaded.origins.get('exporters.prometheus.enabled'), 'default');
  });

  it('a failed registry read is one line and no policy', async () => {
    const loaded = await loadEffectiveConfig(options(regRunner(5, '', 'ERROR: Access is denied.\r\n')));
    assert.deepEqual(loaded.policyProblems, [`${POLICY_KEY}: reading the policy failed (reg query exited 5: ERROR: Access is denied.); the policy values are not used`]);
    assert.equal(loaded.origins.get('exporters.otlp.endpoint'), 'file');
  });

  it('config print shows each value with its origin', async () => {
    const io = captureIo();
    const code = await createConfigCommand({ platform: 'win32', runner: regRunner(0, EN) }).run(['print', configPath], { ...io, env: { OTLP_API_KEY: 'k' } });
    assert.equal(code, 0, io.err());
    const out = io.out();
    assert.match(out, /^ {4}endpoint: https:\/\/otel\.contoso\.example:4318 # policy$/m);
    assert.match(out, /^ {4}region: eu # install$/m);
    assert.match(out, /^ {2}packet_drops: count # policy$/m);
    assert.match(out, /^ {6}x-install: <redacted> # install$/m);
    assert.match(out, /^ {6}x-tenant: <redacted> # file$/m);
    assert.match(out, /^ {4}port: 9464 # default$/m);
    // The token file is not on this machine: one line, the header list left out, everything else applied.
    assert.equal(io.err(), `wfp-agent config print: ${POLICY_KEY}\\OtlpHeaders\\authorization (policy OtlpHeaders): exporters.otlp.headers: cannot read the file ${TOKEN_FILE}\n`);
  });
});
