export { ok, err } from './result.ts';
export type { Ok, Err, Result } from './result.ts';
export { AGENT_VERSION } from './version.ts';
export { UNREF_TIMERS } from './timers.ts';
export type { Timers } from './timers.ts';
export { parseDecimal } from './parse-decimal.ts';
export { readDateTime } from './date-time.ts';
export { resolveStateDir, statePath } from './state-dir.ts';
export type { StateDirContext } from './state-dir.ts';
