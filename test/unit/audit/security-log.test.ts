import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseChannelXml, retentionProblem, sizeToRaise } from '../../../agent/audit/index.ts';
import { createFakeWevtutil } from '../../helpers/fake-wevtutil.ts';

describe('security log settings', () => {
  it('reads maxSize, retention and autoBackup from wevtutil gl /f:xml', async () => {
    const out = await createFakeWevtutil({ maxSizeBytes: 20971520, retention: true, autoBackup: false }).run(['gl', 'Security', '/f:xml']);
    const parsed = parseChannelXml(out.stdout);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, { maxSizeBytes: 20971520, retention: true, autoBackup: false });
    assert.match(retentionProblem(parsed.value) ?? '', /do not overwrite events/);
  });

  it('tolerates a namespace prefix, other letter case and 1/0 flags', () => {
    const parsed = parseChannelXml('<ev:channel xmlns:ev="x"><ev:Logging><ev:Retention>1</ev:Retention><ev:MaxSize> 1052672 </ev:MaxSize></ev:Logging></ev:channel>');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, { maxSizeBytes: 1052672, retention: true, autoBackup: false });
  });

  it('reports no retention problem for overwrite or archive', () => {
    assert.equal(retentionProblem({ maxSizeBytes: 1, retention: false, autoBackup: false }), null);
    assert.equal(retentionProblem({ maxSizeBytes: 1, retention: true, autoBackup: true }), null);
  });

  it('raises to min_size_mb, never lowers, 0 leaves it', () => {
    const log = { maxSizeBytes: 20971520, retention: false, autoBackup: false };
    assert.equal(sizeToRaise(log, 256), 268435456);
    assert.equal(sizeToRaise(log, 20), null);
    assert.equal(sizeToRaise({ ...log, maxSizeBytes: 4294967296 }, 256), null);
    assert.equal(sizeToRaise(log, 0), null);
  });

  it('refuses output without <logging>/<maxSize>', () => {
    assert.equal(parseChannelXml('<channel name="Security"/>').ok, false);
    const r = parseChannelXml('<channel><logging><maxSize>big</maxSize></logging></channel>');
    assert.ok(!r.ok && /no numeric <maxSize> \(found 'big'\)/.test(r.detail));
  });
});
