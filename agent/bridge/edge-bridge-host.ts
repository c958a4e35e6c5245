// BridgeHost over edge-js (loaded by edge-js-loader.ts from one absolute folder, EDGE_* dropped). It loads the
// prebuilt net48 assembly with `assemblyFile` (no inline C# compiled at run time) and calls its one entry point,
// WfpBlockAgent.Bridge.Startup.Invoke, with { op: 'start' | 'stop' | 'logInfo' | 'driveMap', ... }.
//
// edge-js rules this file keeps: JS functions reach .NET as Func<object, Task<object>> and are called back as
// (payload, callback); a throw inside a completion callback ends the process, so every callback is wrapped;
// only plain values cross (see bridge-message.ts for what is checked on the way in).
import { fileURLToPath } from 'node:url';
import type { BridgeAnswer, BridgeCallResult, BridgeHost, BridgeLogInfo, BridgeMessage, BridgeStartOptions } from './bridge-host.ts';
import { parseBridgeMessage, parseLogInfo } from './bridge-message.ts';
import { DEFAULT_EDGE_JS_DIR, loadEdgeJs } from './edge-js-loader.ts';

/** Where `npm run build:bridge` puts the net48 assembly. */
export const DEFAULT_BRIDGE_ASSEMBLY = fileURLToPath(
  new URL('./dotnet/WfpBridge/bin/Release/net48/WfpBlockAgent.Bridge.dll', import.meta.url),
);

type EdgeCallback = (error: unknown, result?: unknown) => void;
type EdgeFunction = (payload: unknown, callback: EdgeCallback) => void;
interface EdgeModule {
  func(options: { assemblyFile: string; typeName: string; methodName: string }): EdgeFunction;
}

export interface EdgeBridgeHostOptions {
  readonly assemblyFile?: string;
  /** The absolute folder of edge-js; default beside the agent (DEFAULT_EDGE_JS_DIR). Never searched for. */
  readonly edgeModule?: string;
  /** EDGE_* variables to set once the inherited ones are dropped (tests: EDGE_USE_CORECLR for the CoreCLR build). */
  readonly edgeEnvironment?: Readonly<Record<string, string>>;
  /** Reported for messages that do not fit the protocol (they are answered and skipped). */
  readonly onProtocolError?: (error: string) => void;
  /** Tests and benchmarks only: the synthetic producer (bridgeProducer()) sent with every call instead of Windows. */
  readonly producer?: Readonly<Record<string, unknown>>;
}

/** What the synthetic producer counted: records handed to the handler, subscriptions started. */
export interface SyntheticStats {
  readonly visits: number;
  readonly subscriptions: number;
}

export interface EdgeBridgeHost extends BridgeHost {
  /** Only with a synthetic producer. */
  syntheticStats(): Promise<BridgeCallResult<SyntheticStats>>;
}

/** Loads edge-js and the assembly; a one-line error when either is unavailable. */
export function createEdgeBridgeHost(options: EdgeBridgeHostOptions = {}): BridgeCallResult<EdgeBridgeHost> {
  const loaded = loadEdgeJs({ dir: options.edgeModule ?? DEFAULT_EDGE_JS_DIR, edgeEnvironment: options.edgeEnvironment });
  if (!loaded.ok) return loaded;
  const edge = loaded.value as EdgeModule;
  let invoke: EdgeFunction;
  try {
    invoke = edge.func({
      assemblyFile: options.assemblyFile ?? DEFAULT_BRIDGE_ASSEMBLY,
      typeName: 'WfpBlockAgent.Bridge.Startup',
      methodName: 'Invoke',
    });
  } catch (error) {
    return { ok: false, error: `Cannot load the bridge assembly (${firstLine(error)}).` };
  }
  return { ok: true, value: new EdgeJsBridgeHost(invoke, options.onProtocolError ?? (() => undefined), options.producer) };
}

class EdgeJsBridgeHost implements EdgeBridgeHost {
  readonly #invoke: EdgeFunction;
  readonly #onProtocolError: (error: string) => void;
  readonly #producer: Readonly<Record<string, unknown>> | undefined;

  constructor(invoke: EdgeFunction, onProtocolError: (error: string) => void, producer: Readonly<Record<string, unknown>> | undefined) {
    this.#invoke = invoke;
    this.#onProtocolError = onProtocolError;
    this.#producer = producer;
  }

  async start(options: BridgeStartOptions, onMessage: (message: BridgeMessage) => Promise<BridgeAnswer>): Promise<BridgeCallResult<void>> {
    const onProtocolError = this.#onProtocolError;
    const callback = (payload: unknown, done: EdgeCallback): void => {
      const parsed = parseBridgeMessage(payload);
      if (!parsed.ok) {
        onProtocolError(parsed.error);
        done(null, { ok: true });
        return;
      }
      onMessage(parsed.value).then(
        (answer) => done(null, answer),
        (error: unknown) => done(firstLine(error)),
      );
    };
    const result = await this.#call({ op: 'start', ...options, eventIds: [...options.eventIds], onMessage: callback });
    return result.ok ? { ok: true, value: undefined } : result;
  }

  async logInfo(channel: string): Promise<BridgeCallResult<BridgeLogInfo>> {
    const result = await this.#call({ op: 'logInfo', channel });
    if (!result.ok) return result;
    const log = result.value['log'];
    return typeof log === 'object' && log !== null
      ? { ok: true, value: parseLogInfo(log as Record<string, unknown>) }
      : { ok: false, error: 'The bridge answered logInfo without a log.' };
  }

  async driveMap(): Promise<BridgeCallResult<Readonly<Record<string, string>>>> {
    const result = await this.#call({ op: 'driveMap' });
    if (!result.ok) return result;
    const drives: Record<string, string> = {};
    for (const [letter, device] of Object.entries((result.value['drives'] ?? {}) as Record<string, unknown>)) {
      if (typeof device === 'string') drives[letter] = device;
    }
    return { ok: true, value: drives };
  }

  async syntheticStats(): Promise<BridgeCallResult<SyntheticStats>> {
    const result = await this.#call({ op: 'syntheticStats' });
    if (!result.ok) return result;
    return { ok: true, value: { visits: Number(result.value['visits']), subscriptions: Number(result.value['subscriptions']) } };
  }

  async stop(): Promise<void> {
    await this.#call({ op: 'stop' });
  }

  #call(payload: Record<string, unknown>): Promise<BridgeCallResult<Record<string, unknown>>> {
    return new Promise((resolve) => {
      try {
        this.#invoke(this.#producer === undefined ? payload : { ...payload, producer: this.#producer }, (error, result) => {
          if (error !== null && error !== undefined) {
            resolve({ ok: false, error: firstLine(error) });
            return;
          }
          const answer = (result ?? {}) as Record<string, unknown>;
          resolve(answer['ok'] === true ? { ok: true, value: answer } : { ok: false, error: String(answer['error'] ?? 'no answer') });
        });
      } catch (error) {
        resolve({ ok: false, error: firstLine(error) });
      }
    });
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
