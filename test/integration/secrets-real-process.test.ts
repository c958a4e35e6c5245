// Secrets never leave the real `wfp-agent` process. Planted secrets: a header from `${env:...}`, a literal
// header, OTEL_EXPORTER_OTLP_HEADERS, the body of the real mTLS client key, and the content of a client key
// file that is no PEM at all. A backend that refuses every request and quotes the request's headers back;
// WFP_AGENT_DEBUG=1 throughout. Grepped: stdout and stderr of `config print`, `config validate`, `replay`,
// `run` (the real bridge's synthetic source), `status` (text and --json), every file the agent wrote in its
// state folder, and the last-resort error output (an injected fault: an uncaught throw in `run`, a failing
// stdout in `config print`, each quoting the secrets, the way an error that quotes a request or a PEM might).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fixture } from '../helpers/fixtures.ts';
import { startOtlpReceiver } from '../helpers/otlp-receiver.ts';
import type { OtlpReceiver, ReceivedRequest } from '../helpers/otlp-receiver.ts';
import { AGENT_CLI, blockTemplates, ROOT, startSyntheticAgent, syntheticAgentSkip } from '../helpers/synthetic-agent.ts';
import type { SyntheticAgent, SyntheticAgentOptions } from '../helpers/synthetic-agent.ts';
import { needs } from '../helpers/test-dependency.ts';

const ENV_SECRET = 'env-planted-S3CRET-7c1f9a';
const YAML_SECRET = 'yaml-literal-S3CRET-42aa';
const OTEL_SECRET = 'otel-variable-S3CRET-0b77';
const BROKEN_KEY_SECRET = 'TLSkey-PLANTED-S3CRET-9f3e';
const ENV = {
  OTLP_TOKEN: ENV_SECRET,
  OTEL_EXPORTER_OTLP_HEADERS: `x-otel-key=${OTEL_SECRET}`,
  WFP_AGENT_DEBUG: '1',
};
const EVENT = fixture('ms-docs/event-5157.xml');
/** The files the test itself puts in the state folder (inputs, not the agent's output). */
const TEST_INPUTS = new Set(['agent.yaml', 'synthetic.json']);

const opensslProblem = ((): string | null => {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'openssl is not installed (it makes the test CA and certificates)';
})();
const skip = syntheticAgentSkip() || needs('openssl', opensslProblem);

