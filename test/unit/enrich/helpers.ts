// Shared test helpers: real fixture events through the real decoder and interpreter, and the shared samples.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../agent/config/index.ts';
import type { AgentConfig } from '../../../agent/config/index.ts';
import { decodeItem, splitEvents } from '../../../agent/decode/index.ts';
import { createInterpreter } from '../../../agent/interpret/index.ts';
import type { WfpEvent } from '../../../agent/interpret/index.ts';
import { loadReplayFile } from '../../../agent/source/index.ts';
import { needs } from '../../helpers/test-dependency.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
export const SYNTHETIC_FILTERS = `${FIXTURES}netsh-wfp/synthetic-filters.xml`;

/** `../shared/samples` seen from the repo root (a worktree of the project). */
export const SHARED_SAMPLES = fileURLToPath(new URL('../../../../shared/samples/', import.meta.url));
const ZH_CN_GZ = `${SHARED_SAMPLES}netsh-wfp-filters/ldoubil_AstralWfp/filters.xml.gz`;

/**
 * The real zh-CN `netsh wfp show filters` file (no licence: read from ../shared/samples, never copied), or null
 * when the folder is absent (zhCnSkip says what the tests then do).
 */
export function zhCnSample(): { readonly bytes: Buffer; readonly text: string } | null {
  if (!existsSync(ZH_CN_GZ)) return null;
  const bytes = gunzipSync(readFileSync(ZH_CN_GZ));
  return { bytes, text: bytes.toString('utf8') };
}

/** The skip option for tests of the zh-CN sample (a failure under CI when it is absent). */
export function zhCnSkip(): string | false {
  const problem = existsSync(ZH_CN_GZ) ? null : `${ZH_CN_GZ} is absent (the unlicensed zh-CN netsh sample is only read from ../shared/samples)`;
  return needs('../shared/samples zh-CN netsh filters', problem);
}

export function defaultConfig(): AgentConfig {
  return loadConfig(undefined, () => undefined);
}

/** Every event of a fixture file, decoded and interpreted by the agent's own stages. */
export function fixtureEvents(relativePath: string, config: AgentConfig = defaultConfig()): WfpEvent[] {
  const loaded = loadReplayFile(`${FIXTURES}${relativePath}`);
  if (loaded.problems.length > 0) throw new Error(loaded.problems.map((p) => p.detail).join('; '));
  const interpreter = createInterpreter(config.network);
  const events: WfpEvent[] = [];
  for (const item of loaded.items) {
    const decoded = decodeItem(item);
    if (!decoded.ok) throw new Error(`${decoded.reason}: ${decoded.detail}`);
    events.push(interpreter.interpret(decoded.value));
  }
  return events;
}

/** The raw JSON lines of an OTRF fixture, parsed independently of the agent's decoder. */
export function otrfLines(name: string): Array<Record<string, unknown>> {
  return readFileSync(`${FIXTURES}otrf/${name}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Events from text (e.g. real JSON lines with one field changed), through the agent's decoder and interpreter. */
export function eventsFromText(text: string, name: string, config: AgentConfig = defaultConfig()): WfpEvent[] {
  const interpreter = createInterpreter(config.network);
  return splitEvents(text, name).map((item) => {
    const decoded = decodeItem(item);
    if (!decoded.ok) throw new Error(`${decoded.reason}: ${decoded.detail}`);
    return interpreter.interpret(decoded.value);
  });
}
