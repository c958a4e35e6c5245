// Which service attributes the agent puts on its Resource, from config and the standard environment. Pure: the
// caller passes what detection found. Later wins:
//   defaults (service.name, service.instance.id = host id)
//   < OTEL_RESOURCE_ATTRIBUTES < OTEL_SERVICE_NAME
//   < config service.resource_attributes < config service.instance_id / service.environment (when set)
//   < service.version (always the agent's own: a backend must be able to trust it).
// Config beats the environment, as for every OTLP setting (otlp-settings.ts).
import type { EnvLookup, ServiceConfig } from '../config/index.ts';
import { AGENT_VERSION } from '../shared/index.ts';

export const SERVICE_NAME = 'wfp-block-agent';

export type AttributesOutcome =
  | { readonly ok: true; readonly value: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly problem: string };

/**
 * OTEL_RESOURCE_ATTRIBUTES as the OTel spec defines it: `key1=value1,key2=value2` (W3C Baggage without
 * properties), values percent-encoded UTF-8, spaces around entries not significant. Empty entries (a trailing
 * comma from a template) are skipped. The spec says to discard a bad value and report it; the agent refuses to
 * start instead, as it does for every malformed OTEL_* variable, so records never reach a backend without the
 * labels an admin rolled out.
 */
export function parseResourceAttributesVariable(value: string, variable = 'OTEL_RESOURCE_ATTRIBUTES'): AttributesOutcome {
  // A Map, not an object: a key like `__proto__` must stay an ordinary key.
  const out = new Map<string, string>();
  for (const [index, raw] of value.split(',').entries()) {
    const member = raw.trim();
    if (member === '') continue;
    const where = `${variable}: entry ${index + 1} (${JSON.stringify(member)})`;
    const eq = member.indexOf('=');
    if (eq <= 0) return { ok: false, problem: `${where}: expected key=value` };
    const key = member.slice(0, eq).trim();
    if (key === '' || /[\s",;\\]/.test(key)) return { ok: false, problem: `${where}: the key must be a non-empty token without spaces, quotes, commas, semicolons or backslashes` };
    const encoded = member.slice(eq + 1).trim();
    if (encoded.includes(';')) return { ok: false, problem: `${where}: baggage properties (;…) are not supported; percent-encode a literal ; as %3B` };
    let decoded: string;
    try {
      decoded = decodeURIComponent(encoded);
    } catch {
      return { ok: false, problem: `${where}: the value is not valid percent-encoded UTF-8 (write a literal % as %25)` };
    }
    out.set(key, decoded);
  }
  return { ok: true, value: Object.fromEntries(out) };
}

export interface ServiceAttributeInputs {
  readonly service: ServiceConfig;
  readonly env: EnvLookup;
  /** host.id as detected, '' when none. */
  readonly hostId: string;
  /** Used for service.instance.id when neither config, environment nor host id gives one. */
  readonly fallbackInstanceId: () => string;
}

/** The attributes merged over the detected host/OS ones (see the order at the top). */
export function serviceResourceAttributes(inputs: ServiceAttributeInputs): AttributesOutcome {
  const { service, env } = inputs;
  const fromEnv = parseResourceAttributesVariable(env('OTEL_RESOURCE_ATTRIBUTES') ?? '');
  if (!fromEnv.ok) return fromEnv;
  // A Map again (see above); Object.fromEntries then defines every key as an own property.
  const attributes = new Map<string, string>([['service.name', SERVICE_NAME], ...Object.entries(fromEnv.value)]);
  const serviceName = env('OTEL_SERVICE_NAME')?.trim();
  if (serviceName !== undefined && serviceName !== '') attributes.set('service.name', serviceName);
  for (const [key, value] of Object.entries(service.resource_attributes)) attributes.set(key, value);
  if (service.instance_id !== '') attributes.set('service.instance.id', service.instance_id);
  else if ((attributes.get('service.instance.id') ?? '') === '')
    attributes.set('service.instance.id', inputs.hostId !== '' ? inputs.hostId : inputs.fallbackInstanceId());
  if (service.environment !== '') attributes.set('deployment.environment.name', service.environment);
  attributes.set('service.version', AGENT_VERSION);
  return { ok: true, value: Object.fromEntries(attributes) };
}
