// Real 4719 events (OTRF auditpol dataset, 63 events from `auditpol /set` on a real machine), decoded and
// interpreted by the agent's own pipeline stages, drive the audit governor: only those touching a managed
// subcategory trigger a check.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeItem, splitEvents } from '../../agent/decode/index.ts';
import { createInterpreter } from '../../agent/interpret/index.ts';
import type { AuditPolicyChangeEvent } from '../../agent/interpret/index.ts';
import { buildAudit, createFixedGpoDetector, NOT_GPO_MANAGED, subcategoryByGuid } from '../../agent/audit/index.ts';
import { loadConfig } from '../../agent/config/index.ts';
import { createFakeWindows } from '../helpers/fake-auditpol-windows.ts';

const FILE = new URL('../fixtures/otrf/auditpol_system_user_auditpolicy_modification.wfp-subset.jsonl', import.meta.url);

function auditEvents(): AuditPolicyChangeEvent[] {
  const config = loadConfig(undefined);
  const interpreter = createInterpreter(config.network);
  const events: AuditPolicyChangeEvent[] = [];
  for (const item of splitEvents(readFileSync(FILE, 'utf8'), FILE.pathname)) {
    const decoded = decodeItem(item);
    assert.ok(decoded.ok);
    const body = interpreter.interpret(decoded.value).body;
    if (body.type === 'audit-policy-change') events.push(body);
  }
  return events;
}

describe('4719 events from a real machine', () => {
  const events = auditEvents();

  it('are 63, each naming a subcategory the friendly-name table knows', () => {
    assert.equal(events.length, 63);
    for (const e of events) assert.notEqual(subcategoryByGuid(e.subcategoryGuid), null, e.subcategoryGuid);
  });

  it('trigger an immediate check only for the four managed subcategories', async () => {
    const win = createFakeWindows();
    const built = buildAudit({ ...loadConfig(undefined).audit_policy, mode: 'verify' }, {
      runner: win.runner,
      fs: win.fs,
      systemRoot: 'C:\\Windows',
      stateDir: '/state',
      gpo: createFixedGpoDetector(NOT_GPO_MANAGED),
    });
    assert.ok(built.ok);
    const triggered: string[] = [];
    for (const e of events) {
      const check = built.value.governor.onAuditPolicyChangeEvent(e);
      if (check !== null) {
        triggered.push(subcategoryByGuid(e.subcategoryGuid)!.name);
        assert.equal((await check).reason, 'event-4719');
      }
    }
    assert.deepEqual(triggered.sort(), [
      'Audit Policy Change',
      'Filtering Platform Connection',
      'Filtering Platform Packet Drop',
      'Filtering Platform Policy Change',
    ]);
    assert.deepEqual(win.changes(), [], 'verify mode never changes anything');
    await built.value.governor.shutdown();
  });
});
