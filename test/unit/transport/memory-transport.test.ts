import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../../demo/host/homeserver.js';
import { MemoryTransport } from '../../../demo/host/memory-transport.js';
import {
  CapabilityDeniedError,
  type Need,
  type RawRoomEvent,
  type RawToDeviceEvent,
  type TurnServer,
} from '../../../src/transport/transport.js';
import { FakeClock, flushMicrotasks } from '../../support/fake-clock.js';

const alice = '@alice:test.invalid';
const bob = '@bob:test.invalid';

const callNeeds: Need[] = [
  { kind: 'send-event', type: 'm.call.invite' },
  { kind: 'receive-event', type: 'm.call.invite' },
  { kind: 'receive-state', type: 'm.room.member' },
  { kind: 'read-timeline' },
];

function setup(deny?: readonly Need[]) {
  const clock = new FakeClock();
  const hs = new TestHomeserver({ clock });
  const roomId = hs.createRoom({ creator: alice, members: [bob] });
  const a = new MemoryTransport(hs, { userId: alice, deviceId: 'A1', roomId });
  const b = new MemoryTransport(hs, { userId: bob, deviceId: 'B1', roomId, ...(deny ? { deny } : {}) });
  return { clock, hs, roomId, a, b };
}

describe('MemoryTransport over the homeserver double', () => {
  it('grants what is asked, minus the deny list, and reports the refusals', async () => {
    const { a, b } = setup([{ kind: 'send-event', type: 'm.call.invite' }, { kind: 'turn-servers' }]);
    expect(await a.start(callNeeds)).to.deep.equal([]);
    const refused = await b.start([...callNeeds, { kind: 'turn-servers' }]);
    expect(refused).to.deep.equal([{ kind: 'send-event', type: 'm.call.invite' }, { kind: 'turn-servers' }]);
    let error: unknown;
    await b.sendRoomEvent('m.call.invite', {}).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(CapabilityDeniedError);
    expect((error as CapabilityDeniedError).message).to.contain('sending m.call.invite events');
    expect((error as CapabilityDeniedError).message).to.contain('refused');
  });

  it('rejects operations that were never asked for', async () => {
    const { a } = setup();
    await a.start([{ kind: 'send-event', type: 'm.call.invite' }]);
    let error: unknown;
    await a.sendToDevice('m.call.invite', true, { [bob]: { '*': {} } }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(CapabilityDeniedError);
    expect((error as CapabilityDeniedError).denied).to.deep.equal([
      { kind: 'send-to-device', type: 'm.call.invite' },
    ]);
  });

  it('delivers room events of granted types in this room, own echo included', async () => {
    const { hs, a, b, roomId } = setup();
    await a.start(callNeeds);
    await b.start(callNeeds);
    const atA: RawRoomEvent[] = [];
    const atB: RawRoomEvent[] = [];
    a.onRoomEvent((e) => atA.push(e));
    b.onRoomEvent((e) => atB.push(e));
    const other = hs.createRoom({ creator: alice, members: [bob] });
    await flushMicrotasks();
    atA.length = 0;
    atB.length = 0;
    await a.sendRoomEvent('m.call.invite', { call_id: 'c' });
    hs.sendEvent(roomId, alice, 'm.call.hangup', {});
    hs.sendEvent(other, alice, 'm.call.invite', {});
    await flushMicrotasks();
    expect(atB.map((e) => [e.type, e.room_id])).to.deep.equal([['m.call.invite', roomId]]);
    expect(atA.map((e) => e.type)).to.deep.equal(['m.call.invite']);
    hs.leave(roomId, alice);
    await flushMicrotasks();
    expect(atB.map((e) => e.type)).to.deep.equal(['m.call.invite', 'm.room.member']);
  });

  it('reads the timeline and state', async () => {
    const { a, b } = setup();
    await a.start(callNeeds);
    await a.sendRoomEvent('m.call.invite', { n: 1 });
    await a.sendRoomEvent('m.call.invite', { n: 2 });
    await b.start(callNeeds);
    const recent = await b.readTimeline('m.call.invite', 10);
    expect(recent.map((e) => e.content)).to.deep.equal([{ n: 2 }, { n: 1 }]);
    const members = await b.readState('m.room.member');
    expect(members.map((e) => e.state_key)).to.deep.equal([alice, bob]);
  });

  it('carries to-device messages with the encrypted flag, filtered by granted type', async () => {
    const { a, b } = setup();
    await a.start([{ kind: 'send-to-device', type: 'io.element.call.encryption_keys' }]);
    await b.start([{ kind: 'receive-to-device', type: 'io.element.call.encryption_keys' }]);
    const got: RawToDeviceEvent[] = [];
    b.onToDevice((e) => got.push(e));
    await a.sendToDevice('io.element.call.encryption_keys', true, { [bob]: { B1: { keys: [] } } });
    await flushMicrotasks();
    expect(got).to.deep.equal([
      { type: 'io.element.call.encryption_keys', sender: alice, content: { keys: [] }, encrypted: true },
    ]);
  });

  it('hands out TURN servers when granted and on every change', async () => {
    const { hs, a } = setup();
    const server: TurnServer = { urls: ['turn:t.test.invalid'], username: 'u', credential: 'p' };
    hs.setTurnServers([server]);
    const heard: (readonly TurnServer[])[] = [];
    a.onTurnServers((s) => heard.push(s));
    await a.start([{ kind: 'turn-servers' }]);
    await flushMicrotasks();
    hs.setTurnServers([]);
    expect(heard).to.deep.equal([[server], []]);
  });

  it('schedules delayed state events, uploads, downloads and gets OpenID tokens', async () => {
    const { clock, hs, a, roomId } = setup();
    await a.start([
      { kind: 'delayed-events' },
      { kind: 'send-state', type: 'org.matrix.msc3401.call.member' },
      { kind: 'upload-file' },
      { kind: 'download-file' },
      { kind: 'openid' },
    ]);
    const { delay_id } = await a.sendDelayedStateEvent('org.matrix.msc3401.call.member', '_x', {}, 1000);
    await a.updateDelayedEvent(delay_id, 'restart');
    await clock.advance(1000);
    expect(hs.state(roomId, 'org.matrix.msc3401.call.member', '_x')).to.have.length(1);
    const { content_uri } = await a.uploadFile(new Blob(['abc']));
    expect(await hs.download(content_uri)?.text()).to.equal('abc');
    expect(await (await a.downloadFile(content_uri)).text()).to.equal('abc');
    let missing: unknown;
    await a.downloadFile('mxc://demo.invalid/none').catch((error: unknown) => (missing = error));
    expect(String(missing)).to.match(/No file at mxc:\/\/demo.invalid\/none/);
    const token = await a.requestOpenIdToken();
    expect(hs.openIdUser(token.access_token)).to.equal(alice);
  });
});