const dir = mkdtempSync(join(tmpdir(), 'wfp-secrets-process-'));
const receivers: OtlpReceiver[] = [];
const agents: SyntheticAgent[] = [];
after(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL', 1000)));
  await Promise.all(receivers.map((r) => r.close()));
  for (const a of agents) rmSync(a.stateDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const p = (f: string): string => join(dir, f);

/** A CA, a server certificate for 127.0.0.1 and a client certificate with its key (EC, made fresh here). */
function makeTlsFiles(): void {
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '1', '-subj', '/CN=wfp secrets test CA');
  for (const [name, cn, ext] of [['server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'], ['client', 'wfp-agent', 'extendedKeyUsage=clientAuth\n']] as const) {
    openssl('req', ...ec, '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', `/CN=${cn}`);
    writeFileSync(p(`${name}.cnf`), `basicConstraints=CA:FALSE\n${ext}`);
    openssl('x509', '-req', '-in', p(`${name}.csr`), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p(`${name}.pem`), '-days', '1', '-extfile', p(`${name}.cnf`));
  }
  writeFileSync(p('broken.key'), `${BROKEN_KEY_SECRET}\n`);
}

/** The client key's base64 body lines: none may appear anywhere. */
function clientKeyLines(): string[] {
  return readFileSync(p('client.key'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('-----'));
}

/** A backend that refuses everything and quotes the secret headers first (the agent keeps one short line). */
function echoing(request: ReceivedRequest): { status: number; body: string } {
  const h = request.headers;
  return { status: 401, body: `refused; you sent authorization=${String(h['authorization'])} x-api-key=${String(h['x-api-key'])} x-otel-key=${String(h['x-otel-key'])}` };
}

interface Output {
  readonly where: string;
  readonly text: string;
}

function assertClean(outputs: readonly Output[], secrets: readonly string[]): void {
  for (const { where, text } of outputs) {
    for (const s of secrets) assert.ok(!text.includes(s), `${where} shows the planted secret ${s}:\n${text}`);
  }
}

/**
 * `wfp-agent ARGS` as a real process, with the planted environment. Asynchronous: the receiver lives in this
 * process and must answer meanwhile.
 */
function cli(args: readonly string[], nodeArgs: readonly string[] = []): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...nodeArgs, AGENT_CLI, ...args], { cwd: ROOT, env: { ...process.env, ...ENV }, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

/** Every file under `stateDir` but the test's own inputs, as text. */
function stateFiles(stateDir: string): Output[] {
  const out: Output[] = [];
  for (const entry of readdirSync(stateDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const name = relative(stateDir, path);
    if (!TEST_INPUTS.has(name)) out.push({ where: `state file ${name}`, text: readFileSync(path, 'latin1') });
  }
  return out;
}

function lastError(stateDir: string): string {
  try {
    return String(JSON.parse(readFileSync(join(stateDir, 'status.json'), 'utf8')).export.last_error ?? '');
  } catch {
    return '';
  }
}

async function until(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('secrets never leave the real wfp-agent process', { skip, concurrency: false }, () => {
  let receiver: OtlpReceiver;
  let secrets: string[];
  const agentOptions = (keyFile: string, nodeArgs: readonly string[] = []): SyntheticAgentOptions => ({
    producer: { backlog: 20, rate: 5, templates: blockTemplates([5157]) },
    receiverUrl: receiver.url,
    otlp: {
      timeout_ms: 2000,
      headers: { Authorization: 'Bearer ${env:OTLP_TOKEN}', 'X-Api-Key': YAML_SECRET },
      tls: { ca_file: p('ca.pem'), client_certificate_file: p('client.pem'), client_key_file: keyFile },
    },
    env: ENV,
    captureStdout: true,
    nodeArgs,
  });

  before(async () => {
    makeTlsFiles();
    secrets = [ENV_SECRET, YAML_SECRET, OTEL_SECRET, BROKEN_KEY_SECRET, ...clientKeyLines()];
    const tls = { key: readFileSync(p('server.key'), 'utf8'), cert: readFileSync(p('server.pem'), 'utf8'), clientCa: readFileSync(p('ca.pem'), 'utf8') };
    receiver = await startOtlpReceiver({ answer: echoing, tls });
    receivers.push(receiver);
  });

  it('run over mutual TLS against an echoing backend, then status, config print/validate and replay: no output shows a secret', { timeout: 120_000 }, async () => {
    const agent = startSyntheticAgent(agentOptions(p('client.key')));
    agents.push(agent);
    await until(() => /401/.test(lastError(agent.stateDir)) && /401/.test(agent.stderr()), 60_000, () => `no 401 in status.json / stderr; stderr:\n${agent.stderr()}`);
    assert.equal(await agent.stop('SIGTERM'), 0, agent.stderr());

    // The secrets were really sent (the client key really used: the receiver requires its certificate) and echoed.
    const sent = receiver.requests.at(-1)?.headers ?? {};
    assert.equal(sent['authorization'], `Bearer ${ENV_SECRET}`);
    assert.equal(sent['x-api-key'], YAML_SECRET);
    assert.equal(sent['x-otel-key'], OTEL_SECRET);
    // What the agent kept of the answer: one line, the secrets in it replaced.
    // (A whole remembered value, `Bearer …` or `x-otel-key=…`, is replaced as one.)
    assert.match(lastError(agent.stateDir), /HTTP 401 Unauthorized: refused; you sent authorization=(Bearer )?<redacted> x-api-key=<redacted> (x-otel-key=)?<redacted>$/);

    const outputs: Output[] = [
      { where: 'run stdout', text: agent.stdout() },
      { where: 'run stderr', text: agent.stderr() },
      ...stateFiles(agent.stateDir),
    ];
    assert.ok(outputs.some((o) => o.where === 'state file status.json'), outputs.map((o) => o.where).join(', '));
    const commands: [string, string[]][] = [
      ['status', ['status', '--config', agent.configFile]],
      ['status --json (state folder only: this process knows no secret)', ['status', '--json', '--state-dir', agent.stateDir]],
      ['config print', ['config', 'print', agent.configFile]],
      ['config validate', ['config', 'validate', agent.configFile]],
      ['replay', ['replay', '--config', agent.configFile, EVENT]],
    ];
    for (const [where, args] of commands) {
      const r = await cli(args);
      outputs.push({ where: `${where} stdout`, text: r.stdout }, { where: `${where} stderr`, text: r.stderr });
      if (where.startsWith('status')) assert.match(r.stdout, /401/, `${where} shows the failure`);
      if (where === 'config print') assert.match(r.stdout, /Authorization: <redacted>/);
      if (where === 'replay') assert.match(r.stderr, /401/);
    }
    outputs.push(...stateFiles(agent.stateDir).map((o) => ({ ...o, where: `${o.where} (after the commands)` })));
    assertClean(outputs, secrets);
  });

  it('a client key file that is no PEM, then an uncaught error quoting the secrets (WFP_AGENT_DEBUG=1): one redacted line and a stack', { timeout: 120_000 }, async () => {
    // The injected fault: on SIGUSR2, a throw nobody catches, quoting the token and the key file's content.
    const fault = p('fault.mjs');
    writeFileSync(fault, `import { readFileSync } from 'node:fs';\nprocess.on('SIGUSR2', () => {\n  throw new Error(\`injected fault: token \${process.env.OTLP_TOKEN}, key \${readFileSync(${JSON.stringify(p('broken.key'))}, 'utf8')}\`);\n});\n`);
    const agent = startSyntheticAgent(agentOptions(p('broken.key'), ['--import', fault]));
    agents.push(agent);
    await until(() => lastError(agent.stateDir) !== '', 60_000, () => `no export error in status.json; stderr:\n${agent.stderr()}`);
    agent.child.kill('SIGUSR2');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([agent.exited, new Promise((r) => (timer = setTimeout(() => r('still running after 20 s'), 20_000)))]);
    clearTimeout(timer);
    assert.equal(code, 1, agent.stderr());
    assert.match(agent.stderr(), /wfp-agent: unexpected error: injected fault: token <redacted>, key <redacted>/);
    assert.match(agent.stderr(), /\n\s+at .*fault\.mjs/, 'WFP_AGENT_DEBUG=1 prints the stack');
    assertClean([{ where: 'run stdout', text: agent.stdout() }, { where: 'run stderr', text: agent.stderr() }, ...stateFiles(agent.stateDir)], secrets);
  });

  it('the last-resort handler of a command that fails unexpectedly (stdout throws, quoting the token) prints it redacted, with the stack', { timeout: 60_000 }, async () => {
    const fault = p('stdout-fault.mjs');
    writeFileSync(fault, "process.stdout.write = () => { throw new Error(`stdout is gone; it was writing ${process.env.OTLP_TOKEN}`); };\n");
    const config = p('print.yaml');
    writeFileSync(config, `exporters:\n  otlp:\n    endpoint: ${receiver.url}\n    headers:\n      Authorization: "Bearer \${env:OTLP_TOKEN}"\n`);
    const r = await cli(['config', 'print', config], ['--import', fault]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^wfp-agent: unexpected error: stdout is gone; it was writing <redacted>\n/);
    assert.match(r.stderr, /\n\s+at /, 'WFP_AGENT_DEBUG=1 prints the stack');
    assertClean([{ where: 'config print stderr', text: r.stderr }], secrets);
  });
});
