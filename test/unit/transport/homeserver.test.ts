import { expect } from '@open-wc/testing';
import { TestHomeserver, HomeserverError, type FlowRecord } from '../../../demo/host/homeserver.js';
import type { RawRoomEvent, RawToDeviceEvent } from '../../../src/transport/transport.js';
import { FakeClock, flushMicrotasks } from '../../support/fake-clock.js';

const alice = '@alice:test.invalid';
const bob = '@bob:test.invalid';
const carol = '@carol:test.invalid';

/** A room with its creation events already delivered, so subscribers see only what follows. */
async function setup() {
  const clock = new FakeClock();
  const hs = new TestHomeserver({ clock });
  hs.addUser(alice, { devices: ['A1'], displayName: 'Alice' });
  hs.addUser(bob, { devices: ['B1', 'B2'], displayName: 'Bob' });
  hs.addUser(carol, { devices: ['C1'] });
  const roomId = hs.createRoom({ creator: alice, members: [bob], name: 'Two', encrypted: true });
  await flushMicrotasks();
  return { clock, hs, roomId };
}

describe('TestHomeserver (test double)', () => {
  it('creates a room with members, display names, join rule and encryption state', async () => {
    const { hs, roomId } = await setup();
    expect(hs.joinedMembers(roomId)).to.deep.equal([alice, bob]);
    expect(hs.members(roomId).find((m) => m.userId === bob)?.displayName).to.equal('Bob');
    expect(hs.state(roomId, 'm.room.join_rules')[0]?.content).to.deep.equal({ join_rule: 'invite' });
    expect(hs.state(roomId, 'm.room.encryption', '')[0]?.content).to.deep.equal({
      algorithm: 'm.megolm.v1.aes-sha2',
    });
    const pub = hs.createRoom({ creator: carol, joinRule: 'public' });
    expect(hs.state(pub, 'm.room.join_rules')[0]?.content).to.deep.equal({ join_rule: 'public' });
    expect(hs.state(pub, 'm.room.encryption')).to.have.length(0);
  });

  it('delivers room events asynchronously, in order, to every device of joined members with age', async () => {
    const { clock, hs, roomId } = await setup();
    const got: Record<string, RawRoomEvent[]> = { A1: [], B1: [], B2: [], C1: [] };
    hs.subscribe(alice, 'A1', { onRoomEvent: (e) => got.A1!.push(e) });
    hs.subscribe(bob, 'B1', { onRoomEvent: (e) => got.B1!.push(e) });
    hs.subscribe(bob, 'B2', { onRoomEvent: (e) => got.B2!.push(e) });
    hs.subscribe(carol, 'C1', { onRoomEvent: (e) => got.C1!.push(e) });
    const first = hs.sendEvent(roomId, alice, 'm.call.invite', { call_id: '1' });
    hs.sendEvent(roomId, bob, 'm.call.answer', { call_id: '1' });
    expect(got.B1).to.have.length(0, 'delivery is not synchronous');
    clock.setTimeout(() => undefined, 0);
    await flushMicrotasks();
    for (const device of ['A1', 'B1', 'B2']) {
      expect(
        got[device]!.map((e) => e.type),
        device,
      ).to.deep.equal(['m.call.invite', 'm.call.answer']);
    }
    expect(got.C1).to.have.length(0);
    expect(got.B1![0]!.event_id).to.equal(first.event_id);
    expect(got.B1![0]!.unsigned?.age).to.equal(0);
    await clock.advance(5000);
    expect(hs.readTimeline(roomId, { type: 'm.call.invite', limit: 1 })[0]?.unsigned?.age).to.equal(5000);
  });

  it('refuses events from users who are not joined', async () => {
    const { hs, roomId } = await setup();
    expect(() => hs.sendEvent(roomId, carol, 'm.call.invite', {})).to.throw(HomeserverError, 'M_FORBIDDEN');
  });

  it('makes a member leave with an m.room.member event the leaver also receives', async () => {
    const { hs, roomId } = await setup();
    const seenByBob: RawRoomEvent[] = [];
    const seenByAlice: RawRoomEvent[] = [];
    hs.subscribe(bob, 'B1', { onRoomEvent: (e) => seenByBob.push(e) });
    hs.subscribe(alice, 'A1', { onRoomEvent: (e) => seenByAlice.push(e) });
    hs.leave(roomId, bob);
    await flushMicrotasks();
    expect(hs.joinedMembers(roomId)).to.deep.equal([alice]);
    for (const seen of [seenByBob, seenByAlice]) {
      expect(
        seen.map((e) => [e.type, e.state_key, (e.content as { membership: string }).membership]),
      ).to.deep.equal([['m.room.member', bob, 'leave']]);
    }
    hs.sendEvent(roomId, alice, 'm.room.message', { body: 'hi' });
    await flushMicrotasks();
    expect(seenByBob).to.have.length(1);
  });

  it('reads state by type and key and the timeline newest first with a limit', async () => {
    const { hs, roomId } = await setup();
    hs.sendState(roomId, alice, 'org.matrix.msc3401.call.member', '_@alice_A1', { a: 1 });
    hs.sendState(roomId, bob, 'org.matrix.msc3401.call.member', '_@bob_B1', { b: 1 });
    hs.sendState(roomId, alice, 'org.matrix.msc3401.call.member', '_@alice_A1', { a: 2 });
    const all = hs.state(roomId, 'org.matrix.msc3401.call.member');
    expect(all.map((e) => e.content)).to.deep.equal([{ a: 2 }, { b: 1 }]);
    expect(hs.state(roomId, 'org.matrix.msc3401.call.member', '_@bob_B1')[0]?.sender).to.equal(bob);
    for (let i = 0; i < 5; i++) hs.sendEvent(roomId, alice, 'm.call.candidates', { i });
    const recent = hs.readTimeline(roomId, { type: 'm.call.candidates', limit: 3 });
    expect(recent.map((e) => (e.content as { i: number }).i)).to.deep.equal([4, 3, 2]);
  });

  it('queues to-device messages until the device listens, expands * and carries the encrypted flag', async () => {
    const { hs } = await setup();
    const b1: RawToDeviceEvent[] = [];
    const b2: RawToDeviceEvent[] = [];
    hs.subscribe(bob, 'B1', { onToDevice: (e) => b1.push(e) });
    hs.sendToDevice(alice, 'A1', 'm.call.invite', true, { [bob]: { '*': { n: 1 } } });
    hs.sendToDevice(alice, 'A1', 'm.call.hangup', false, { [bob]: { B2: { n: 2 } } });
    await flushMicrotasks();
    expect(b1).to.deep.equal([{ type: 'm.call.invite', sender: alice, content: { n: 1 }, encrypted: true }]);
    expect(hs.pendingToDevice(bob, 'B2').map((e) => e.type)).to.deep.equal([
      'm.call.invite',
      'm.call.hangup',
    ]);
    hs.subscribe(bob, 'B2', { onToDevice: (e) => b2.push(e) });
    await flushMicrotasks();
    expect(b2.map((e) => [e.type, e.encrypted])).to.deep.equal([
      ['m.call.invite', true],
      ['m.call.hangup', false],
    ]);
    expect(hs.pendingToDevice(bob, 'B2')).to.have.length(0);
  });

  it('sends, restarts and cancels delayed state events on its clock', async () => {
    const { clock, hs, roomId } = await setup();
    const leave = hs.scheduleDelayedEvent(
      roomId,
      alice,
      { type: 'x.member', stateKey: 'a', content: {} },
      1000,
    );
    await clock.advance(800);
    hs.updateDelayedEvent(leave, alice, 'restart');
    await clock.advance(800);
    expect(hs.state(roomId, 'x.member')).to.have.length(0, 'restart pushed it back');
    await clock.advance(300);
    expect(hs.state(roomId, 'x.member', 'a')).to.have.length(1);
    expect(hs.delayedEvents()).to.have.length(0);

    const cancelled = hs.scheduleDelayedEvent(
      roomId,
      alice,
      { type: 'x.member', stateKey: 'c', content: {} },
      500,
    );
    expect(() => hs.updateDelayedEvent(cancelled, bob, 'cancel')).to.throw(HomeserverError, 'M_NOT_FOUND');
    hs.updateDelayedEvent(cancelled, alice, 'cancel');
    await clock.advance(1000);
    expect(hs.state(roomId, 'x.member', 'c')).to.have.length(0);

    const now = hs.scheduleDelayedEvent(
      roomId,
      alice,
      { type: 'x.member', stateKey: 'n', content: { v: 1 } },
      60000,
    );
    hs.updateDelayedEvent(now, alice, 'send');
    expect(hs.state(roomId, 'x.member', 'n')[0]?.content).to.deep.equal({ v: 1 });
    expect(() => hs.updateDelayedEvent(now, alice, 'send')).to.throw(HomeserverError);
  });

  it('stores uploads, hands out TURN servers and OpenID tokens', async () => {
    const { hs } = await setup();
    const mxc = hs.upload(alice, new Blob(['voice'], { type: 'audio/ogg' }));
    expect(mxc).to.match(/^mxc:\/\/test\.invalid\/.+/);
    expect(await hs.download(mxc)?.text()).to.equal('voice');
    expect(hs.download('mxc://test.invalid/none')).to.equal(undefined);

    expect(hs.turnServers).to.deep.equal([]);
    const heard: unknown[] = [];
    hs.onTurnServersChanged((s) => heard.push(s));
    hs.setTurnServers([{ urls: ['turn:turn.test.invalid'], username: 'u', credential: 'c' }]);
    expect(heard).to.have.length(1);
    expect(hs.turnServers[0]?.urls).to.deep.equal(['turn:turn.test.invalid']);

    const token = hs.requestOpenIdToken(bob);
    expect(token.matrix_server_name).to.equal('test.invalid');
    expect(hs.openIdUser(token.access_token)).to.equal(bob);
    expect(hs.openIdUser('forged')).to.equal(undefined);
  });

  it('lets an observer count every event and its bytes', async () => {
    const { hs, roomId } = await setup();
    const flows: FlowRecord[] = [];
    hs.observe((f) => flows.push(f));
    hs.sendEvent(roomId, alice, 'm.call.invite', { sdp: 'é' }, { senderDevice: 'A1' });
    hs.sendToDevice(alice, 'A1', 'm.call.candidates', false, { [bob]: { B1: { c: 1 }, B2: { c: 2 } } });
    expect(flows.map((f) => [f.kind, f.type, f.target])).to.deep.equal([
      ['room', 'm.call.invite', roomId],
      ['to-device', 'm.call.candidates', `${bob}/B1`],
      ['to-device', 'm.call.candidates', `${bob}/B2`],
    ]);
    expect(flows[0]!.bytes).to.equal(new TextEncoder().encode('{"sdp":"é"}').length);
    expect(flows[0]!.senderDevice).to.equal('A1');
  });
});
