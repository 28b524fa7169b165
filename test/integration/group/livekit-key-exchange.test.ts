// Key exchange between kit instances over a to-device relay (test/support/to-device-hub.ts, a test
// double of the homeserver's to-device delivery).
import { expect } from '@open-wc/testing';
import { KeyExchange, type CallDevice } from '../../../src/group/livekit/key-exchange.js';
import type { KeyProviderSink } from '../../../src/group/livekit/key-ring.js';
import {
  ELEMENT_ENCRYPTION_KEYS,
  FAMEDLY_ENCRYPTION_KEYS,
  FAMEDLY_ENCRYPTION_KEYS_REQUEST,
} from '../../../src/signalling/encryption-keys/index.js';
import { ToDeviceHub } from '../../support/to-device-hub.js';

const ROOM = '!sfu:example.org';
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await wait(5);
  }
}

interface Kit {
  readonly exchange: KeyExchange;
  readonly device: CallDevice;
  readonly sunk: Array<{ identity: string; index: number; key: string }>;
  readonly rejected: string[];
}

function kit(
  hub: ToDeviceHub,
  name: string,
  format: CallDevice['format'] = 'element',
  membershipTs = 1000,
): Kit {
  const userId = `@${name}:example.org`;
  const deviceId = name.toUpperCase();
  const sunk: Kit['sunk'] = [];
  const rejected: string[] = [];
  const sink: KeyProviderSink = {
    setKey: (identity, bytes, index) => sunk.push({ identity, index, key: Array.from(bytes).join(',') }),
  };
  const exchange = new KeyExchange({
    transport: hub.device(userId, deviceId, ROOM),
    sink,
    leaveRotationDelayMs: 60,
    useKeyDelayMs: 20,
    onRejected: (reason) => rejected.push(reason),
  });
  exchange.start();
  return { exchange, device: { userId, deviceId, membershipTs, format }, sunk, rejected };
}

const keyOf = (k: Kit) => Array.from(k.exchange.ring.currentKey!.key).join(',');
const identity = (k: Kit) => `${k.device.userId}:${k.device.deviceId}`;
const heldBy = (holder: Kit, owner: Kit, index: number) =>
  holder.sunk.some((s) => s.identity === identity(owner) && s.index === index && s.key === keyOf(owner));

