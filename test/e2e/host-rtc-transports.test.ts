/**
 * The host's RTC transports as the first source of trusted foci (MSC4515 over MSC4143), end to end:
 * a WidgetTransport in a widget iframe, embedded by the demo's host (a real matrix-widget-api
 * ClientWidgetApi whose driver answers from the homeserver TEST DOUBLE's `/rtc/transports`), and a
 * LiveKitGroupCall on that transport. The JWT service TEST DOUBLE answers on this origin; the LiveKit
 * room is a labelled TEST DOUBLE that records its connects (no LiveKit server here).
 */
import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../demo/host/homeserver.js';
import { embedWidget, type EmbeddedWidget } from '../../demo/host/widget-host.js';
import { LiveKitGroupCall, livekitNeeds } from '../../src/group/livekit/index.js';
import type { SfuRoom, SfuRoomState } from '../../src/group/livekit/sfu-room.js';
import { RecordingMediaSource } from '../support/recording-media-source.js';
import { until } from '../support/demo-page.js';
import type { TestWidgetHandle } from './fixtures/transport-widget.js';
import type { HostPolicy } from '../../demo/host/homeserver-widget-driver.js';

const ALICE = '@alice:test.invalid';
const BOB = '@bob:test.invalid';
const FIXTURE = '/test/e2e/fixtures/transport-widget.html';
/** The homeserver's call server (served by the JWT service double). */
const HOST_SERVICE = `${location.origin}/livekit/jwt`;
/** The kit's configured call server (a second deployment of the double). */
const CONFIGURED_SERVICE = `${location.origin}/livekit/jwt-old`;
const RTC_TRANSPORTS_CAPABILITY = 'org.matrix.msc4515.rtc_transports';

/** TEST DOUBLE of a LiveKit room: records where it was connected, plays an empty room. */
class ConnectOnlyRoom implements SfuRoom {
  readonly connects: string[] = [];
  readonly keySink = undefined;
  state: SfuRoomState = { connection: 'new', remotes: [], activeSpeakers: [], localSpeaking: false };
  onChange() {
    return () => undefined;
  }
  onEnded() {
    return () => undefined;
  }
  async connect(url: string) {
    this.connects.push(url);
    this.state = { ...this.state, connection: 'connected' };
  }
  async publishUserMedia() {}
  async setMuted() {}
  async publishScreen() {}
  async unpublishScreen() {}
  async disconnect() {
    this.state = { ...this.state, connection: 'disconnected' };
  }
}

async function jwtDeployments(): Promise<string[]> {
  const requests = (await (await fetch('/livekit/jwt-double/requests')).json()) as Array<{
    deployment: string;
  }>;
  return requests.map((r) => r.deployment);
}

describe('trusted foci from the host’s RTC transports (MSC4515, through a ClientWidgetApi host)', () => {
  let hs: TestHomeserver;
  let roomId: string;
  let container: HTMLElement;
  let widget: EmbeddedWidget | undefined;
  let call: LiveKitGroupCall | undefined;

  beforeEach(() => {
    hs = new TestHomeserver({ delivery: 'task' });
    hs.addUser(ALICE, { devices: ['A1'], displayName: 'Alice' });
    hs.addUser(BOB, { devices: ['B1'], displayName: 'Bob' });
    roomId = hs.createRoom({ creator: ALICE, members: [BOB] });
    container = document.createElement('div');
    document.body.append(container);
  });

  afterEach(() => {
    call?.dispose();
    call = undefined;
    widget?.remove();
    widget = undefined;
    container.remove();
  });

  /** Alice's widget, its transport started with the SFU call's needs, and a call on it. */
  async function aliceCall(policy: HostPolicy = {}) {
    widget = embedWidget({
      homeserver: hs,
      container,
      url: FIXTURE,
      userId: ALICE,
      deviceId: 'A1',
      roomId,
      policy,
    });
    const kit = await until(
      'the test widget',
      () => (widget!.iframe.contentWindow as Window | null)?.kit as TestWidgetHandle | undefined,
    );
    const transport = kit.transport!;
    const refused = await transport.start(livekitNeeds(transport));
    expect(refused.length, 'no SFU need refused').to.equal(0);
    const log: string[] = [];
    const rooms: ConnectOnlyRoom[] = [];
    call = new LiveKitGroupCall({
      transport,
      media: new RecordingMediaSource(),
      foci: [CONFIGURED_SERVICE],
      e2ee: false,
      loadRoom: async () => {
        const room = new ConnectOnlyRoom();
        rooms.push(room);
        return room;
      },
      log: (line) => log.push(line),
    });
    await call.start();
    return { widget, call, log, rooms };
  }

  it('asks for the RTC transports capability and joins through the homeserver’s call server, ahead of the configured one', async () => {
    hs.setRtcTransports([{ type: 'livekit', livekit_service_url: HOST_SERVICE }]);
    const before = (await jwtDeployments()).length;
    const alice = await aliceCall();
    expect([...alice.widget.driver.capabilityRequests.flatMap((set) => [...set])]).to.include(
      RTC_TRANSPORTS_CAPABILITY,
    );
    await alice.call.join('voice');

    expect(alice.call.focus?.source).to.equal('host');
    expect(alice.call.focus?.focus.serviceUrl).to.equal(HOST_SERVICE);
    // The OpenID token went to the host's service only.
    expect((await jwtDeployments()).slice(before)).to.deep.equal(['jwt']);
    expect(alice.log.some((line) => line.includes('no call servers from the host'))).to.equal(false);
  });

  it('a host from before MSC4515 answers with an error: the configured focus is used, and the log says why', async () => {
    // The homeserver has call servers, but this host cannot hand them to widgets.
    hs.setRtcTransports([{ type: 'livekit', livekit_service_url: HOST_SERVICE }]);
    const before = (await jwtDeployments()).length;
    const alice = await aliceCall({ withoutRtcTransports: true });
    await alice.call.join('voice');

    expect(alice.call.focus?.source).to.equal('configuration');
    expect(alice.call.focus?.focus.serviceUrl).to.equal(CONFIGURED_SERVICE);
    expect((await jwtDeployments()).slice(before)).to.deep.equal(['jwt-old']);
    const line = alice.log.find((l) => l.includes('no call servers from the host'));
    // The host's error answer, as ClientWidgetApi words it.
    expect(line, alice.log.join('\n')).to.match(/Unexpected error while getting the RTC transports/);
    expect(line).to.include('using the configured foci');
  });

  it('a host whose homeserver has no /rtc/transports (M_UNRECOGNIZED) falls back the same way', async () => {
    const alice = await aliceCall();
    await alice.call.join('voice');
    expect(alice.call.focus?.source).to.equal('configuration');
    expect(alice.call.focus?.focus.serviceUrl).to.equal(CONFIGURED_SERVICE);
    expect(alice.log.find((l) => l.includes('no call servers from the host'))).to.include(
      'the host gave no RTC transports',
    );
  });

  it('a host that does not grant the capability: no request is sent, and the configured focus is used', async () => {
    hs.setRtcTransports([{ type: 'livekit', livekit_service_url: HOST_SERVICE }]);
    const alice = await aliceCall({ refuseCapability: (c) => c === RTC_TRANSPORTS_CAPABILITY });
    await alice.call.join('voice');
    expect(alice.call.focus?.source).to.equal('configuration');
    expect(alice.log.find((l) => l.includes('no call servers from the host'))).to.include('did not allow');
  });
});
