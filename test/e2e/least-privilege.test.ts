/**
 * Least privilege through a real host: the widget page (demo/widget.html) embedded by the demo's
 * ClientWidgetApi host over the homeserver double. At start the widget asks only for what 1:1 calls
 * and showing the group call need (listed here exactly); joining the group call and turning the
 * walkie-talkie on ask for theirs then (MSC2974 renegotiation), and a host that refuses them makes
 * the widget say so in plain words while 1:1 calls keep working.
 */
import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../demo/host/homeserver.js';
import { embedWidget, type EmbeddedWidget } from '../../demo/host/widget-host.js';
import { until } from '../support/demo-page.js';

const alice = '@alice:test.invalid';
const bob = '@bob:test.invalid';
const WIDGET = '/demo/widget.html';

const SEND = 'org.matrix.msc2762.send.event:';
const RECEIVE = 'org.matrix.msc2762.receive.event:';
const READ_STATE = 'org.matrix.msc2762.receive.state_event:';
const CALL_TYPES = [
  'm.call.invite',
  'm.call.candidates',
  'm.call.answer',
  'm.call.select_answer',
  'm.call.reject',
  'm.call.negotiate',
  'm.call.hangup',
  'm.call.sdp_stream_metadata_changed',
];

/** Everything the widget may ask for before the user does anything: 26 capabilities. */
function startCapabilities(roomId: string): string[] {
  return [
    // 1:1 calls: their events both ways (the unstable metadata name matrix-js-sdk sends, received only),
    ...CALL_TYPES.map((t) => SEND + t),
    ...[...CALL_TYPES, 'org.matrix.call.sdp_stream_metadata_changed'].map((t) => RECEIVE + t),
    // who is in the room and whether it is public, TURN, and invites sent before the widget loaded;
    `${READ_STATE}m.room.member`,
    `${READ_STATE}m.room.join_rules`,
    'town.robin.msc3846.turn_servers',
    `org.matrix.msc2762.timeline:${roomId}`,
    // showing the group call: whether one is ongoing and who is in it, and its ringing (receive only).
    `${READ_STATE}org.matrix.msc3401.call.member`,
    `${READ_STATE}com.famedly.call.member`,
    `${RECEIVE}org.matrix.msc4075.rtc.notification`,
    `${RECEIVE}org.matrix.msc4075.call.notify`,
    `${RECEIVE}org.matrix.msc4310.rtc.decline`,
  ].sort();
}

/** What joining a mesh group call adds: 21 capabilities. */
function meshJoinCapabilities(userId: string, deviceId: string): string[] {
  return [
    `org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#_${userId}_${deviceId}_m.call`,
    'org.matrix.msc4157.send.delayed_event',
    'org.matrix.msc4157.update_delayed_event',
    `${SEND}org.matrix.msc4075.rtc.notification`,
    // The mesh refuses call signalling that was not encrypted in an encrypted room (docs/security.md).
    'org.matrix.msc2762.receive.state_event:m.room.encryption#',
    ...CALL_TYPES.map((t) => `org.matrix.msc3819.send.to_device:${t}`),
    ...[...CALL_TYPES, 'org.matrix.call.sdp_stream_metadata_changed'].map(
      (t) => `org.matrix.msc3819.receive.to_device:${t}`,
    ),
  ].sort();
}

function requests(widget: EmbeddedWidget): string[][] {
  return widget.driver.capabilityRequests.map((set) => [...set].sort());
}

function callElement(widget: EmbeddedWidget): HTMLElement | undefined {
  return widget.iframe.contentDocument?.querySelector<HTMLElement>('matrix-call') ?? undefined;
}

function partOf(widget: EmbeddedWidget, name: string): HTMLElement | undefined {
  return callElement(widget)?.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? undefined;
}

