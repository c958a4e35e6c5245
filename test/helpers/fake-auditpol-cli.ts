// Small builders shared by the audit tests: a captured CLI io, and a typed 4719 event as the interpreter
// produces it (for tests that need one event with a chosen subcategory).
import type { CliIo } from '../../agent/cli/command.ts';
import type { AuditPolicyChangeEvent } from '../../agent/interpret/index.ts';

export function captureIo(cwd = process.cwd()): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: {}, cwd, out: () => out, err: () => err };
}

/** A 4719 "Filtering Platform Connection: failure removed" by `user`, naming `guid` (given as is). */
export function auditPolicyChange(guid: string, user = 'attacker'): AuditPolicyChangeEvent {
  const coded = (raw: string, name: string) => ({ raw, code: Number(raw.slice(2)), name });
  return {
    type: 'audit-policy-change',
    eventId: 4719,
    subjectUserSid: 'S-1-5-21-1-2-3-500',
    subjectUserName: user,
    subjectDomainName: 'CONTOSO',
    subjectLogonId: '0x3e7',
    category: coded('%%8276', 'Object Access'),
    subcategory: coded('%%12810', 'Filtering Platform Connection'),
    subcategoryGuid: guid,
    subcategoryName: 'Filtering Platform Connection',
    changes: [coded('%%8450', 'Failure removed')],
  };
}
