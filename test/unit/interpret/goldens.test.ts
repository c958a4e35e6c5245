// Golden expectations for one event of every id in the samples, written by reading each event's XML/JSON
// (values copied from the fixture text by hand), then checked against the exported record.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { loadConfig } from '../../../agent/config/index.ts';
import { createBasicEnricher } from '../../../agent/enrich/index.ts';
import { createEventPipeline } from '../../../agent/pipeline/index.ts';
import { loadReplayFile } from '../../../agent/source/index.ts';
import type { AttributeValue } from '../../../agent/telemetry/index.ts';
import { fixture } from '../../helpers/fixtures.ts';

interface Golden {
  readonly file: string;
  /** Which record of the file (1-based). */
  readonly position: number;
  readonly eventName: string;
  readonly severity: string;
  readonly timestamp: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** The body, where its wording is part of the contract. */
  readonly body?: string;
}

const GOLDENS: readonly Golden[] = [
  {
    file: 'ms-docs/event-5157.xml',
    position: 1,
    eventName: 'wfp.connection.blocked',
    severity: 'WARN',
    timestamp: '2015-09-22T03:46:51.662750400Z',
    attributes: {
      'windows.event.id': 5157,
      'windows.event.record_id': 304390,
      'host.name': 'DC01.contoso.local',
      'wfp.direction': 'inbound',
      // listener.exe listens on 3333; 49218 is the remote client's ephemeral port.
      'network.local.address': '10.0.0.10',
      'network.local.port': 3333,
      'network.peer.address': '10.0.0.100',
      'network.peer.port': 49218,
      'network.type': 'ipv4',
      'network.transport': 'tcp',
      'wfp.protocol.number': 6,
      'wfp.protocol.name': 'tcp',
      'process.pid': 4556,
      'process.executable.path': '\\device\\harddiskvolume2\\documents\\listener.exe',
      'process.executable.name': 'listener.exe',
      'wfp.layer.name': 'Receive/Accept',
      'wfp.layer.id': 44,
      'wfp.filter.id': 110398,
    },
  },
  {
    file: 'ms-docs/event-5152.xml',
    position: 1,
    eventName: 'wfp.packet.dropped',
    severity: 'INFO',
    timestamp: '2015-09-22T16:52:37.274367300Z',
    attributes: {
      'windows.event.id': 5152,
      'wfp.direction': 'inbound',
      'network.local.address': '10.0.0.10',
      'network.local.port': 3333,
      'network.peer.address': '10.0.0.100',
      'network.peer.port': 49278,
      'wfp.filter.id': 0,
      'wfp.layer.name': 'Receive/Accept',
      'process.pid': 4556,
    },
  },
  {
    file: 'ms-docs/event-5155.xml',
    position: 1,
    eventName: 'wfp.listen.blocked',
    severity: 'WARN',
    timestamp: '2019-04-18T03:49:08.507780900Z',
    attributes: { 'windows.event.id': 5155, 'network.local.address': '0.0.0.0', 'network.local.port': 5555, 'process.executable.name': 'nc.exe', 'wfp.layer.name': 'Listen' },
  },
  {
    file: 'ms-docs/event-5159.xml',
    position: 1,
    eventName: 'wfp.bind.blocked',
    severity: 'WARN',
    timestamp: '2019-04-19T07:36:55.955388300Z',
    attributes: { 'windows.event.id': 5159, 'network.local.port': 5555, 'process.executable.name': 'nc.exe', 'wfp.layer.name': 'Resource Assignment' },
  },
  {
    file: 'ms-docs/event-5031.xml',
    position: 1,
    eventName: 'wfp.firewall.app_blocked',
    severity: 'WARN',
    timestamp: '2015-09-22T03:46:36.634473000Z',
    attributes: { 'windows.event.id': 5031, 'wfp.firewall.profiles': 'Domain', 'process.executable.name': 'listener.exe', 'process.executable.path': 'C:\\documents\\listener.exe' },
  },
  {
    file: 'ms-docs/event-5447.xml',
    position: 1,
    eventName: 'wfp.filter.changed',
    severity: 'INFO',
    timestamp: '2015-10-07T23:51:12.191198900Z',
    attributes: {
      'wfp.filter.change': 'delete',
      'wfp.filter.id': 100100,
      'wfp.filter.name': 'Port Scanning Prevention Filter',
      'wfp.filter.type': 'Not persistent',
      'wfp.filter.action': 'callout',
      'wfp.layer.name': 'Inbound Transport v4 Discard Layer',
      'wfp.layer.id': 13,
      'user.id': 'S-1-5-19',
    },
  },
  {
    file: 'ms-docs/event-4719.xml',
    position: 1,
    eventName: 'windows.audit_policy.changed',
    severity: 'WARN',
    timestamp: '2015-09-30T19:57:09.668217100Z',
    // The fixture's SubcategoryGuid {0CCE9223-...} is Handle Manipulation (MS-GPAC 2.2.1.2); the body names it.
    body: 'System audit policy changed for subcategory Handle Manipulation {0CCE9223-69AE-11D9-BED3-505054503030}: Success removed, Failure removed (by CONTOSO\\DC01$).',
    attributes: {
      'windows.audit.category': 'Object Access',
      'windows.audit.subcategory.guid': '{0cce9223-69ae-11d9-bed3-505054503030}',
      'windows.audit.changes': 'Success removed, Failure removed',
      'user.name': 'DC01$',
    },
  },
  {
    file: 'ms-docs/event-1102.xml',
    position: 1,
    eventName: 'windows.security_log.cleared',
    severity: 'WARN',
    timestamp: '2015-10-16T00:39:58.656871200Z',
    attributes: { 'windows.event.id': 1102, 'user.name': 'dadmin', 'user.domain': 'CONTOSO', 'windows.event.provider': 'Microsoft-Windows-Eventlog' },
  },
  {
    // Line 14 of the file: WORKSTATION6 (172.18.39.6 by its outbound events) blocked 172.18.39.5:54359 -> :50115.
    file: 'otrf/covenant_sharpsc_query_dcerpc_smb_svcctl_2020-08-06012009.wfp-subset.jsonl',
    position: 14,
    eventName: 'wfp.connection.blocked',
    severity: 'WARN',
    timestamp: '2020-08-06T05:20:24Z',
    attributes: {
      'windows.event.record_id': 85649,
      'host.name': 'WORKSTATION6.theshire.local',
      'network.local.address': '172.18.39.6',
      'network.local.port': 50115,
      'network.peer.address': '172.18.39.5',
      'network.peer.port': 54359,
      'wfp.sides.resolution': 'known-address-dest',
      'process.executable.name': 'services.exe',
      'wfp.filter.id': 69408,
      'wfp.layer.name': 'Receive/Accept',
    },
  },
  {
    // First 5152 of the ntdsutil dataset (line 4): a DNS answer from 192.203.230.10:53 to DC01 192.168.1.4:49977 dropped.
    file: 'otrf/cmd_dumping_ntds_dit_file_ntdsutil.wfp-subset.jsonl',
    position: 4,
    eventName: 'wfp.packet.dropped',
    severity: 'INFO',
    timestamp: '2023-07-19T09:02:18.301Z',
    attributes: {
      'network.local.address': '192.168.1.4',
      'network.local.port': 49977,
      'network.peer.address': '192.203.230.10',
      'network.peer.port': 53,
      'wfp.sides.resolution': 'packet-dest-local',
      'network.transport': 'udp',
      'wfp.filter.origin': 'Query User Default',
      'wfp.filter.id': 71038,
      'wfp.layer.name': 'ICMP Error',
      'wfp.layer.id': 28,
    },
  },
  {
    file: 'otrf/empire_persistence_registry_modification_run_keys_standard_user_2020-09-04030609.wfp-subset.jsonl',
    position: 1,
    eventName: 'wfp.filter.present',
    severity: 'INFO',
    timestamp: '2020-09-04T07:07:59Z',
    attributes: {
      'wfp.filter.id': 1,
      'wfp.filter.name': 'Boot Time Filter',
      'wfp.filter.type': 'Boot-time',
      'wfp.filter.action': 'permit',
      'wfp.layer.name': 'ALE Receive/Accept v6 Layer',
      'wfp.layer.id': 46,
      'wfp.filter.provider': 'Microsoft Corporation',
    },
  },
  {
    file: 'ms-docs/event-5156.xml',
    position: 1,
    eventName: 'wfp.connection.allowed',
    severity: 'INFO',
    timestamp: '2015-09-22T05:24:22.622090200Z',
    attributes: { 'windows.event.id': 5156, 'wfp.outcome': 'allowed' },
  },
  {
    file: 'ms-docs/event-5154.xml',
    position: 1,
    eventName: 'wfp.listen.allowed',
    severity: 'INFO',
    timestamp: '2015-09-22T02:04:25.757462900Z',
    attributes: { 'network.local.port': 4444, 'wfp.layer.name': 'Listen' },
  },
  {
    file: 'ms-docs/event-5158.xml',
    position: 1,
    eventName: 'wfp.bind.allowed',
    severity: 'INFO',
    timestamp: '2015-09-22T05:24:03.376171200Z',
    attributes: { 'network.local.port': 3333, 'wfp.layer.name': 'Resource Assignment' },
  },
];

describe('golden records per event id', () => {
  const config = loadConfig(undefined);
  for (const g of GOLDENS) {
    it(`${basename(g.file)} #${g.position} -> ${g.eventName}`, () => {
      const loaded = loadReplayFile(fixture(g.file));
      const pipeline = createEventPipeline(config, { enricher: createBasicEnricher() });
      for (const item of loaded.items) pipeline.learn(item);
      const item = loaded.items.find((i) => i.position === g.position);
      assert.ok(item, `no record ${g.position}`);
      const out = pipeline.process(item);
      if (!out.ok) assert.fail(out.detail);
      const r = out.value.record;
      assert.equal(r.eventName, g.eventName);
      assert.equal(r.severityText, g.severity);
      assert.equal(r.timestamp, g.timestamp);
      for (const [key, value] of Object.entries(g.attributes)) assert.deepEqual(r.attributes[key], value, key);
      if (g.body !== undefined) assert.equal(r.body, g.body);
    });
  }
});
