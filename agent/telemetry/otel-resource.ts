// The OTel Resource every log record and metric carries: who sent it (service, version, instance) and from
// which machine (host, OS). Detection is async on Node (host.id comes from the machine id), so this resolves
// once at start and the providers get a finished Resource.
import { randomUUID } from 'node:crypto';
import { detectResources, hostDetector, osDetector, resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type { ServiceConfig } from '../config/index.ts';
import { AGENT_VERSION } from '../shared/index.ts';

export const SERVICE_NAME = 'wfp-block-agent';

export async function createAgentResource(service: ServiceConfig): Promise<Resource> {
  const detected = detectResources({ detectors: [hostDetector, osDetector] });
  await detected.waitForAsyncAttributes?.();
  const hostId = detected.attributes['host.id'];
  const instanceId =
    service.instance_id !== '' ? service.instance_id : typeof hostId === 'string' && hostId !== '' ? hostId : randomUUID();
  const own: Record<string, string> = {
    'service.name': SERVICE_NAME,
    'service.version': AGENT_VERSION,
    'service.instance.id': instanceId,
  };
  if (service.environment !== '') own['deployment.environment.name'] = service.environment;
  return detected.merge(resourceFromAttributes(own));
}
