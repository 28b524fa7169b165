// Faults on a real LiveKit SFU (livekit-server on loopback, a deployment of its own per test, JWT
// service TEST DOUBLE): the SFU stops mid-call; the JWT service or the SFU is unreachable at join. Each
// time the person is told in plain words in the widget (<matrix-call> over the kit's controller), the
// call ends cleanly (membership cleared), and no camera or microphone stays open.
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/index.js';
import type { MatrixCall } from '../../components/matrix-call/matrix-call.js';
import { settle } from '../support/element-helpers.js';
import { waitFor } from '../support/webrtc.js';
import { rigDown, rigUp, stopNode, stopService, type Deployment } from './support/rig.js';
import {
  groupOf,
  SfuCallRoom,
  waitAllJoined,
  waitForMediaFrom,
  type Member,
} from './support/sfu-call-room.js';

const USERS = ['@alice:test.invalid', '@bob:test.invalid'];
const MEMBERSHIP = 'org.matrix.msc3401.call.member';

async function widgetOf(m: Member): Promise<MatrixCall> {
  const el = await fixture<MatrixCall>(html`<matrix-call style="height:480px;width:720px"></matrix-call>`);
  el.controller = m.controller;
  await settle(el);
  return el;
}

const alertText = (el: MatrixCall) =>
  [...el.shadowRoot!.querySelectorAll('[role="alert"]')]
    .map((n) => n.textContent!.replace(/\s+/g, ' '))
    .join(' ');

/** The member's own membership state content now ({} once left). */
function membershipOf(room: SfuCallRoom, m: Member): unknown {
  const events = room.homeserver
    .timeline(room.roomId)
    .filter((e) => e.type === MEMBERSHIP && e.sender === m.userId);
  return events.at(-1)?.content;
}

describe('SFU call on a real LiveKit server: faults are told plainly and close the media', function () {
  this.timeout(150_000);
  let room: SfuCallRoom | undefined;
  let tag = '';
  afterEach(async () => {
    room?.dispose();
    room = undefined;
    await rigDown('own', tag);
  });

  async function deployment(name: string): Promise<{ d: Deployment; userinfoUrl: string }> {
    tag = name;
    const rig = await rigUp('own', name);
    return { d: rig.deployments[0]!, userinfoUrl: rig.userinfoUrl };
  }

  it('the SFU stops mid-call: the widget says the connection was lost, the call ends, media closes', async () => {
    const { d, userinfoUrl } = await deployment('stops');
    room = new SfuCallRoom(userinfoUrl, USERS);
    const alice = await room.member(USERS[0]!, 'ALICEDEV', { foci: [d.serviceUrl] });
    const bob = await room.member(USERS[1]!, 'BOBDEV', { foci: [d.serviceUrl] });
    await alice.controller.joinGroupCall('video');
    await bob.controller.joinGroupCall('video');
    await waitAllJoined([alice, bob]);
    await waitForMediaFrom(alice, bob);
    const widget = await widgetOf(alice);

    await stopNode(d.name);
    // While livekit-client tries to reconnect, the widget says the connection is lost.
    await waitFor(
      () => /Connection lost, reconnecting/.test(widget.shadowRoot!.textContent!),
      'the widget to say it is reconnecting',
      30_000,
    );
    for (const m of [alice, bob]) {
      await waitFor(() => groupOf(m).state === 'idle', `${m.identity}: the call to end`, 90_000);
      expect(m.controller.snapshot.error?.message, `${m.identity} is told`).to.match(
        /connection to the call's media server .* was lost/i,
      );
      await waitFor(() => m.media.liveTracks().length === 0, `${m.identity}: camera and microphone closed`);
    }
    await settle(widget);
    await waitFor(() => /was lost/.test(alertText(widget)), 'the widget to show the loss');
    expect(membershipOf(room, alice), "Alice's membership cleared").to.deep.equal({});
  });

  it('the JWT service is unreachable at join: the widget says so, nothing stays open', async () => {
    const { d, userinfoUrl } = await deployment('no-service');
    room = new SfuCallRoom(userinfoUrl, USERS);
    const alice = await room.member(USERS[0]!, 'ALICEDEV', { foci: [d.serviceUrl] });
    const widget = await widgetOf(alice);
    await stopService(d.name);

    await alice.controller.joinGroupCall('video');
    expect(groupOf(alice).state).to.equal('idle');
    expect(alice.controller.snapshot.error?.message).to.match(
      /could not reach the call's media server sign-in service/i,
    );
    await settle(widget);
    expect(alertText(widget)).to.match(/Could not reach the call's media server sign-in service/);
    expect(alice.media.liveTracks(), 'no camera or microphone open').to.deep.equal([]);
    expect(membershipOf(room, alice) ?? {}, 'no membership left behind').to.deep.equal({});
  });

  it('the SFU is unreachable at join: the widget says so, the membership is cleared, nothing stays open', async () => {
    const { d, userinfoUrl } = await deployment('no-sfu');
    room = new SfuCallRoom(userinfoUrl, USERS);
    const alice = await room.member(USERS[0]!, 'ALICEDEV', { foci: [d.serviceUrl] });
    const widget = await widgetOf(alice);
    await stopNode(d.name);

    await alice.controller.joinGroupCall('video');
    expect(groupOf(alice).state).to.equal('idle');
    expect(alice.controller.snapshot.error?.message).to.match(/media server/i);
    await settle(widget);
    expect(alertText(widget)).to.match(/media server/);
    expect(alice.media.liveTracks(), 'no camera or microphone open').to.deep.equal([]);
    expect(membershipOf(room, alice) ?? {}, 'membership cleared').to.deep.equal({});
  });
});