describe('least privilege through a ClientWidgetApi host (e2e)', function () {
  this.timeout(60_000);
  let hs: TestHomeserver;
  let roomId: string;
  let widgets: EmbeddedWidget[] = [];
  let container: HTMLElement;

  beforeEach(() => {
    hs = new TestHomeserver({ delivery: 'task' });
    hs.addUser(alice, { devices: ['A1'], displayName: 'Alice' });
    hs.addUser(bob, { devices: ['B1'], displayName: 'Bob' });
    roomId = hs.createRoom({ creator: alice, members: [bob], encrypted: true });
    container = document.createElement('div');
    document.body.append(container);
  });

  afterEach(() => {
    for (const widget of widgets) widget.remove();
    widgets = [];
    container.remove();
  });

  function embed(userId: string, deviceId: string, refuse: (capability: string) => boolean = () => false) {
    const widget = embedWidget({
      homeserver: hs,
      container,
      url: WIDGET,
      userId,
      deviceId,
      roomId,
      lang: 'en',
      policy: { refuseCapability: refuse },
    });
    widgets.push(widget);
    return widget;
  }

  it('asks at start for exactly the 26 capabilities of 1:1 calls and of showing the group call; joining and the walkie-talkie ask for theirs when first used', async () => {
    const widget = embed(alice, 'A1');
    await until('the idle view', () => callElement(widget)?.getAttribute('view') === 'idle');
    const [first] = requests(widget);
    expect(first).to.deep.equal(startCapabilities(roomId));
    expect(requests(widget), 'one request until a feature is used').to.have.length(1);

    partOf(widget, 'join-group-button')!.click();
    await until('the group call view', () => callElement(widget)?.getAttribute('view') === 'group-call');
    expect(requests(widget)[1], 'the mesh join’s, asked on the first join').to.deep.equal(
      meshJoinCapabilities(alice, 'A1'),
    );
    expect(widget.approved()).to.include.members(meshJoinCapabilities(alice, 'A1'));
    await until(
      'the membership written',
      () => hs.state(roomId, 'org.matrix.msc3401.call.member').length === 1,
    );

    // Leave, then turn the walkie-talkie on: its needs come in a third request.
    const controls = callElement(widget)!.shadowRoot!.querySelector<HTMLElement>('[part~="controls"]')!;
    (await until('the leave button', () =>
      controls.shadowRoot?.querySelector<HTMLElement>('[part~="hangup-button"]'),
    ))!.click();
    await until('the idle view again', () => callElement(widget)?.getAttribute('view') === 'idle');
    partOf(widget, 'walkie-talkie-button')!.click();
    await until(
      'the walkie-talkie view',
      () => callElement(widget)?.getAttribute('view') === 'walkie-talkie',
    );
    const third = requests(widget)[2];
    expect(third).to.include.members([
      `${SEND}org.matrix.msc4002.floor.request`,
      'org.matrix.msc4039.upload_file',
      `${READ_STATE}org.matrix.msc4002.opt_in`,
    ]);
    expect(requests(widget)).to.have.length(3);
  });

  it('a host that refuses joining’s capabilities makes the widget say which and why; 1:1 calls still work', async () => {
    const widget = embed(bob, 'B1', (c) => c.startsWith('org.matrix.msc2762.send.state_event:'));
    await until('the idle view', () => callElement(widget)?.getAttribute('view') === 'idle');
    expect(requests(widget)[0]).to.deep.equal(startCapabilities(roomId));

    partOf(widget, 'join-group-button')!.click();
    const alert = await until('the refusal said', () => partOf(widget, 'action-error'));
    const text = alert.textContent ?? '';
    expect(text).to.contain('did not allow writing org.matrix.msc3401.call.member state');
    expect(text).to.contain('Calls between two people still work');
    expect(callElement(widget)!.getAttribute('view')).to.equal('idle');
    expect(hs.state(roomId, 'org.matrix.msc3401.call.member')).to.have.length(0);
    expect(partOf(widget, 'voice-call-button'), '1:1 calls offered').to.not.equal(undefined);
  });
});
