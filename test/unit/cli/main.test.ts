import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../agent/cli/main.ts';
import { captureIo } from '../../helpers/capture-io.ts';


describe('wfp-agent main', () => {
  it('prints help listing every command and exits 0 with --help', async () => {
    const io = captureIo();
    assert.equal(await main(['--help'], io), 0);
    for (const name of ['explain', 'replay', 'run', 'audit', 'filters', 'config']) {
      assert.match(io.out(), new RegExp(`^  ${name} `, 'm'));
    }
  });

  it('exits 2 with one line for an unknown command', async () => {
    const io = captureIo();
    assert.equal(await main(['explian'], io), 2);
    assert.equal(io.err().trim().split('\n').length, 1);
    assert.match(io.err(), /unknown command 'explian'/);
  });

  it('prints the package version', async () => {
    const io = captureIo();
    assert.equal(await main(['--version'], io), 0);
    assert.match(io.out(), /^\d+\.\d+\.\d+\n$/);
  });

  it('config validate reports problems with exit code 1', async () => {
    const io = captureIo();
    assert.equal(await main(['config', 'validate', '/nonexistent.yaml'], io), 1);
    assert.match(io.err(), /\/nonexistent\.yaml: cannot read the file/);
  });

  it('config print prints the effective YAML', async () => {
    const io = captureIo();
    assert.equal(await main(['config', 'print'], io), 0);
    assert.match(io.out(), /packet_drops: log/);
  });
});

describe('wfp-agent config validate: checks beyond the schema', () => {
  it('rejects an audit subcategory name that names no subcategory', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'wfp-config-')), 'agent.yaml');
    writeFileSync(file, 'audit_policy:\n  subcategories:\n    Filtering Platform Conection:\n      failure: true\n');
    const io = captureIo();
    assert.equal(await main(['config', 'validate', file], io), 1);
    assert.match(io.err(), /audit_policy\.subcategories\.Filtering Platform Conection: /);
  });
});
