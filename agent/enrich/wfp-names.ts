// Built-in WFP provider and layer keys: GUID <-> symbolic name. netsh prints symbolic names for built-in
// objects; 5441/5447 events log GUIDs. Normalising both to the symbolic name lets one catalog and one decision
// table serve both sources. GUIDs are the values Microsoft's fwpmu.h declares.

const PROVIDERS: ReadonlyArray<readonly [string, string]> = [
  ['FWPM_PROVIDER_IKEEXT', '{10ad9216-ccde-456c-8b16-e9f04e60a90b}'],
  ['FWPM_PROVIDER_IPSEC_DOSP_CONFIG', '{3c6c05a9-c05c-4bb9-8338-2327814ce8bf}'],
  ['FWPM_PROVIDER_TCP_CHIMNEY_OFFLOAD', '{896aa19e-9a34-4bcb-ae79-beb9127c84b9}'],
  ['FWPM_PROVIDER_TCP_TEMPLATES', '{76cfcd30-3394-432d-bed3-441ae50e63c3}'],
  ['FWPM_PROVIDER_MPSSVC_WSH', '{4b153735-1049-4480-aab4-d1b9bdc03710}'],
  ['FWPM_PROVIDER_MPSSVC_WF', '{decc16ca-3f33-4346-be1e-8fb4ae0f3d62}'],
  ['FWPM_PROVIDER_MPSSVC_EDP', '{a90296f7-46b8-4457-8f84-b05e05d3c622}'],
  ['FWPM_PROVIDER_MPSSVC_TENANT_RESTRICTIONS', '{d0718ff9-44da-4f50-9dc2-c963a4247613}'],
  ['FWPM_PROVIDER_MPSSVC_APP_ISOLATION', '{3cc2631f-2d5d-43a0-b174-614837d863a1}'],
];

