// The bridge's synthetic producer (SyntheticLog.cs / SyntheticRecordWatcher.cs): a simulated Security log for
// tests and benchmarks on machines without one. Never reachable from a configuration file: only
// `wfp-agent run --synthetic-source FILE` with WFP_AGENT_TEST_SYNTHETIC_SOURCE=1 in the environment (see
// agent/cli/commands/synthetic-run.ts). Everything after the producer is the production path.

/** What the C# side reads (SyntheticSpec.From); times in Unix milliseconds, record ids as numbers. */
export interface SyntheticProducerSpec {
  /** First record id of the log (default 1). */
  readonly firstId?: number;
  /** Most records ever written (default: no limit with a rate, else the backlog). */
  readonly count?: number;
  /** Records already in the log at startUnixMs. */
  readonly backlog?: number;
  /** Records written per second after startUnixMs (0: only the backlog). */
  readonly rate?: number;
  /** When the log started writing at `rate`; give it so that a restarted agent sees the same log. */
  readonly startUnixMs?: number;
  /** Event id → weight, e.g. { "5152": 200, "5157": 1 }. */
  readonly mix?: Readonly<Record<string, number>>;
  /** Event id → XML with {id} (record id) and {time} (ISO UTC) placeholders. */
  readonly templates?: Readonly<Record<string, string>>;
  /** One template for every event id ({eventId} is replaced too). */
  readonly template?: string;
  /** Every Nth record is cut in half (malformed XML). */
  readonly malformedEvery?: number;
  /** Every Nth record cannot be rendered (like a ToXml() failure). */
  readonly renderFailEvery?: number;
  /** The log keeps at most this many records (older ones are overwritten). */
  readonly maxRecords?: number;
  /** Once record wrapAt exists, records before wrapOldest are gone. */
  readonly wrapAt?: number;
  readonly wrapOldest?: number;
  /** Once record clearAfter is written, the log is cleared: numbering restarts at 1 with a 1102. */
  readonly clearAfter?: number;
}

const NUMBER_KEYS = [
  'firstId', 'count', 'backlog', 'rate', 'startUnixMs', 'malformedEvery', 'renderFailEvery', 'maxRecords', 'wrapAt', 'wrapOldest', 'clearAfter',
] as const;

export type SpecResult = { readonly ok: true; readonly value: SyntheticProducerSpec } | { readonly ok: false; readonly error: string };

/** Checks a parsed JSON value; one line naming the first bad key. */
export function parseSyntheticProducerSpec(raw: unknown): SpecResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'producer: expected an object' };
  const spec = raw as Record<string, unknown>;
  const known = new Set<string>([...NUMBER_KEYS, 'mix', 'templates', 'template']);
  for (const key of Object.keys(spec)) if (!known.has(key)) return { ok: false, error: `producer.${key}: unknown key` };
  for (const key of NUMBER_KEYS) {
    const v = spec[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) return { ok: false, error: `producer.${key}: expected a number >= 0` };
  }
  for (const key of ['mix', 'templates'] as const) {
    const v = spec[key];
    if (v === undefined) continue;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: `producer.${key}: expected an object keyed by event id` };
    for (const [id, value] of Object.entries(v)) {
      if (!/^\d+$/.test(id)) return { ok: false, error: `producer.${key}: ${JSON.stringify(id)} is not an event id` };
      if (key === 'mix' ? typeof value !== 'number' || !Number.isInteger(value) || value < 1 : typeof value !== 'string') {
        return { ok: false, error: `producer.${key}.${id}: expected ${key === 'mix' ? 'a positive integer weight' : 'an XML string'}` };
      }
    }
  }
  if (spec['template'] !== undefined && typeof spec['template'] !== 'string') return { ok: false, error: 'producer.template: expected a string' };
  if (spec['rate'] === undefined && spec['count'] === undefined && spec['backlog'] === undefined) {
    return { ok: false, error: 'producer: give count, backlog or rate' };
  }
  return { ok: true, value: spec as SyntheticProducerSpec };
}

/** The producer as the bridge's calls carry it: the key makes logInfo, start and stats use one simulated log. */
export function bridgeProducer(spec: SyntheticProducerSpec): Readonly<Record<string, unknown>> {
  const withStart = { ...spec, startUnixMs: spec.startUnixMs ?? Date.now() };
  return { kind: 'synthetic', key: JSON.stringify(withStart), ...withStart };
}
