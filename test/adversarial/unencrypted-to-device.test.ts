/**
 * Trust: in an encrypted room, mesh call signalling (m.call.* over to-device) must arrive end-to-end
 * encrypted. An unencrypted to-device message is only as trustworthy as the homeserver that delivers
 * it, and it carries the SDP, DTLS fingerprints included: a homeserver could forge an answer, a
 * renegotiation or a hangup. The `encrypted` flag is required as it is for media keys
 * (src/group/mesh/mesh-signalling.ts, src/group/room-encryption.ts).
 */
import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../demo/host/homeserver.js';
import { MemoryTransport } from '../../demo/host/memory-transport.js';
import { MeshSignalling, type ReceivedLegEvent } from '../../src/group/mesh/mesh-signalling.js';
import { realCallClock } from '../../src/call/call-timings.js';
import { RoomEncryption, ROOM_ENCRYPTION_NEED } from '../../src/group/room-encryption.js';
import { until } from '../support/demo-page.js';
import { connectedMeshPair } from './mesh-pair.js';
import { ToDeviceHub } from '../support/to-device-hub.js';

const alice = '@alice:test.invalid';
const bob = '@bob:test.invalid';

function hangupContent(roomId: string, seq: number, over: Record<string, unknown> = {}) {
  return {
    call_id: 'c1',
    party_id: 'B1',
    version: '1',
    reason: 'user_hangup',
    device_id: 'B1',
    sender_session_id: 'bob-session',
    dest_session_id: 'alice-session',
    seq,
    room_id: roomId,
    ...over,
  };
}

describe('unencrypted to-device call signalling (adversarial)', () => {
  describe('MeshSignalling', () => {
    function signalling(requireEncrypted?: () => boolean) {
      const hub = new ToDeviceHub();
      const received: ReceivedLegEvent[] = [];
      const log: string[] = [];
      const s = new MeshSignalling({
        transport: hub.device(alice, 'A1', '!r:x'),
        clock: realCallClock,
        ownSessionId: () => 'alice-session',
        onEvent: (event) => received.push(event),
        log: (line) => log.push(line),
        ...(requireEncrypted ? { requireEncrypted } : {}),
      });
      s.start();
      const deliver = (seq: number, encrypted: boolean) =>
        hub.deliver(`${bob}|B1`, `${alice}|A1`, {
          type: 'm.call.hangup',
          sender: bob,
          content: hangupContent('!r:x', seq),
          encrypted,
        });
      return { s, received, log, deliver };
    }

    it('drops an unencrypted m.call.* event where encryption is required, and says why', async () => {
      const { s, received, log, deliver } = signalling(() => true);
      deliver(0, false);
      await until('the event to be handled', () => log.length > 0 || received.length > 0);
      expect(received, 'events handed on').to.deep.equal([]);
      expect(log.join('\n')).to.match(/encrypted/);
      deliver(0, true);
      await until('the encrypted event', () => received.length > 0);
      s.stop();
    });

    it('requires encryption unless told the room is not encrypted (matrix-js-sdk sends plain there)', async () => {
      const strict = signalling();
      strict.deliver(0, false);
      await until('the event to be handled', () => strict.log.length > 0 || strict.received.length > 0);
      expect(strict.received).to.deep.equal([]);
      strict.s.stop();
      const plain = signalling(() => false);
      plain.deliver(0, false);
      await until('the plain event in an unencrypted room', () => plain.received.length > 0);
      plain.s.stop();
    });
  });

  it('the room counts as encrypted when its state says so, once it turns encryption on, and when unsure', async () => {
    const hs = new TestHomeserver({ delivery: 'task' });
    hs.addUser(alice, { devices: ['D1'] });
    const roomId = hs.createRoom({ creator: alice });
    const transport = new MemoryTransport(hs, { userId: alice, deviceId: 'D1', roomId });
    await transport.start([ROOM_ENCRYPTION_NEED]);
    const room = new RoomEncryption(transport);
    expect(room.encrypted, 'before the read').to.equal(true);
    await room.start();
    expect(room.encrypted, 'a plain room').to.equal(false);
    hs.sendState(roomId, alice, 'm.room.encryption', '', { algorithm: 'm.megolm.v1.aes-sha2' });
    await until('encryption turned on', () => room.encrypted);
    room.stop();
    const refused = new MemoryTransport(hs, { userId: alice, deviceId: 'D1', roomId });
    await refused.start([]);
    const unsure = new RoomEncryption(refused);
    await unsure.start();
    expect(unsure.encrypted, 'the read refused').to.equal(true);
    unsure.stop();
    transport.close();
    refused.close();
  });

  it('in an encrypted room, a forged unencrypted hangup does not end a connected mesh leg', async () => {
    const hs = new TestHomeserver({ delivery: 'task' });
    for (const user of [alice, bob]) hs.addUser(user, { devices: ['D1'] });
    const roomId = hs.createRoom({ creator: alice, members: [bob], encrypted: true });
    const pair = await connectedMeshPair(hs, roomId, { alice, bob });
    try {
      const { alice: a, bob: b, legToBob: leg, connected } = pair;
      const callId = leg()!.callId;
      const partyId = 'D1';
      // The homeserver forges Bob's hangup: every seq, so that one is the next Alice expects.
      for (let seq = 0; seq < 100; seq++) {
        hs.sendToDevice(bob, 'D1', 'm.call.hangup', false, {
          [alice]: {
            D1: hangupContent(roomId, seq, {
              call_id: callId,
              party_id: partyId,
              device_id: 'D1',
              sender_session_id: b.call.sessionId,
              dest_session_id: a.call.sessionId,
            }),
          },
        });
      }
      await until(
        'the forged hangups to be handled',
        () =>
          !connected() || a.log.filter((l) => l.includes('must arrive end-to-end encrypted')).length === 100,
      );
      expect(leg()?.callId, 'the leg to Bob').to.equal(callId);
      expect(connected(), `still connected; log: ${a.log.slice(-5).join(' / ')}`).to.equal(true);
    } finally {
      pair.dispose();
    }
  });
});
