import { expect } from '@open-wc/testing';
import {
  KeyRing,
  type KeyProviderSink,
  type KeyRingMember,
  type OutboundKey,
} from '../../../../src/group/livekit/key-ring.js';
import { FakeClock, flushMicrotasks } from '../../../support/fake-clock.js';

const own = { userId: '@me:example.org', deviceId: 'ME', memberId: '@me:example.org:ME' };
const member = (name: string, membershipTs = 1000): KeyRingMember => ({
  userId: `@${name}:example.org`,
  deviceId: name.toUpperCase(),
  membershipTs,
});
const alice = member('alice');
const bob = member('bob');
const carol = member('carol');

interface Sent {
  readonly index: number;
  readonly key: string;
  readonly to: string[];
  readonly at: number;
}

function setup(options: { failSends?: () => boolean } = {}) {
  const clock = new FakeClock();
  const sent: Sent[] = [];
  const sunk: Array<{ identity: string; index: number; key: string; at: number }> = [];
  let counter = 0;
  const sink: KeyProviderSink = {
    setKey: (identity, bytes, index) =>
      sunk.push({ identity, index, key: Array.from(bytes).join(','), at: clock.now() }),
  };
  const ring = new KeyRing({
    own,
    sink,
    clock,
    // Distinct, recognisable keys: every byte is the key's serial number.
    randomBytes: (length) => new Uint8Array(length).fill(++counter),
    send: async (key: OutboundKey, to) => {
      if (options.failSends?.()) throw new Error('to-device refused');
      sent.push({
        index: key.index,
        key: Array.from(key.key).join(','),
        to: to.map((m) => m.deviceId).sort(),
        at: clock.now(),
      });
    },
  });
  const ownSunk = () => sunk.filter((s) => s.identity === '@me:example.org:ME');
  return { clock, sent, sunk, ring, ownSunk };
}

