// Re-reads the layered configuration on a timer while the agent runs (Group Policy and Intune change the
// registry at any time). A valid change is handed to `onApply`; an invalid one (a bad policy value, a broken
// file) is reported once, one line each, and the agent keeps its last good settings.
import { ConfigError } from '../config/index.ts';
import { UNREF_TIMERS } from '../shared/index.ts';
import type { Timers } from '../shared/index.ts';
import type { EffectiveConfig } from './load-effective-config.ts';

/** How often the policy is read again (Group Policy itself refreshes every 90 minutes ± 30). */
export const POLICY_REFRESH_MS = 5 * 60 * 1000;

export interface PolicyWatcherOptions {
  readonly current: EffectiveConfig;
  readonly load: () => Promise<EffectiveConfig>;
  /** A valid configuration that differs from the current one; `changed` lists the keys whose value changed. */
  readonly onApply: (next: EffectiveConfig, changed: readonly string[]) => void;
  readonly report: (line: string) => void;
  readonly intervalMs?: number;
  readonly timers?: Timers;
}

export interface PolicyWatcher {
  start(): void;
  /** One read now (the timer calls this); resolves when handled. */
  check(): Promise<void>;
  stop(): void;
}

export function createPolicyWatcher(options: PolicyWatcherOptions): PolicyWatcher {
  const timers = options.timers ?? UNREF_TIMERS;
  let current = options.current;
  let handle: unknown = null;
  let reported = new Set<string>(current.policyProblems);
  let running: Promise<void> | null = null;

  const check = async (): Promise<void> => {
    let next: EffectiveConfig;
    try {
      next = await options.load();
    } catch (error) {
      const lines = error instanceof ConfigError ? error.message.split('\n') : [`Reading the configuration failed: ${(error as Error).message}`];
      reportNew(lines.map((l) => `${l} (the agent keeps its last good settings)`));
      return;
    }
    if (next.policyProblems.length > 0) {
      reportNew(next.policyProblems.map((l) => `${l} (the agent keeps its last good settings)`));
      return;
    }
    reported = new Set();
    const changed = changedKeys(current, next);
    if (changed.length === 0) return;
    current = next;
    options.onApply(next, changed);
  };

  const reportNew = (lines: readonly string[]): void => {
    const now = new Set(lines);
    for (const l of lines) if (!reported.has(l)) options.report(l);
    reported = now;
  };

  return {
    start() {
      if (handle !== null) return;
      handle = timers.setInterval(() => {
        if (running === null) running = check().finally(() => (running = null));
      }, options.intervalMs ?? POLICY_REFRESH_MS);
    },
    check,
    stop() {
      if (handle !== null) timers.clearInterval(handle);
      handle = null;
    },
  };
}

/** Leaf keys whose value or origin differs (values compared as JSON). */
export function changedKeys(a: EffectiveConfig, b: EffectiveConfig): string[] {
  const keys = new Set([...a.origins.keys(), ...b.origins.keys()]);
  const out: string[] = [];
  for (const key of keys) {
    if (JSON.stringify(valueAt(a.config, key)) !== JSON.stringify(valueAt(b.config, key)) || a.origins.get(key) !== b.origins.get(key)) out.push(key);
  }
  return out.sort();
}

function valueAt(config: unknown, path: string): unknown {
  const walk = (node: unknown, rest: string): unknown => {
    if (typeof node !== 'object' || node === null) return undefined;
    const record = node as Record<string, unknown>;
    if (Object.hasOwn(record, rest)) return record[rest];
    for (const key of Object.keys(record)) if (rest.startsWith(`${key}.`)) return walk(record[key], rest.slice(key.length + 1));
    return undefined;
  };
  return walk(config, path);
}
