// A planted secret (an environment variable used in a header, a literal header token, OTLP header variables)
// must not appear in any output: config print, config validate errors, replay and run diagnostics while the
// backend fails (and echoes the request's headers back), explain. In-process, through the redacting io the
// process entry puts around its streams (cli/wfp-agent.ts); secrets-real-process.test.ts runs the process.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../agent/cli/main.ts';
import { createRunCommand } from '../../agent/cli/commands/run-command.ts';
import { redactingIo } from '../../agent/cli/command.ts';
import { createOtelTelemetrySink } from '../../agent/export/index.ts';
import { forgetSecrets } from '../../agent/shared/index.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { FakeBridge, FakeSecurityLog, stopFakeBridges } from '../helpers/fake-bridge.ts';
import { blockEvents, tempStateDir, waitFor } from '../helpers/live-agent.ts';
import { fixture } from '../helpers/fixtures.ts';
import { protoUnavailable, startOtlpReceiver } from '../helpers/otlp-receiver.ts';
import type { OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { needs } from '../helpers/test-dependency.ts';
import { testRunDeps } from '../helpers/run-deps.ts';

const ENV_SECRET = 'env-planted-S3CRET-7c1f9a';
const YAML_SECRET = 'yaml-literal-S3CRET-42aa';
const OTEL_SECRET = 'otel-variable-S3CRET-0b77';
const SECRETS = [ENV_SECRET, YAML_SECRET, OTEL_SECRET];
const ENV = { OTLP_TOKEN: ENV_SECRET, OTEL_EXPORTER_OTLP_HEADERS: `x-otel-key=${OTEL_SECRET}` };
const EVENT = fixture('ms-docs/event-5157.xml');

const dir = mkdtempSync(join(tmpdir(), 'wfp-secrets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, endpoint: string, extra = ''): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `state_dir: ${JSON.stringify(tempStateDir())}\nsource:\n  batch_size: 5\n  max_delay_ms: 20\n  start_position: beginning\n` +
      `exporters:\n  otlp:\n    endpoint: ${endpoint}\n    timeout_ms: 2000\n    headers:\n` +
      `      Authorization: "Bearer \${env:OTLP_TOKEN}"\n      X-Api-Key: ${YAML_SECRET}\n${extra}`,
  );
  return file;
}

/** Captured output behind the redacting io, as wfp-agent.ts wires the real streams. */
function redacting(env: Record<string, string>): ReturnType<typeof captureIo> {
  const io = captureIo(env);
  return { ...io, ...redactingIo(io) };
}

function assertClean(where: string, ...outputs: string[]): void {
  for (const out of outputs) for (const s of SECRETS) assert.ok(!out.includes(s), `${where} shows ${s}:\n${out}`);
}

/** A backend that refuses every request and quotes its headers back, as a misbehaving proxy might. */
const echoing = (status: number) => (req: { headers: Record<string, unknown> }) => ({
  status,
  body: `refused; you sent ${JSON.stringify(req.headers)}`,
});

describe('secrets never reach an output', { skip: needs('OTLP .proto files', protoUnavailable()) }, () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver({ answer: echoing(401) });
  });
  after(async () => {
    await receiver?.close();
    await stopFakeBridges();
    forgetSecrets();
  });

  it('config print shows <redacted> for headers and values from ${env:...}', async () => {
    const io = redacting(ENV);
    assert.equal(await main(['config', 'print', configFile('print.yaml', '${env:OTLP_TOKEN}-is-no-url', '')], io), 1);
    const okIo = redacting(ENV);
    assert.equal(await main(['config', 'print', configFile('print-ok.yaml', 'http://127.0.0.1:9')], okIo), 0);
    assertClean('config print', io.out(), io.err(), okIo.out(), okIo.err());
    assert.match(okIo.out(), /Authorization: <redacted>(?: # \w+)?\n\s+X-Api-Key: <redacted>/);
  });

  it('config validate errors do not quote a secret value', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, `exporters:\n  otlp:\n    endpoint: "\${env:OTLP_TOKEN}"\n    timeout_ms: "\${env:OTLP_TOKEN}"\n    headers:\n      Authorization: 12\n      Other: {a: ${YAML_SECRET}}\n`);
    const io = redacting(ENV);
    assert.equal(await main(['config', 'validate', bad], io), 1);
    assertClean('config validate', io.out(), io.err());
    assert.match(io.err(), /exporters\.otlp\.endpoint: expected .*, found <redacted>/);
    assert.match(io.err(), /exporters\.otlp\.timeout_ms: expected integer, found <redacted>/);
  });

  it('replay: the failing backend quotes the token, stderr does not', async () => {
    const io = redacting(ENV);
    assert.equal(await main(['replay', '--config', configFile('replay.yaml', receiver.url), EVENT], io), 1);
    assert.match(io.err(), /401/);
    assert.ok(receiver.requests.some((r) => String(r.headers['authorization']).includes(ENV_SECRET)), 'the secret was really sent');
    assertClean('replay', io.out(), io.err());
  });

  it('explain with that configuration', async () => {
    const io = redacting(ENV);
    await main(['explain', '--config', configFile('explain.yaml', receiver.url), EVENT], io);
    assertClean('explain', io.out(), io.err());
  });

  it('run (live path, fake bridge, real OTel sink): export failures on stderr carry no secret', async () => {
    const log = new FakeSecurityLog(1);
    log.append(...blockEvents(5));
    const bridge = new FakeBridge(log);
    const stop = new AbortController();
    const io = redacting(ENV);
    let failures = 0;
    const command = createRunCommand(
      testRunDeps({
        openBridge: async () => ({ ok: true, value: bridge }),
        createSink: async (config, cio) => {
          const created = await createOtelTelemetrySink({ config, env: (n) => cio.env[n], write: cio.stdout });
          return created.ok ? created : { ok: false, error: created.problems.join('; ') };
        },
        stopSignal: () => stop.signal,
      }),
    );
    const running = command.run(['--config', configFile('run.yaml', receiver.url)], io);
    try {
      await waitFor(() => (failures = (io.err().match(/401/g) ?? []).length) > 0, 15_000).catch((e: unknown) => {
        throw new Error(`${String(e)}; stderr so far:\n${io.err()}`);
      });
    } finally {
      stop.abort();
      await running;
    }
    assert.ok(failures > 0);
    assertClean('run', io.out(), io.err());
  });
});