const LAYERS: ReadonlyArray<readonly [string, string]> = [
  ['FWPM_LAYER_INBOUND_IPPACKET_V4', '{c86fd1bf-21cd-497e-a0bb-17425c885c58}'],
  ['FWPM_LAYER_INBOUND_IPPACKET_V4_DISCARD', '{b5a230d0-a8c0-44f2-916e-991b53ded1f7}'],
  ['FWPM_LAYER_INBOUND_IPPACKET_V6', '{f52032cb-991c-46e7-971d-2601459a91ca}'],
  ['FWPM_LAYER_INBOUND_IPPACKET_V6_DISCARD', '{bb24c279-93b4-47a2-83ad-ae1698b50885}'],
  ['FWPM_LAYER_OUTBOUND_IPPACKET_V4', '{1e5c9fae-8a84-4135-a331-950b54229ecd}'],
  ['FWPM_LAYER_OUTBOUND_IPPACKET_V4_DISCARD', '{08e4bcb5-b647-48f3-953c-e5ddbd03937e}'],
  ['FWPM_LAYER_OUTBOUND_IPPACKET_V6', '{a3b3ab6b-3564-488c-9117-f34e82142763}'],
  ['FWPM_LAYER_OUTBOUND_IPPACKET_V6_DISCARD', '{9513d7c4-a934-49dc-91a7-6ccb80cc02e3}'],
  ['FWPM_LAYER_IPFORWARD_V4', '{a82acc24-4ee1-4ee1-b465-fd1d25cb10a4}'],
  ['FWPM_LAYER_IPFORWARD_V4_DISCARD', '{9e9ea773-2fae-4210-8f17-34129ef369eb}'],
  ['FWPM_LAYER_IPFORWARD_V6', '{7b964818-19c7-493a-b71f-832c3684d28c}'],
  ['FWPM_LAYER_IPFORWARD_V6_DISCARD', '{31524a5d-1dfe-472f-bb93-518ee945d8a2}'],
  ['FWPM_LAYER_INBOUND_TRANSPORT_V4', '{5926dfc8-e3cf-4426-a283-dc393f5d0f9d}'],
  ['FWPM_LAYER_INBOUND_TRANSPORT_V4_DISCARD', '{ac4a9833-f69d-4648-b261-6dc84835ef39}'],
  ['FWPM_LAYER_INBOUND_TRANSPORT_V6', '{634a869f-fc23-4b90-b0c1-bf620a36ae6f}'],
  ['FWPM_LAYER_INBOUND_TRANSPORT_V6_DISCARD', '{2a6ff955-3b2b-49d2-9848-ad9d72dcaab7}'],
  ['FWPM_LAYER_OUTBOUND_TRANSPORT_V4', '{09e61aea-d214-46e2-9b21-b26b0b2f28c8}'],
  ['FWPM_LAYER_OUTBOUND_TRANSPORT_V4_DISCARD', '{c5f10551-bdb0-43d7-a313-50e211f4d68a}'],
  ['FWPM_LAYER_OUTBOUND_TRANSPORT_V6', '{e1735bde-013f-4655-b351-a49e15762df0}'],
  ['FWPM_LAYER_OUTBOUND_TRANSPORT_V6_DISCARD', '{f433df69-ccbd-482e-b9b2-57165658c3b3}'],
  ['FWPM_LAYER_STREAM_V4', '{3b89653c-c170-49e4-b1cd-e0eeeee19a3e}'],
  ['FWPM_LAYER_STREAM_V4_DISCARD', '{25c4c2c2-25ff-4352-82f9-c54a4a4726dc}'],
  ['FWPM_LAYER_STREAM_V6', '{47c9137a-7ec4-46b3-b6e4-48e926b1eda4}'],
  ['FWPM_LAYER_STREAM_V6_DISCARD', '{10a59fc7-b628-4c41-9eb8-cf37d55103cf}'],
  ['FWPM_LAYER_DATAGRAM_DATA_V4', '{3d08bf4e-45f6-4930-a922-417098e20027}'],
  ['FWPM_LAYER_DATAGRAM_DATA_V4_DISCARD', '{18e330c6-7248-4e52-aaab-472ed67704fd}'],
  ['FWPM_LAYER_DATAGRAM_DATA_V6', '{fa45fe2f-3cba-4427-87fc-57b9a4b10d00}'],
  ['FWPM_LAYER_DATAGRAM_DATA_V6_DISCARD', '{09d1dfe1-9b86-4a42-be9d-8c315b92a5d0}'],
  ['FWPM_LAYER_INBOUND_ICMP_ERROR_V4', '{61499990-3cb6-4e84-b950-53b94b6964f3}'],
  ['FWPM_LAYER_INBOUND_ICMP_ERROR_V4_DISCARD', '{a6b17075-ebaf-4053-a4e7-213c8121ede5}'],
  ['FWPM_LAYER_INBOUND_ICMP_ERROR_V6', '{65f9bdff-3b2d-4e5d-b8c6-c720651fe898}'],
  ['FWPM_LAYER_INBOUND_ICMP_ERROR_V6_DISCARD', '{a6e7ccc0-08fb-468d-a472-9771d5595e09}'],
  ['FWPM_LAYER_OUTBOUND_ICMP_ERROR_V4', '{41390100-564c-4b32-bc1d-718048354d7c}'],
  ['FWPM_LAYER_OUTBOUND_ICMP_ERROR_V4_DISCARD', '{b3598d36-0561-4588-a6bf-e955e3f6264b}'],
  ['FWPM_LAYER_OUTBOUND_ICMP_ERROR_V6', '{7fb03b60-7b8d-4dfa-badd-980176fc4e12}'],
  ['FWPM_LAYER_OUTBOUND_ICMP_ERROR_V6_DISCARD', '{65f2e647-8d0c-4f47-b19b-33a4d3f1357c}'],
  ['FWPM_LAYER_ALE_RESOURCE_ASSIGNMENT_V4', '{1247d66d-0b60-4a15-8d44-7155d0f53a0c}'],
  ['FWPM_LAYER_ALE_RESOURCE_ASSIGNMENT_V4_DISCARD', '{0b5812a2-c3ff-4eca-b88d-c79e20ac6322}'],
  ['FWPM_LAYER_ALE_RESOURCE_ASSIGNMENT_V6', '{55a650e1-5f0a-4eca-a653-88f53b26aa8c}'],
  ['FWPM_LAYER_ALE_RESOURCE_ASSIGNMENT_V6_DISCARD', '{cbc998bb-c51f-4c1a-bb4f-9775fcacab2f}'],
  ['FWPM_LAYER_ALE_AUTH_LISTEN_V4', '{88bb5dad-76d7-4227-9c71-df0a3ed7be7e}'],
  ['FWPM_LAYER_ALE_AUTH_LISTEN_V4_DISCARD', '{371dfada-9f26-45fd-b4eb-c29eb212893f}'],
  ['FWPM_LAYER_ALE_AUTH_LISTEN_V6', '{7ac9de24-17dd-4814-b4bd-a9fbc95a321b}'],
  ['FWPM_LAYER_ALE_AUTH_LISTEN_V6_DISCARD', '{60703b07-63c8-48e9-ada3-12b1af40a617}'],
  ['FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4', '{e1cd9fe7-f4b5-4273-96c0-592e487b8650}'],
  ['FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4_DISCARD', '{9eeaa99b-bd22-4227-919f-0073c63357b1}'],
  ['FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V6', '{a3b42c97-9f04-4672-b87e-cee9c483257f}'],
  ['FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V6_DISCARD', '{89455b97-dbe1-453f-a224-13da895af396}'],
  ['FWPM_LAYER_ALE_AUTH_CONNECT_V4', '{c38d57d1-05a7-4c33-904f-7fbceee60e82}'],
  ['FWPM_LAYER_ALE_AUTH_CONNECT_V4_DISCARD', '{d632a801-f5ba-4ad6-96e3-607017d9836a}'],
  ['FWPM_LAYER_ALE_AUTH_CONNECT_V6', '{4a72393b-319f-44bc-84c3-ba54dcb3b6b4}'],
  ['FWPM_LAYER_ALE_AUTH_CONNECT_V6_DISCARD', '{c97bc3b8-c9a3-4e33-8695-8e17aad4de09}'],
  ['FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4', '{af80470a-5596-4c13-9992-539e6fe57967}'],
  ['FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4_DISCARD', '{146ae4a9-a1d2-4d43-a31a-4c42682b8e4f}'],
  ['FWPM_LAYER_ALE_FLOW_ESTABLISHED_V6', '{7021d2b3-dfa4-406e-afeb-6afaf7e70efd}'],
  ['FWPM_LAYER_ALE_FLOW_ESTABLISHED_V6_DISCARD', '{46928636-bbca-4b76-941d-0fa7f5d7d372}'],  ['FWPM_LAYER_INBOUND_MAC_FRAME_ETHERNET', '{effb7edb-0055-4f9a-a231-4ff8131ad191}'],
  ['FWPM_LAYER_OUTBOUND_MAC_FRAME_ETHERNET', '{694673bc-d6db-4870-adee-0acdbdb7f4b2}'],
  ['FWPM_LAYER_INBOUND_MAC_FRAME_NATIVE', '{d4220bd3-62ce-4f08-ae88-b56e8526df50}'],
  ['FWPM_LAYER_OUTBOUND_MAC_FRAME_NATIVE', '{94c44912-9d6f-4ebf-b995-05ab8a088d1b}'],
  ['FWPM_LAYER_INGRESS_VSWITCH_ETHERNET', '{7d98577a-9a87-41ec-9718-7cf589c9f32d}'],
  ['FWPM_LAYER_EGRESS_VSWITCH_ETHERNET', '{86c872b0-76fa-4b79-93a4-0750530ae292}'],
  ['FWPM_LAYER_INGRESS_VSWITCH_TRANSPORT_V4', '{b2696ff6-774f-4554-9f7d-3da3945f8e85}'],
  ['FWPM_LAYER_INGRESS_VSWITCH_TRANSPORT_V6', '{5ee314fc-7d8a-47f4-b7e3-291a36da4e12}'],
  ['FWPM_LAYER_EGRESS_VSWITCH_TRANSPORT_V4', '{b92350b6-91f0-46b6-bdc4-871dfd4a7c98}'],
  ['FWPM_LAYER_EGRESS_VSWITCH_TRANSPORT_V6', '{1b2def23-1881-40bd-82f4-4254e63141cb}'],
  ['FWPM_LAYER_INBOUND_TRANSPORT_FAST', '{e41d2719-05c7-40f0-8983-ea8d17bbc2f6}'],
  ['FWPM_LAYER_OUTBOUND_TRANSPORT_FAST', '{13ed4388-a070-4815-9935-7a9be6408b78}'],
  ['FWPM_LAYER_INBOUND_MAC_FRAME_NATIVE_FAST', '{853aaa8e-2b78-4d24-a804-36db08b29711}'],
  ['FWPM_LAYER_OUTBOUND_MAC_FRAME_NATIVE_FAST', '{470df946-c962-486f-9446-8293cbc75eb8}'],
  ['FWPM_LAYER_IPSEC_KM_DEMUX_V4', '{f02b1526-a459-4a51-b9e3-759de52b9d2c}'],
  ['FWPM_LAYER_IPSEC_KM_DEMUX_V6', '{2f755cf6-2fd4-4e88-b3e4-a91bca495235}'],
  ['FWPM_LAYER_IPSEC_V4', '{eda65c74-610d-4bc5-948f-3c4f89556867}'],
  ['FWPM_LAYER_IPSEC_V6', '{13c48442-8d87-4261-9a29-59d2abc348b4}'],
  ['FWPM_LAYER_IKEEXT_V4', '{b14b7bdb-dbbd-473e-bed4-8b4708d4f270}'],
  ['FWPM_LAYER_IKEEXT_V6', '{b64786b3-f687-4eb9-89d2-8ef32acdabe2}'],
  ['FWPM_LAYER_RPC_UM', '{75a89dda-95e4-40f3-adc7-7688a9c847e1}'],
  ['FWPM_LAYER_RPC_EPMAP', '{9247bc61-eb07-47ee-872c-bfd78bfd1616}'],
  ['FWPM_LAYER_RPC_EP_ADD', '{618dffc7-c450-4943-95db-99b4c16a55d4}'],
  ['FWPM_LAYER_RPC_PROXY_CONN', '{94a4b50b-ba5c-4f27-907a-229fac0c2a7a}'],
  ['FWPM_LAYER_RPC_PROXY_IF', '{f8a38615-e12c-41ac-98df-121ad981aade}'],
  ['FWPM_LAYER_KM_AUTHORIZATION', '{4aa226e9-9020-45fb-956a-c0249d841195}'],
  ['FWPM_LAYER_NAME_RESOLUTION_CACHE_V4', '{0c2aa681-905b-4ccd-a467-4dd811d07b7b}'],
  ['FWPM_LAYER_NAME_RESOLUTION_CACHE_V6', '{92d592fa-6b01-434a-9dea-d1e96ea97da9}'],
];

