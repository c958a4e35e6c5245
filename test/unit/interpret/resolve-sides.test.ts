// Local/remote resolution against both conventions the real samples show (WFP-REFERENCE.md "Field semantics").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSides } from '../../../agent/interpret/index.ts';
import type { SideInput } from '../../../agent/interpret/resolve-sides.ts';

const never = () => false;
const ep = (address: string, port: number) => ({ address, port });

function sides(input: SideInput, isLocal: (a: string) => boolean = never): string {
  const s = resolveSides(input, isLocal);
  return `${s.local.address}:${s.local.port} <- ${s.peer?.address}:${s.peer?.port} (${s.resolution})`;
}

describe('resolveSides', () => {
  it('outbound: Source* is local', () => {
    assert.equal(
      sides({ kind: 'connection', direction: 'outbound', source: ep('172.18.39.5', 52810), destination: ep('169.254.169.254', 80) }),
      '172.18.39.5:52810 <- 169.254.169.254:80 (outbound-source-local)',
    );
  });

  it('inbound packet drop: the destination is local', () => {
    assert.equal(
      sides({ kind: 'packet', direction: 'inbound', source: ep('192.203.230.10', 53), destination: ep('192.168.1.4', 49977) }),
      '192.168.1.4:49977 <- 192.203.230.10:53 (packet-dest-local)',
    );
  });

  it('2019 convention (Source* = local) decided by the known address: DC 10.0.2.15 serving SMB', () => {
    const isLocal = (a: string) => a === '10.0.2.15';
    assert.equal(
      sides({ kind: 'connection', direction: 'inbound', source: ep('10.0.2.15', 445), destination: ep('10.0.2.17', 49222) }, isLocal),
      '10.0.2.15:445 <- 10.0.2.17:49222 (known-address-source)',
    );
  });

  it('2020+ convention (Source* = remote) decided by the known address even with two ephemeral ports', () => {
    const isLocal = (a: string) => a === '172.18.39.6';
    assert.equal(
      sides({ kind: 'connection', direction: 'inbound', source: ep('172.18.39.5', 54359), destination: ep('172.18.39.6', 50115) }, isLocal),
      '172.18.39.6:50115 <- 172.18.39.5:54359 (known-address-dest)',
    );
  });

  it('loopback (both sides local): the service port decides, in either order', () => {
    const both = () => true;
    assert.equal(
      sides({ kind: 'connection', direction: 'inbound', source: ep('127.0.0.2', 3389), destination: ep('127.0.0.1', 49271) }, both),
      '127.0.0.2:3389 <- 127.0.0.1:49271 (heuristic-service-port)',
    );
    assert.equal(
      sides({ kind: 'connection', direction: 'inbound', source: ep('10.0.0.4', 54804), destination: ep('10.0.0.4', 445) }, both),
      '10.0.0.4:445 <- 10.0.0.4:54804 (heuristic-service-port)',
    );
  });

  it('nothing decides: Dest* is local, and the resolution says it was a guess', () => {
    assert.equal(
      sides({ kind: 'connection', direction: 'inbound', source: ep('10.1.1.1', 50000), destination: ep('10.1.1.2', 50001) }),
      '10.1.1.2:50001 <- 10.1.1.1:50000 (heuristic-dest-local)',
    );
  });

  it('49152 is the first ephemeral port, 49151 the last service port (the boundary both ways)', () => {
    assert.equal(
      sides({ kind: 'connection', direction: 'inbound', source: ep('10.1.1.1', 49151), destination: ep('10.1.1.2', 49152) }),
      '10.1.1.1:49151 <- 10.1.1.2:49152 (heuristic-service-port)',
    );
    assert.equal(
      sides({ kind: 'connection', direction: 'inbound', source: ep('10.1.1.1', 49152), destination: ep('10.1.1.2', 49151) }),
      '10.1.1.2:49151 <- 10.1.1.1:49152 (heuristic-service-port)',
    );
    // 49152 facing a higher ephemeral port: neither is a service port, so nothing decides.
    assert.equal(
      sides({ kind: 'connection', direction: 'inbound', source: ep('10.1.1.1', 49152), destination: ep('10.1.1.2', 60000) }),
      '10.1.1.2:60000 <- 10.1.1.1:49152 (heuristic-dest-local)',
    );
    assert.equal(
      sides({ kind: 'connection', direction: 'inbound', source: ep('10.1.1.1', 60000), destination: ep('10.1.1.2', 49152) }),
      '10.1.1.2:49152 <- 10.1.1.1:60000 (heuristic-dest-local)',
    );
  });

  it('listen and bind have only a local side', () => {
    const s = resolveSides({ kind: 'listen', direction: 'unknown', source: ep('0.0.0.0', 5555), destination: null }, never);
    assert.deepEqual(s, { local: ep('0.0.0.0', 5555), peer: null, resolution: 'single-sided' });
  });
});
