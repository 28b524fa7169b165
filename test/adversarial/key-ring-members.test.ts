/**
 * Trust: media keys are taken only from the call's current member devices, and what keys can make the
 * ring hold is bounded. Anyone on any homeserver can send this device encrypted to-device messages,
 * and the device id in a key event is the sender's claim; without these rules 640 key events from
 * strangers gave 640 stored keys, each handed to LiveKit (src/group/livekit/key-ring.ts).
 */
import { expect } from '@open-wc/testing';
import { KeyExchange, type CallDevice } from '../../src/group/livekit/key-exchange.js';
import { KEY_RING_BOUNDS, type KeyProviderSink } from '../../src/group/livekit/key-ring.js';
import {
  ELEMENT_ENCRYPTION_KEYS,
  FAMEDLY_ENCRYPTION_KEYS,
} from '../../src/signalling/encryption-keys/index.js';
import { until } from '../support/demo-page.js';
import { ToDeviceHub } from '../support/to-device-hub.js';

const ROOM = '!keys:example.org';
const ALICE = '@alice:example.org|ALICE';
const bob: CallDevice = {
  userId: '@bob:example.org',
  deviceId: 'BOB',
  membershipTs: 1000,
  format: 'element',
};
const fam: CallDevice = {
  userId: '@fam:example.org',
  deviceId: 'FAM',
  membershipTs: 1000,
  format: 'famedly',
};

const keyText = (n: number) => btoa(String.fromCharCode(...new Uint8Array(16).fill(n % 256)));

function elementKey(userId: string, deviceId: string, index: number, sentTs = index) {
  return {
    type: ELEMENT_ENCRYPTION_KEYS,
    sender: userId,
    encrypted: true,
    content: {
      keys: { index, key: keyText(index) },
      member: { id: `${userId}:${deviceId}`, claimed_device_id: deviceId },
      room_id: ROOM,
      session: { application: 'm.call', call_id: '', scope: 'm.room' },
      sent_ts: sentTs,
    },
  };
}

describe('media keys from devices that are not in the call (adversarial)', () => {
  let hub: ToDeviceHub;
  let exchange: KeyExchange;
  let sunk: string[];
  let rejected: string[];

  beforeEach(() => {
    hub = new ToDeviceHub();
    sunk = [];
    rejected = [];
    const sink: KeyProviderSink = { setKey: (identity, _bytes, index) => sunk.push(`${identity}#${index}`) };
    exchange = new KeyExchange({
      transport: hub.device('@alice:example.org', 'ALICE', ROOM),
      sink,
      onRejected: (reason) => rejected.push(reason),
    });
    exchange.start();
    exchange.setMembers([bob]);
  });
  afterEach(() => exchange.stop());

  /** Delivers `events` and waits until the last one was handled (a marker key from Bob behind them). */
  async function deliverAll(events: ReturnType<typeof elementKey>[]): Promise<void> {
    for (const event of events) hub.deliver('x', ALICE, event);
    hub.deliver('x', ALICE, elementKey(bob.userId, bob.deviceId, 255, 1e12));
    await until('the flood to be handled', () => sunk.includes('@bob:example.org:BOB#255'));
  }

  it('640 key events from strangers’ devices are neither used nor handed to LiveKit, and few are held', async () => {
    const flood = [];
    for (let u = 0; u < 40; u++)
      for (let d = 0; d < 16; d++) flood.push(elementKey(`@stranger${u}:evil.example`, `D${d}`, d));
    await deliverAll(flood);
    const used = exchange.ring.remoteKeys().filter((k) => k.userId !== bob.userId);
    expect(used, 'keys of non-members in use').to.deep.equal([]);
    expect(
      sunk.filter((s) => s.includes('evil.example')),
      'non-member keys given to LiveKit',
    ).to.deep.equal([]);
    const waitingBound = KEY_RING_BOUNDS.waitingDevices * KEY_RING_BOUNDS.waitingKeysPerDevice;
    expect(exchange.ring.waitingKeyCount, 'keys waiting for a membership').to.be.at.most(waitingBound);
  });

  it('one stranger claiming many device ids holds at most a few waiting slots', async () => {
    const flood = [];
    for (let d = 0; d < 200; d++)
      for (let i = 0; i < 3; i++) flood.push(elementKey('@mallory:evil.example', `M${d}`, i));
    await deliverAll(flood);
    const bound = KEY_RING_BOUNDS.waitingDevicesPerUser * KEY_RING_BOUNDS.waitingKeysPerDevice;
    expect(exchange.ring.waitingKeyCount).to.be.at.most(bound);
  });

  it('a member sending key after key is held to the latest few indexes', async () => {
    const flood = [];
    for (let n = 0; n < 640; n++) flood.push(elementKey(bob.userId, bob.deviceId, n % 250, n));
    await deliverAll(flood);
    const held = exchange.ring.remoteKeys().filter((k) => k.deviceId === bob.deviceId);
    expect(held.length).to.be.at.most(KEY_RING_BOUNDS.keysPerDevice);
    expect(
      held.map((k) => k.index),
      'the newest key is kept',
    ).to.include(255);
  });

  it('a famedly member’s event of 256 keys is held to the latest few', async () => {
    exchange.setMembers([bob, fam]);
    hub.deliver('x', ALICE, {
      type: FAMEDLY_ENCRYPTION_KEYS,
      sender: fam.userId,
      encrypted: true,
      content: {
        keys: Array.from({ length: 256 }, (_, index) => ({ index, key: keyText(index) })),
        call_id: ROOM,
        conf_id: ROOM,
        device_id: fam.deviceId,
        room_id: ROOM,
      },
    });
    await until('famedly keys', () => sunk.includes('@fam:example.org:FAM#255'));
    expect(exchange.ring.remoteKeys().length).to.be.at.most(KEY_RING_BOUNDS.keysPerDevice);
  });

  it('a key that overtakes its sender’s membership waits, and is used once the membership appears', async () => {
    const carol: CallDevice = { ...bob, userId: '@carol:example.org', deviceId: 'CAROL' };
    await deliverAll([elementKey(carol.userId, carol.deviceId, 3)]);
    expect(
      sunk.some((s) => s.startsWith(carol.userId)),
      'used before Carol is a member',
    ).to.equal(false);
    exchange.setMembers([bob, carol]);
    expect(sunk).to.include('@carol:example.org:CAROL#3');
  });

  it('a device that left the call has its keys dropped, and new keys from it are not used', async () => {
    await deliverAll([]);
    exchange.setMembers([]);
    expect(exchange.ring.remoteKeys()).to.deep.equal([]);
    const before = sunk.length;
    hub.deliver('x', ALICE, elementKey(bob.userId, bob.deviceId, 7, 2e12));
    await until('the key to be handled', () => exchange.ring.waitingKeyCount > 0);
    expect(sunk.length, 'keys handed to LiveKit after Bob left').to.equal(before);
  });
});