function indexByGuid(pairs: ReadonlyArray<readonly [string, string]>): ReadonlyMap<string, string> {
  return new Map(pairs.map(([name, guid]) => [guid, name]));
}

const PROVIDER_BY_GUID = indexByGuid(PROVIDERS);
const LAYER_BY_GUID = indexByGuid(LAYERS);

/** `{DECC16CA-…}` / `decc16ca-…` / `FWPM_…` → the symbolic name when built in, else the lower-case `{guid}`. */
function normalizeKey(key: string, byGuid: ReadonlyMap<string, string>): string {
  const trimmed = key.trim();
  if (trimmed === '' || trimmed === '-') return '';
  if (/^FWPM_/i.test(trimmed)) return trimmed.toUpperCase();
  const bare = trimmed.replace(/^\{|\}$/g, '').toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(bare)) return trimmed;
  const guid = `{${bare}}`;
  return byGuid.get(guid) ?? guid;
}

export function normalizeProviderKey(key: string): string {
  return normalizeKey(key, PROVIDER_BY_GUID);
}

export function normalizeLayerKey(key: string): string {
  return normalizeKey(key, LAYER_BY_GUID);
}

/** The rule set an admin knows a built-in provider by; null for others (the provider's own name is used). */
const RULESETS: Readonly<Record<string, string>> = {
  FWPM_PROVIDER_MPSSVC_WF: 'Windows Defender Firewall',
  FWPM_PROVIDER_MPSSVC_WSH: 'Windows Service Hardening',
  FWPM_PROVIDER_MPSSVC_APP_ISOLATION: 'Windows Defender Firewall app isolation',
  FWPM_PROVIDER_MPSSVC_EDP: 'Windows Information Protection',
  FWPM_PROVIDER_MPSSVC_TENANT_RESTRICTIONS: 'Tenant Restrictions',
  FWPM_PROVIDER_IKEEXT: 'IKE/AuthIP',
  FWPM_PROVIDER_IPSEC_DOSP_CONFIG: 'IPsec DoS Protection',
  FWPM_PROVIDER_TCP_TEMPLATES: 'TCP templates',
  FWPM_PROVIDER_TCP_CHIMNEY_OFFLOAD: 'TCP Chimney Offload',
};

/**
 * The rule set name for a provider: a built-in's well-known name, else the provider's display name unless
 * it is an unresolved indirect string (`@bfe.dll,-1217`), else its key; null when the filter has no provider.
 */
export function rulesetName(providerKey: string, providerName: string): string | null {
  const known = RULESETS[providerKey];
  if (known !== undefined) return known;
  if (providerName !== '' && !providerName.startsWith('@')) return providerName;
  return providerKey === '' ? null : providerKey;
}

/** `FWP_ACTION_BLOCK` / `%%16389` / `Block` → `block`; callouts → `callout`; '' when unknown. */
export function normalizeAction(value: string): string {
  const v = value.trim();
  if (v === '') return '';
  const upper = v.toUpperCase();
  if (upper === '%%16389' || upper === 'FWP_ACTION_BLOCK' || upper === 'BLOCK') return 'block';
  if (upper === '%%16390' || upper === 'FWP_ACTION_PERMIT' || upper === 'PERMIT') return 'permit';
  if (upper === '%%16391' || upper.startsWith('FWP_ACTION_CALLOUT') || upper === 'CALLOUT') return 'callout';
  if (upper === 'FWP_ACTION_CONTINUE') return 'continue';
  return v.toLowerCase();
}
