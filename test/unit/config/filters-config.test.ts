import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig, parseConfig } from '../../../agent/config/index.ts';

describe('filters and paths configuration', () => {
  it('the bundled default routes stealth, boot-time and default-policy drops to metrics only', () => {
    const c = loadConfig(undefined, () => undefined);
    assert.deepEqual(c.filters, {
      snapshot: 'auto',
      file: '',
      refresh_interval_s: 3600,
      miss_refresh_min_interval_s: 300,
      stale_after_s: 7200,
      log_block_kinds: ['policy-rule', 'query-user-default', 'app-container', 'unknown'],
    });
    assert.deepEqual(c.paths, { volume_map: {} });
  });

  it('an empty file gets the same defaults from the schema', () => {
    const c = parseConfig('{}\n', { file: 'empty.yaml' });
    assert.equal(c.filters.stale_after_s, 7200);
    assert.deepEqual(c.paths.volume_map, {});
  });

  it('accepts a recorded volume map', () => {
    const c = parseConfig('paths:\n  volume_map:\n    "C:": \'\\Device\\HarddiskVolume2\'\n', { file: 'x.yaml' });
    assert.deepEqual(c.paths.volume_map, { 'C:': '\\Device\\HarddiskVolume2' });
  });

  it('rejects an unknown block kind and a volume map that is not drive -> device path, with the line', () => {
    assert.throws(
      () => parseConfig('filters:\n  log_block_kinds: [policy-rule, stelth]\n', { file: 'x.yaml' }),
      (e: unknown) => e instanceof ConfigError && /x\.yaml:2: .*log_block_kinds/.test(e.message),
    );
    assert.throws(
      () => parseConfig('paths:\n  volume_map:\n    "C:": "C:\\\\"\n', { file: 'y.yaml' }),
      (e: unknown) => e instanceof ConfigError && /y\.yaml:3: .*volume_map/.test(e.message),
    );
    assert.throws(() => parseConfig('filters:\n  snapshots: auto\n', { file: 'z.yaml' }), ConfigError);
  });
});