describe('KeyRing', () => {
  it('makes a 16 byte key with index 0, uses it at once and sends it to every member but itself', async () => {
    const { ring, sent, ownSunk } = setup();
    ring.setMembers([{ ...own, membershipTs: 1 }, alice, bob]);
    await ring.settled();
    expect(ring.currentKey?.index).to.equal(0);
    expect(ring.currentKey?.key.length).to.equal(16);
    expect(sent).to.have.length(1);
    expect(sent[0]!.to).to.deep.equal(['ALICE', 'BOB']);
    expect(ownSunk().map((s) => s.index)).to.deep.equal([0]);
    expect(ring.keyIndexInUse).to.equal(0);
  });

  it('uses real randomness by default', async () => {
    const sends: OutboundKey[] = [];
    const a = new KeyRing({ own, send: async (k) => void sends.push(k) });
    const b = new KeyRing({ own, send: async (k) => void sends.push(k) });
    a.setMembers([alice]);
    b.setMembers([alice]);
    await a.settled();
    await b.settled();
    expect(sends).to.have.length(2);
    expect(Array.from(sends[0]!.key)).to.not.deep.equal(Array.from(sends[1]!.key));
    a.dispose();
    b.dispose();
  });

  it('re-sends the current key to a newcomer while it is fresh (under 10 s)', async () => {
    const { ring, sent, clock } = setup();
    ring.setMembers([alice]);
    await clock.advance(9_000);
    ring.setMembers([alice, bob]);
    await clock.advance(0);
    expect(sent.map((s) => [s.index, s.to])).to.deep.equal([
      [0, ['ALICE']],
      [0, ['BOB']],
    ]);
    expect(sent[1]!.key).to.equal(sent[0]!.key);
  });

  it('rotates for a newcomer once the key is 10 s old, sends to everyone, and uses it 1 s later', async () => {
    const { ring, sent, clock, ownSunk } = setup();
    ring.setMembers([alice]);
    await clock.advance(10_000);
    ring.setMembers([alice, bob]);
    await clock.advance(0);
    expect(sent.map((s) => [s.index, s.to])).to.deep.equal([
      [0, ['ALICE']],
      [1, ['ALICE', 'BOB']],
    ]);
    expect(sent[1]!.key).to.not.equal(sent[0]!.key);
    expect(ring.keyIndexInUse).to.equal(0);
    await clock.advance(999);
    expect(ownSunk().map((s) => s.index)).to.deep.equal([0]);
    await clock.advance(1);
    expect(ownSunk().map((s) => s.index)).to.deep.equal([0, 1]);
    expect(ring.keyIndexInUse).to.equal(1);
  });

  it('rotates 3 s after someone leaves, once for several leavers, and never sends to the leavers', async () => {
    const { ring, sent, clock, ownSunk } = setup();
    ring.setMembers([alice, bob, carol]);
    await clock.advance(0);
    ring.setMembers([alice, carol]);
    await clock.advance(1_000);
    ring.setMembers([alice]);
    await clock.advance(1_999);
    expect(sent).to.have.length(1);
    await clock.advance(1);
    expect(sent.map((s) => [s.index, s.to])).to.deep.equal([
      [0, ['ALICE', 'BOB', 'CAROL']],
      [1, ['ALICE']],
    ]);
    await clock.advance(1_000);
    expect(ownSunk().map((s) => [s.index, s.at - ownSunk()[0]!.at])).to.deep.equal([
      [0, 0],
      [1, 4_000],
    ]);
    await clock.advance(60_000);
    expect(sent).to.have.length(2);
  });

  it('a newcomer during the leave delay gets the fresh key, and the rotation still happens', async () => {
    const { ring, sent, clock } = setup();
    ring.setMembers([alice, bob]);
    await clock.advance(0);
    ring.setMembers([alice]);
    await clock.advance(1_000);
    ring.setMembers([alice, carol]);
    await clock.advance(0);
    await clock.advance(2_000);
    expect(sent.map((s) => [s.index, s.to])).to.deep.equal([
      [0, ['ALICE', 'BOB']],
      [0, ['CAROL']],
      [1, ['ALICE', 'CAROL']],
    ]);
  });

  it('a stale-key newcomer during the leave delay causes one rotation at once, covering the leave', async () => {
    const { ring, sent, clock } = setup();
    ring.setMembers([alice, bob]);
    await clock.advance(20_000);
    ring.setMembers([alice]);
    await clock.advance(1_000);
    ring.setMembers([alice, carol]);
    await clock.advance(10_000);
    expect(sent.map((s) => [s.index, s.to])).to.deep.equal([
      [0, ['ALICE', 'BOB']],
      [1, ['ALICE', 'CAROL']],
    ]);
  });

  it('treats a re-created membership as a newcomer, not a leaver', async () => {
    const { ring, sent, clock } = setup();
    ring.setMembers([alice, bob]);
    await clock.advance(2_000);
    ring.setMembers([alice, { ...bob, membershipTs: 5000 }]);
    await clock.advance(10_000);
    expect(sent.map((s) => [s.index, s.to])).to.deep.equal([
      [0, ['ALICE', 'BOB']],
      [0, ['BOB']],
    ]);
  });

  it('counts the index modulo 256', async () => {
    const { ring, sent, clock } = setup();
    ring.setMembers([alice]);
    for (let i = 0; i < 257; i++) {
      await clock.advance(10_000);
      ring.setMembers(i % 2 === 0 ? [alice, bob] : [alice, carol]);
      await clock.advance(0);
    }
    const indexes = sent.map((s) => s.index);
    expect(Math.max(...indexes)).to.equal(255);
    expect(indexes.slice(-3)).to.deep.equal([255, 0, 1]);
  });

  it('answers a key request from a member with the current key, and ignores strangers', async () => {
    const { ring, sent, clock } = setup();
    ring.setMembers([alice]);
    await clock.advance(0);
    expect(ring.answerRequest({ userId: alice.userId, deviceId: alice.deviceId })).to.equal(true);
    expect(ring.answerRequest({ userId: '@mallory:example.org', deviceId: 'M' })).to.equal(false);
    await flushMicrotasks();
    expect(sent.map((s) => [s.index, s.to])).to.deep.equal([
      [0, ['ALICE']],
      [0, ['ALICE']],
    ]);
  });

  it('keeps remote keys per (user, device, index), hands them to the sink, drops older ones for a slot', () => {
    const { ring, sunk: all } = setup();
    ring.setMembers([alice, bob]);
    const sunk = () => all.filter((s) => s.identity !== '@me:example.org:ME');
    const k = (n: number) => new Uint8Array(16).fill(n);
    const used = { taken: 'used' };
    expect(ring.receiveKey(alice, 0, k(1), 100)).to.deep.equal(used);
    expect(ring.receiveKey(alice, 1, k(2), 200)).to.deep.equal(used);
    expect(ring.receiveKey(bob, 0, k(3), 100)).to.deep.equal(used);
    expect(ring.receiveKey(alice, 0, k(4), 50), 'older than the held key').to.have.property('dropped');
    expect(ring.receiveKey(alice, 0, k(5), 300)).to.deep.equal(used);
    expect(ring.receiveKey(own, 0, k(6), 300), 'own device').to.have.property('dropped');
    expect(ring.receiveKey(carol, 0, k(7), 300), 'not a member').to.deep.equal({ taken: 'waiting' });
    expect(
      ring
        .remoteKeys()
        .map((r) => `${r.deviceId}/${r.index}/${r.key[0]}`)
        .sort(),
    ).to.deep.equal(['ALICE/0/5', 'ALICE/1/2', 'BOB/0/3']);
    expect(sunk().map((s) => `${s.identity}#${s.index}`)).to.deep.equal([
      '@alice:example.org:ALICE#0',
      '@alice:example.org:ALICE#1',
      '@bob:example.org:BOB#0',
      '@alice:example.org:ALICE#0',
    ]);
  });

  it('forgets the keys of a member that left', async () => {
    const { ring, clock } = setup();
    ring.setMembers([alice, bob]);
    ring.receiveKey(bob, 0, new Uint8Array(16), 1);
    ring.setMembers([alice]);
    await clock.advance(0);
    expect(ring.remoteKeys()).to.deep.equal([]);
  });

  it('replays held keys to a sink attached later (livekit-client loads lazily)', async () => {
    const { ring, clock } = setup();
    ring.setMembers([alice]);
    await clock.advance(0);
    ring.receiveKey(alice, 4, new Uint8Array(16).fill(9));
    const late: string[] = [];
    ring.attachSink({ setKey: (identity, _bytes, index) => late.push(`${identity}#${index}`) });
    expect(late.sort()).to.deep.equal(['@alice:example.org:ALICE#4', '@me:example.org:ME#0']);
  });

  it('after a failed send, the next change sends the key again and only then uses it', async () => {
    let fail = false;
    const { ring, sent, clock, ownSunk } = setup({ failSends: () => fail });
    ring.setMembers([alice, bob]);
    await clock.advance(0);
    fail = true;
    ring.setMembers([alice]);
    await clock.advance(3_000);
    expect(sent).to.have.length(1);
    await clock.advance(5_000);
    expect(
      ownSunk().map((s) => s.index),
      'the unsent key is not used',
    ).to.deep.equal([0]);
    fail = false;
    ring.setMembers([alice, carol]);
    await clock.advance(1_000);
    expect(sent.map((s) => [s.index, s.to])).to.deep.equal([
      [0, ['ALICE', 'BOB']],
      [1, ['ALICE', 'CAROL']],
    ]);
    expect(ownSunk().map((s) => s.index)).to.deep.equal([0, 1]);
  });

  it('uses a new key at once when nobody is left to send it to', async () => {
    const { ring, sent, clock, ownSunk } = setup();
    ring.setMembers([alice]);
    await clock.advance(0);
    ring.setMembers([]);
    await clock.advance(4_000);
    expect(sent).to.have.length(1);
    expect(ownSunk().map((s) => s.index)).to.deep.equal([0, 1]);
  });

  it('stops its timers on dispose', async () => {
    const { ring, sent, clock } = setup();
    ring.setMembers([alice, bob]);
    await clock.advance(0);
    ring.setMembers([alice]);
    ring.dispose();
    expect(clock.pending).to.equal(0);
    await clock.advance(10_000);
    expect(sent).to.have.length(1);
  });
  describe('recipient filter (the walkie-talkie listen-only join: opted-in devices only)', () => {
    const only =
      (...names: KeyRingMember[]) =>
      (m: { userId: string }) =>
        names.some((n) => n.userId === m.userId);

    it('sends the own key only to the members the filter admits, and answers no request from the others', async () => {
      const { ring, sent, clock } = setup();
      ring.setRecipients(only(alice, carol));
      ring.setMembers([alice, bob, carol]);
      await clock.advance(0);
      expect(sent.map((s) => [s.index, s.to])).to.deep.equal([[0, ['ALICE', 'CAROL']]]);
      expect(ring.answerRequest({ userId: bob.userId, deviceId: bob.deviceId })).to.equal(false);
      await clock.advance(60_000);
      expect(sent.flatMap((s) => s.to)).to.not.include('BOB');
    });

    it('a member newly admitted gets the key; one no longer admitted counts as a leaver (new key, not sent to it)', async () => {
      const { ring, sent, clock } = setup();
      ring.setRecipients(only(alice));
      ring.setMembers([alice, bob]);
      await clock.advance(0);
      ring.setRecipients(only(alice, bob));
      await clock.advance(0);
      ring.setRecipients(only(alice));
      await clock.advance(2_999);
      expect(sent).to.have.length(2);
      await clock.advance(1);
      expect(sent.map((s) => [s.index, s.to])).to.deep.equal([
        [0, ['ALICE']],
        [0, ['BOB']],
        [1, ['ALICE']],
      ]);
    });

    it('remote keys are still used as the membership says, whatever the filter', async () => {
      const { ring, sunk, clock } = setup();
      ring.setRecipients(() => false);
      ring.setMembers([bob]);
      await clock.advance(0);
      expect(ring.receiveKey(bob, 0, new Uint8Array(16).fill(9))).to.deep.equal({ taken: 'used' });
      expect(sunk.some((s) => s.identity === `${bob.userId}:${bob.deviceId}`)).to.equal(true);
    });

    it('removing the filter sends the current key to every member', async () => {
      const { ring, sent, clock } = setup();
      ring.setRecipients(() => false);
      ring.setMembers([alice, bob]);
      await clock.advance(0);
      expect(sent).to.have.length(0);
      ring.setRecipients(undefined);
      await clock.advance(0);
      expect(sent.map((s) => [s.index, s.to])).to.deep.equal([[0, ['ALICE', 'BOB']]]);
    });
  });
});
