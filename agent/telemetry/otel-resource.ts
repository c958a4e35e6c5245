// The OTel Resource every log record and metric carries: who sent it (service, version, instance) and from
// which machine (host, OS). Detection is async on Node (host.id comes from the machine id), so this resolves
// once at start and the providers get a finished Resource. Which service attributes win: resource-attributes.ts.
import { randomUUID } from 'node:crypto';
import { detectResources, hostDetector, osDetector, resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type { EnvLookup, ServiceConfig } from '../config/index.ts';
import { serviceResourceAttributes } from './resource-attributes.ts';

export type ResourceOutcome = { readonly ok: true; readonly value: Resource } | { readonly ok: false; readonly problem: string };

export async function createAgentResource(service: ServiceConfig, env: EnvLookup): Promise<ResourceOutcome> {
  const detected = detectResources({ detectors: [hostDetector, osDetector] });
  await detected.waitForAsyncAttributes?.();
  const hostId = detected.attributes['host.id'];
  const own = serviceResourceAttributes({
    service,
    env,
    hostId: typeof hostId === 'string' ? hostId : '',
    fallbackInstanceId: randomUUID,
  });
  if (!own.ok) return own;
  return { ok: true, value: detected.merge(resourceFromAttributes(own.value)) };
}