describe('SFU key exchange between kit instances', () => {
  it('every member ends up with every other member’s key, under its LiveKit identity', async () => {
    const hub = new ToDeviceHub();
    const kits = [kit(hub, 'alice'), kit(hub, 'bob'), kit(hub, 'carol')];
    const devices = kits.map((k) => k.device);
    for (const k of kits) k.exchange.setMembers(devices);
    await until(() => kits.every((a) => kits.every((b) => a === b || heldBy(a, b, 0))), 'all keys');
    for (const k of kits) expect(k.exchange.ring.currentKey!.key.length).to.equal(16);
    expect(hub.log.every((d) => d.event.encrypted && d.event.type === ELEMENT_ENCRYPTION_KEYS)).to.equal(
      true,
    );
    expect(hub.log).to.have.length(6);
    for (const k of kits) k.exchange.stop();
  });

  it('after someone leaves, the others rotate and the leaver never sees the new keys', async () => {
    const hub = new ToDeviceHub();
    const [alice, bob, carol] = [kit(hub, 'alice'), kit(hub, 'bob'), kit(hub, 'carol')];
    const all = [alice!, bob!, carol!];
    for (const k of all) k.exchange.setMembers(all.map((x) => x.device));
    await until(() => heldBy(alice!, bob!, 0) && heldBy(bob!, alice!, 0), 'first keys');
    carol!.exchange.stop();
    const remaining = [alice!, bob!];
    for (const k of remaining) k.exchange.setMembers(remaining.map((x) => x.device));
    await until(() => heldBy(alice!, bob!, 1) && heldBy(bob!, alice!, 1), 'rotated keys');
    const toCarolAfter = hub.log.filter(
      (d) =>
        d.to === '@carol:example.org|CAROL' &&
        (d.event.content as { keys: { index: number } }).keys.index === 1,
    );
    expect(toCarolAfter).to.deep.equal([]);
    await until(
      () => alice!.sunk.some((s) => s.identity === identity(alice!) && s.index === 1),
      'own key in use',
    );
    for (const k of remaining) k.exchange.stop();
  });

  it('ignores key events that arrive unencrypted, or for another call', async () => {
    const hub = new ToDeviceHub();
    const alice = kit(hub, 'alice');
    const content = {
      keys: { index: 0, key: btoa('0123456789abcdef') },
      member: { id: 'x', claimed_device_id: 'MALLORY' },
      room_id: ROOM,
      session: { application: 'm.call', call_id: '', scope: 'm.room' },
    };
    const to = '@alice:example.org|ALICE';
    hub.deliver('m', to, {
      type: ELEMENT_ENCRYPTION_KEYS,
      sender: '@mallory:example.org',
      content,
      encrypted: false,
    });
    hub.deliver('m', to, {
      type: ELEMENT_ENCRYPTION_KEYS,
      sender: '@mallory:example.org',
      content: { ...content, session: { ...content.session, call_id: 'other' } },
      encrypted: true,
    });
    await until(() => alice.rejected.length === 2, 'two rejections');
    expect(alice.rejected[0]).to.match(/encrypted/);
    expect(alice.rejected[1]).to.match(/another call/);
    expect(alice.exchange.ring.remoteKeys()).to.deep.equal([]);
    alice.exchange.stop();
  });

  it('speaks famedly’s format to a famedly member and answers its key request', async () => {
    const hub = new ToDeviceHub();
    const alice = kit(hub, 'alice');
    const famedly = {
      userId: '@fam:example.org',
      deviceId: 'FAM',
      membershipTs: 5,
      format: 'famedly' as const,
    };
    const famedlyInbox: unknown[] = [];
    hub.device(famedly.userId, famedly.deviceId, ROOM).onToDevice((e) => famedlyInbox.push(e));
    alice.exchange.setMembers([alice.device, famedly]);
    await until(() => famedlyInbox.length === 1, 'famedly key event');
    const first = famedlyInbox[0] as { type: string; content: Record<string, unknown>; encrypted: boolean };
    expect(first.type).to.equal(FAMEDLY_ENCRYPTION_KEYS);
    expect(first.encrypted).to.equal(true);
    expect(first.content).to.deep.include({
      device_id: 'ALICE',
      room_id: ROOM,
      conf_id: ROOM,
      call_id: ROOM,
    });
    // The famedly device asks for keys (e.g. after a reconnect) and sends its own 32-byte key.
    hub.deliver('@fam:example.org|FAM', '@alice:example.org|ALICE', {
      type: FAMEDLY_ENCRYPTION_KEYS_REQUEST,
      sender: famedly.userId,
      content: { conf_id: ROOM, device_id: 'FAM', room_id: ROOM },
      encrypted: true,
    });
    const famedlyKey = Uint8Array.from({ length: 32 }, (_, i) => i);
    hub.deliver('@fam:example.org|FAM', '@alice:example.org|ALICE', {
      type: FAMEDLY_ENCRYPTION_KEYS,
      sender: famedly.userId,
      content: {
        keys: [{ index: 2, key: btoa(String.fromCharCode(...famedlyKey)) }],
        call_id: ROOM,
        conf_id: ROOM,
        device_id: 'FAM',
        room_id: ROOM,
      },
      encrypted: true,
    });
    await until(() => famedlyInbox.length === 2, 'answer to the request');
    expect((famedlyInbox[1] as { type: string }).type).to.equal(FAMEDLY_ENCRYPTION_KEYS);
    await until(() => alice.sunk.some((s) => s.identity === '@fam:example.org:FAM'), 'famedly key in sink');
    const got = alice.sunk.find((s) => s.identity === '@fam:example.org:FAM')!;
    expect([got.index, got.key]).to.deep.equal([2, Array.from(famedlyKey).join(',')]);
    // And the kit can ask famedly devices for theirs.
    await alice.exchange.requestKeys([famedly]);
    await until(() => famedlyInbox.length === 3, 'request');
    expect((famedlyInbox[2] as { type: string }).type).to.equal(FAMEDLY_ENCRYPTION_KEYS_REQUEST);
    alice.exchange.stop();
  });
});
