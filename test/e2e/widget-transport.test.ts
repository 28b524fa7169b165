/**
 * WidgetTransport end to end: two widget iframes, each a real matrix-widget-api WidgetApi, embedded
 * by the demo's host (a real ClientWidgetApi with a driver over the homeserver test double).
 */
import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../demo/host/homeserver.js';
import { embedWidget, type EmbeddedWidget } from '../../demo/host/widget-host.js';
import type { Need, TurnServer } from '../../src/transport/transport.js';
import type { TestWidgetHandle } from './fixtures/transport-widget.js';

const alice = '@alice:test.invalid';
const bob = '@bob:test.invalid';
const FIXTURE = '/test/e2e/fixtures/transport-widget.html';
const turn: TurnServer = { urls: ['turn:turn.test.invalid:3478'], username: 'u', credential: 'secret' };

async function until<T>(what: string, probe: () => T | undefined | false, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function kitOf(widget: EmbeddedWidget): Promise<TestWidgetHandle> {
  return until('the test widget', () => (widget.iframe.contentWindow as Window | null)?.kit);
}

/** Copies a value out of the iframe's realm so chai compares plain data. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const callNeeds: Need[] = [
  { kind: 'send-event', type: 'm.call.invite' },
  { kind: 'receive-event', type: 'm.call.invite' },
  { kind: 'receive-state', type: 'm.room.member' },
  { kind: 'read-timeline' },
  { kind: 'send-to-device', type: 'io.element.call.encryption_keys' },
  { kind: 'receive-to-device', type: 'io.element.call.encryption_keys' },
  { kind: 'turn-servers' },
];

describe('WidgetTransport through a ClientWidgetApi host (e2e)', () => {
  let hs: TestHomeserver;
  let roomId: string;
  let widgets: EmbeddedWidget[] = [];
  let container: HTMLElement;

  beforeEach(() => {
    hs = new TestHomeserver({ delivery: 'task' });
    hs.addUser(alice, { devices: ['A1'], displayName: 'Alice' });
    hs.addUser(bob, { devices: ['B1'], displayName: 'Bob' });
    roomId = hs.createRoom({ creator: alice, members: [bob], encrypted: true });
    hs.setTurnServers([turn]);
    container = document.createElement('div');
    document.body.append(container);
  });

  afterEach(() => {
    for (const widget of widgets) widget.remove();
    widgets = [];
    container.remove();
  });

  function embed(userId: string, deviceId: string, refuse: string[] = []): EmbeddedWidget {
    const widget = embedWidget({
      homeserver: hs,
      container,
      url: FIXTURE,
      userId,
      deviceId,
      roomId,
      theme: 'dark',
      lang: 'en',
      policy: { refuseCapability: (c) => refuse.includes(c) },
    });
    widgets.push(widget);
    return widget;
  }

  it('negotiates exactly the capabilities the needs map to, and the widget reads its parameters', async () => {
    const a = embed(alice, 'A1');
    const kit = await kitOf(a);
    expect(kit.error).to.equal(undefined);
    expect(kit.transport!.userId).to.equal(alice);
    expect(kit.transport!.deviceId).to.equal('A1');
    expect(kit.transport!.roomId).to.equal(roomId);

    const refused = await kit.transport!.start(callNeeds);
    expect(plain(refused)).to.deep.equal([]);
    expect(a.driver.capabilityRequests).to.have.length(1);
    expect([...a.driver.capabilityRequests[0]!].sort()).to.deep.equal(
      [
        'org.matrix.msc2762.send.event:m.call.invite',
        'org.matrix.msc2762.receive.event:m.call.invite',
        'org.matrix.msc2762.receive.state_event:m.room.member',
        `org.matrix.msc2762.timeline:${roomId}`,
        'org.matrix.msc3819.send.to_device:io.element.call.encryption_keys',
        'org.matrix.msc3819.receive.to_device:io.element.call.encryption_keys',
        'town.robin.msc3846.turn_servers',
      ].sort(),
    );
    await a.ready;
    expect(a.approved()).to.include('org.matrix.msc2762.send.event:m.call.invite');
  });

  it('reports refused capabilities as refused needs, and refuses their use with a named error', async () => {
    const b = embed(bob, 'B1', [
      'town.robin.msc3846.turn_servers',
      'org.matrix.msc2762.send.event:m.call.hangup',
    ]);
    const kit = await kitOf(b);
    const refused = await kit.transport!.start([...callNeeds, { kind: 'send-event', type: 'm.call.hangup' }]);
    expect(plain(refused)).to.deep.equal([
      { kind: 'turn-servers' },
      { kind: 'send-event', type: 'm.call.hangup' },
    ]);
    let error: unknown;
    await kit.transport!.sendRoomEvent('m.call.hangup', { call_id: 'x' }).catch((e: unknown) => (error = e));
    expect((error as Error).name).to.equal('CapabilityDeniedError');
    expect((error as Error).message).to.contain('sending m.call.hangup events');
    expect(hs.readTimeline(roomId, { type: 'm.call.hangup' })).to.have.length(0);
  });

  it('carries a room event from widget A to widget B, and TURN servers to A', async () => {
    const a = embed(alice, 'A1');
    const b = embed(bob, 'B1');
    const [kitA, kitB] = await Promise.all([kitOf(a), kitOf(b)]);
    await Promise.all([kitA.transport!.start(callNeeds), kitB.transport!.start(callNeeds)]);

    const { event_id } = await kitA.transport!.sendRoomEvent('m.call.invite', {
      call_id: 'c1',
      version: '1',
    });
    expect(event_id).to.match(/^\$/);
    const got = await until('the invite at B', () => kitB.roomEvents.find((e) => e.type === 'm.call.invite'));
    expect(plain(got)).to.include({ type: 'm.call.invite', sender: alice, event_id, room_id: roomId });
    expect(plain(got.content)).to.deep.equal({ call_id: 'c1', version: '1' });
    expect(got.unsigned?.age).to.be.a('number');

    const servers = await until('TURN servers at A', () => kitA.turnServers[0]);
    expect(plain(servers)).to.deep.equal([turn]);
  });

  it('delivers a to-device message with its encrypted flag', async () => {
    const a = embed(alice, 'A1');
    const b = embed(bob, 'B1');
    const [kitA, kitB] = await Promise.all([kitOf(a), kitOf(b)]);
    await Promise.all([kitA.transport!.start(callNeeds), kitB.transport!.start(callNeeds)]);

    await kitA.transport!.sendToDevice('io.element.call.encryption_keys', true, {
      [bob]: { B1: { keys: [{ index: 0, key: 'k' }] } },
    });
    const got = await until('the keys at B', () => kitB.toDevice[0]);
    expect(plain(got)).to.deep.equal({
      type: 'io.element.call.encryption_keys',
      sender: alice,
      content: { keys: [{ index: 0, key: 'k' }] },
      encrypted: true,
    });
  });

  it('reads recent timeline events, newest first, and the room state', async () => {
    hs.sendEvent(roomId, alice, 'm.call.invite', { call_id: 'before-load' });
    const b = embed(bob, 'B1');
    const kitB = await kitOf(b);
    await kitB.transport!.start(callNeeds);
    hs.sendEvent(roomId, alice, 'm.call.invite', { call_id: 'after-load' });

    const recent = await kitB.transport!.readTimeline('m.call.invite', 5);
    expect(plain(recent.map((e) => (e.content as { call_id: string }).call_id))).to.deep.equal([
      'after-load',
      'before-load',
    ]);
    const members = await kitB.transport!.readState('m.room.member');
    expect(plain(members.map((e) => e.state_key).sort())).to.deep.equal([alice, bob]);
    const onlyBob = await kitB.transport!.readState('m.room.member', bob);
    expect(plain(onlyBob.map((e) => e.content))).to.deep.equal([{ membership: 'join', displayname: 'Bob' }]);
  });
});
