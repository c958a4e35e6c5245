// Field-level interpretation: codes kept raw when unknown, optional newer fields, paths.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createInterpreter } from '../../../agent/interpret/index.ts';
import type { NetworkEvent, WfpEvent } from '../../../agent/interpret/index.ts';
import type { RawRecord } from '../../../agent/decode/index.ts';

function raw(eventId: number, data: Record<string, string>): RawRecord {
  return {
    provider: 'Microsoft-Windows-Security-Auditing',
    providerGuid: '',
    eventId,
    version: 1,
    level: 0,
    task: 12810,
    opcode: 0,
    keywords: '0x8010000000000000',
    recordId: 1,
    time: '2023-07-19T09:02:18.3010000Z',
    timeQuality: 'exact',
    computer: 'DC01.pandalab.com',
    channel: 'Security',
    executionProcessId: 4,
    executionThreadId: 1,
    data,
    userDataName: '',
    message: '',
    origin: { file: 't', position: 1 },
  };
}

const interpreter = () => createInterpreter({ local_addresses: [], local_addresses_by_host: {}, learn_from_events: true });

function network(e: WfpEvent): NetworkEvent {
  assert.equal(e.body.type, 'network');
  return e.body as NetworkEvent;
}

describe('interpret: network fields', () => {
  it('keeps unknown direction and layer codes raw and flags them', () => {
    const e = interpreter().interpret(raw(5157, { Direction: '%%14599', LayerName: '%%14699', Protocol: '6', SourceAddress: '1.1.1.1', DestAddress: '2.2.2.2' }));
    const n = network(e);
    assert.equal(n.direction, 'unknown');
    assert.deepEqual(n.layer, { raw: '%%14699', code: 14699, name: null });
    assert.deepEqual(e.warnings, ['unknown direction code %%14599', 'unknown layer code %%14699']);
  });

  it('reads the newer optional fields and tolerates their absence', () => {
    const withNew = network(
      interpreter().interpret(
        raw(5152, { Direction: '%%14592', IsLoopback: '%%1826', InterfaceIndex: '10', CurrentProfile: '%%14645', OriginalProfile: '%%14645', FilterOrigin: 'Query User Default', SourceAddress: '1.1.1.1', DestAddress: '2.2.2.2' }),
      ),
    );
    assert.equal(withNew.isLoopback, false);
    assert.equal(withNew.interfaceIndex, 10);
    assert.deepEqual(withNew.currentProfile, { raw: '%%14645', code: 14645, name: null });
    assert.equal(withNew.filterOrigin, 'Query User Default');
    const without = network(interpreter().interpret(raw(5152, { Direction: '%%14592' })));
    assert.equal(without.isLoopback, null);
    assert.equal(without.interfaceIndex, null);
    assert.equal(without.currentProfile, null);
    assert.equal(without.filterOrigin, null);
  });

  it('names protocols by IANA number and keeps unnamed numbers', () => {
    const names = [1, 2, 6, 17, 47, 58, 253].map((p) => network(interpreter().interpret(raw(5152, { Protocol: String(p) }))).protocol);
    assert.deepEqual(names.map((p) => p.name), ['icmp', 'igmp', 'tcp', 'udp', 'gre', 'icmpv6', null]);
    assert.equal(names[6]?.number, 253);
  });

  it('flags ports that are not port numbers instead of failing', () => {
    const e = interpreter().interpret(raw(5157, { Direction: '%%14593', SourceAddress: '10.0.0.1', SourcePort: 'abc', DestAddress: '10.0.0.2', DestPort: '70000' }));
    assert.equal(network(e).source.port, null);
    assert.equal(network(e).destination?.port, null);
    assert.deepEqual(e.warnings, ["SourcePort 'abc' is not a port number", "DestPort '70000' is not a port number"]);
  });

  it('collapses the docs’ doubled backslashes but keeps a real UNC path', () => {
    const docs = network(interpreter().interpret(raw(5157, { Application: '\\\\device\\\\harddiskvolume2\\\\documents\\\\listener.exe' })));
    assert.equal(docs.application.raw, '\\device\\harddiskvolume2\\documents\\listener.exe');
    const unc = network(interpreter().interpret(raw(5157, { Application: '\\\\server\\share\\tool.exe' })));
    assert.equal(unc.application.raw, '\\\\server\\share\\tool.exe');
    assert.equal(unc.application.executableName, 'tool.exe');
    const system = network(interpreter().interpret(raw(5157, { Application: 'System' })));
    assert.equal(system.application.executableName, 'System');
  });

  it('learns a host address from an outbound event and uses it for a later inbound one', () => {
    const i = interpreter();
    i.interpret(raw(5156, { Direction: '%%14593', SourceAddress: '192.168.1.4', SourcePort: '50000', DestAddress: '8.8.8.8', DestPort: '53' }));
    const n = network(i.interpret(raw(5157, { Direction: '%%14592', SourceAddress: '10.9.9.9', SourcePort: '50001', DestAddress: '192.168.1.4', DestPort: '50002' })));
    assert.equal(n.sides.resolution, 'known-address-dest');
    assert.equal(n.sides.local.address, '192.168.1.4');
    // The FQDN and the short name are the same computer.
    assert.deepEqual(i.addresses.addressesOf('DC01'), ['192.168.1.4']);
  });
});

describe('interpret: other events', () => {
  it('4719: splits the change list and keeps the GUID in lower case', () => {
    const e = interpreter().interpret(raw(4719, { CategoryId: '%%8277', SubcategoryId: '%%13573', SubcategoryGuid: '{0CCE9226-69AE-11D9-BED3-505054503030}', AuditPolicyChanges: '%%8449, %%8451' }));
    assert.equal(e.body.type, 'audit-policy-change');
    if (e.body.type !== 'audit-policy-change') return;
    assert.equal(e.body.category.name, 'Policy Change');
    assert.equal(e.body.subcategoryGuid, '{0cce9226-69ae-11d9-bed3-505054503030}');
    assert.equal(e.body.subcategoryName, 'Filtering Platform Connection');
    assert.deepEqual(e.body.changes.map((c) => c.name), ['Success added', 'Failure added']);
    assert.deepEqual(e.warnings, []);
  });

  it('5441 as shippers render it: a text layer name, kept as the name', () => {
    const e = interpreter().interpret(raw(5441, { FilterId: '1', FilterName: 'Boot Time Filter', FilterType: '%%16386', LayerName: 'ALE Receive/Accept v6 Layer', Action: '%%16390' }));
    assert.equal(e.body.type, 'filter');
    if (e.body.type !== 'filter') return;
    assert.equal(e.body.layerName, 'ALE Receive/Accept v6 Layer');
    assert.equal(e.body.filterType?.name, 'Boot-time');
    assert.equal(e.body.action?.name, 'Permit');
    assert.equal(e.body.changeType, null);
  });

  it('unknown ids are kept and flagged', () => {
    const e = interpreter().interpret(raw(4688, {}));
    assert.deepEqual(e.body, { type: 'unknown', eventId: 4688 });
    assert.deepEqual(e.warnings, ['event id 4688 is not one the agent interprets; kept raw']);
  });
});
