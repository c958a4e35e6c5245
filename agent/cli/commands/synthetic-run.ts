// The test/bench switch of `wfp-agent run`: the real net48 bridge through edge-js with its synthetic producer
// instead of the Security log, so the whole live path runs on Linux. It needs BOTH the hidden option
// `--synthetic-source FILE` and WFP_AGENT_TEST_SYNTHETIC_SOURCE=1 in the environment: no configuration file
// can turn it on, and neither half alone does. FILE is JSON:
//   { "producer": { ...SyntheticProducerSpec }, "edgeJs": "/abs/path/to/edge-js", "assembly": "/abs/WfpBlockAgent.Bridge.dll" }
// (edgeJs default: the repo's .tools/edge-js build; assembly default: the `npm run build:bridge` output).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bridgeProducer, createEdgeBridgeHost, DEFAULT_BRIDGE_ASSEMBLY, parseSyntheticProducerSpec } from '../../bridge/index.ts';
import type { BridgeCallResult, BridgeHost } from '../../bridge/index.ts';

export const SYNTHETIC_SOURCE_ENV = 'WFP_AGENT_TEST_SYNTHETIC_SOURCE';
export const SYNTHETIC_SOURCE_OPTION = 'synthetic-source';

/** Where test/setup/steps/11-edge-js.sh builds edge-js for CoreCLR in a repo checkout. */
const REPO_EDGE_JS = fileURLToPath(new URL('../../../.tools/edge-js/node_modules/edge-js', import.meta.url));

export type BridgeOpener = (onProtocolError: (error: string) => void) => Promise<BridgeCallResult<BridgeHost>>;

/** The bridge opener for `--synthetic-source FILE`, or one line saying why it is refused. */
export function syntheticBridgeOpener(file: string, env: Readonly<Record<string, string | undefined>>): BridgeCallResult<BridgeOpener> {
  if (env[SYNTHETIC_SOURCE_ENV] !== '1') {
    return { ok: false, error: `--${SYNTHETIC_SOURCE_OPTION} is for tests and benchmarks only: it needs ${SYNTHETIC_SOURCE_ENV}=1 in the environment.` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { ok: false, error: `--${SYNTHETIC_SOURCE_OPTION} ${file}: ${(error as Error).message.split('\n')[0]}` };
  }
  const outer = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const spec = parseSyntheticProducerSpec(outer['producer']);
  if (!spec.ok) return { ok: false, error: `--${SYNTHETIC_SOURCE_OPTION} ${file}: ${spec.error}` };
  const edgeModule = typeof outer['edgeJs'] === 'string' ? outer['edgeJs'] : REPO_EDGE_JS;
  const assemblyFile = typeof outer['assembly'] === 'string' ? outer['assembly'] : DEFAULT_BRIDGE_ASSEMBLY;
  const producer = bridgeProducer(spec.value);
  return {
    ok: true,
    value: async (onProtocolError) => createEdgeBridgeHost({ assemblyFile, edgeModule, producer, onProtocolError }),
  };
}
