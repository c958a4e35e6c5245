import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveStateDir } from '../../../agent/checkpoint/index.ts';

describe('resolveStateDir', () => {
  it('uses %ProgramData%\\wfp-block-agent on Windows when empty', () => {
    const dir = resolveStateDir('', { platform: 'win32', env: { ProgramData: 'D:\\PD' }, cwd: 'C:\\agent' });
    assert.equal(dir, 'D:\\PD\\wfp-block-agent');
    assert.equal(resolveStateDir('', { platform: 'win32', env: {}, cwd: 'C:\\' }), 'C:\\ProgramData\\wfp-block-agent');
  });

  it('uses ./.state elsewhere when empty', () => {
    assert.equal(resolveStateDir('', { platform: 'linux', env: {}, cwd: '/srv/agent' }), '/srv/agent/.state');
  });

  it('resolves a configured folder against the working directory, with the host path rules', () => {
    assert.equal(resolveStateDir('state', { platform: 'linux', env: {}, cwd: '/srv' }), '/srv/state');
    assert.equal(resolveStateDir('/var/lib/wfp', { platform: 'linux', env: {}, cwd: '/srv' }), '/var/lib/wfp');
    assert.equal(resolveStateDir('/var/lib/wfp', { platform: 'win32', env: {}, cwd: '/srv' }), '/var/lib/wfp');
  });
});
