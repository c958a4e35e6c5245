// Which service attributes the agent puts on its Resource, from config and the standard environment. Pure: the
// caller passes what detection found. Later wins:
//   defaults (service.name, service.instance.id = host id)
//   < OTEL_RESOURCE_ATTRIBUTES < OTEL_SERVICE_NAME
//   < config service.resource_attributes < config service.instance_id / service.environment (when set)
//   < service.version (always the agent's own: a backend must be able to trust it).
// Config beats the environment, as for every OTLP setting (otlp-settings.ts).
import type { ServiceConfig } from '../config/index.ts';
import { AGENT_VERSION } from '../shared/index.ts';

export const SERVICE_NAME = 'wfp-block-agent';

export type EnvLookup = (name: string) => string | undefined;

export type AttributesOutcome =
  | { readonly ok: true; readonly value: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly problem: string };

/**
 * OTEL_RESOURCE_ATTRIBUTES as the OTel spec defines it: `key1=value1,key2=value2` (W3C Baggage without
 * properties), values percent-encoded, surrounding spaces not significant. The spec says to discard a bad value
 * and report it; the agent refuses to start instead, as it does for every malformed OTEL_* variable, so
 * records never reach a backend without the labels an admin rolled out.
 */
export function parseResourceAttributesVariable(value: string, variable = 'OTEL_RESOURCE_ATTRIBUTES'): AttributesOutcome {
  const out: Record<string, string> = {};
  if (value.trim() === '') return { ok: true, value: out };
  for (const [index, raw] of value.split(',').entries()) {
    const member = raw.trim();
    const where = `${variable}: entry ${index + 1} (${JSON.stringify(member)})`;
    if (member === '') return { ok: false, problem: `${where}: empty entry; expected key=value pairs separated by commas` };
    const eq = member.indexOf('=');
    if (eq <= 0) return { ok: false, problem: `${where}: expected key=value` };
    const key = member.slice(0, eq).trim();
    let decoded: string;
    try {
      decoded = decodeURIComponent(member.slice(eq + 1).trim());
    } catch {
      return { ok: false, problem: `${where}: the value is not valid percent-encoding (write a literal % as %25)` };
    }
    if (key === '' || /[\s",;\\]/.test(key)) return { ok: false, problem: `${where}: the key must be a non-empty token without spaces, quotes, commas, semicolons or backslashes` };
    out[key] = decoded;
  }
  return { ok: true, value: out };
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
  const attributes: Record<string, string> = { 'service.name': SERVICE_NAME, ...fromEnv.value };
  const serviceName = env('OTEL_SERVICE_NAME')?.trim();
  if (serviceName !== undefined && serviceName !== '') attributes['service.name'] = serviceName;
  Object.assign(attributes, service.resource_attributes);
  if (service.instance_id !== '') attributes['service.instance.id'] = service.instance_id;
  else if (attributes['service.instance.id'] === undefined || attributes['service.instance.id'] === '')
    attributes['service.instance.id'] = inputs.hostId !== '' ? inputs.hostId : inputs.fallbackInstanceId();
  if (service.environment !== '') attributes['deployment.environment.name'] = service.environment;
  attributes['service.version'] = AGENT_VERSION;
  return { ok: true, value: attributes };
}
