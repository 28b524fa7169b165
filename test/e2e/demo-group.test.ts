/**
 * The demo's three-person room, end to end: Alice, Bob and Carol join the room's group call with
 * clicks inside their widget iframes (real ClientWidgetApi hosts over the homeserver double), every
 * widget shows the other two with their cameras playing and carries their audio (sound, not silence),
 * the membership and mesh signalling show in
 * the event panel, and Carol leaving drops her tile from the others.
 */
import { expect } from '@open-wc/testing';
import type { Demo } from '../../demo/demo-app.js';
import { ALICE, BOB, CAROL, inView, mountDemoForEachTest, until } from '../support/demo-page.js';
import { saveScreenshot } from '../support/screenshot.js';
import { AUDIBLE, peakLevel } from '../support/audio-check.js';
import type { CallControllerApi } from '../../src/snapshot.js';

/** The other participants' audio as this widget's call has it, one stream per person. */
function remoteAudio(element: HTMLElement): MediaStream[] {
  const controller = (element as HTMLElement & { controller?: CallControllerApi }).controller;
  const participants = controller?.snapshot.group?.participants ?? [];
  return participants
    .filter((p) => !p.local)
    .map((p) => new MediaStream(p.streams.flatMap((s) => s.stream.getAudioTracks())))
    .filter((stream) => stream.getAudioTracks().length > 0);
}

/** Remote tiles whose video plays. */
function playingRemoteTiles(element: HTMLElement): number {
  const tiles = [...(element.shadowRoot?.querySelectorAll('call-tile') ?? [])];
  return tiles.filter((tile) => {
    if (tile.hasAttribute('local')) return false;
    const video = tile.shadowRoot?.querySelector('video');
    return !!video && video.videoWidth > 0;
  }).length;
}

/** Joins with video: from the idle view's button, or by answering the group ring. */
async function join(demo: Demo, userId: string): Promise<HTMLElement> {
  const element = await inView(demo, userId, 'idle', 'incoming');
  if (element.getAttribute('view') === 'incoming') {
    const answer = await until(`${userId}'s answer button`, () =>
      element.shadowRoot
        ?.querySelector('incoming-call')
        ?.shadowRoot?.querySelector<HTMLElement>('[part~="answer-video-button"]'),
    );
    answer.click();
  } else {
    const button = await until(`${userId}'s join button`, () =>
      element.shadowRoot?.querySelector<HTMLElement>('[part~="join-group-button"]'),
    );
    button.click();
  }
  return inView(demo, userId, 'group-call');
}

describe('the demo page: group call in the three-person room (e2e)', function () {
  this.timeout(120_000);
  const mounted = mountDemoForEachTest();

  it('three people join with clicks, see and hear each other, and one leaving drops her tile', async () => {
    const { demo } = mounted;
    const team = demo.world.rooms.find((room) => room.members.length === 3)!;
    demo.selectRoom(team.roomId);

    const alice = await join(demo, ALICE);
    const bob = await join(demo, BOB);
    const carol = await join(demo, CAROL);
    for (const [who, element] of [
      ['Alice', alice],
      ['Bob', bob],
      ['Carol', carol],
    ] as const) {
      await until(`${who} to see both others' cameras`, () => playingRemoteTiles(element) === 2, 40000);
    }
    // Hearing: each widget's call carries both others' audio, and it is sound, not silence (the fake
    // microphone beeps every second).
    for (const [who, element] of [
      ['Alice', alice],
      ['Bob', bob],
      ['Carol', carol],
    ] as const) {
      const streams = await until(`${who} to have both others' audio`, () => {
        const found = remoteAudio(element);
        return found.length === 2 ? found : undefined;
      });
      for (const stream of streams) {
        expect(await peakLevel(stream), `${who} hears a voice`).to.be.greaterThan(AUDIBLE);
      }
    }
    const types = new Set(demo.panel.seen.map((row) => row.type));
    expect(
      [...types].some((type) => type.endsWith('call.member')),
      'membership state',
    ).to.equal(true);
    expect(types.has('m.call.invite'), 'mesh legs over to-device').to.equal(true);
    await saveScreenshot('demo-group-call');

    const controls = carol.shadowRoot!.querySelector<HTMLElement>('[part~="controls"]')!;
    const hangup = await until('Carol’s leave button', () =>
      controls.shadowRoot?.querySelector<HTMLElement>('[part~="hangup-button"]'),
    );
    hangup.click();
    await inView(demo, CAROL, 'idle');
    await until('Alice to drop Carol’s tile', () => playingRemoteTiles(alice) === 1);
    await until('Bob to drop Carol’s tile', () => playingRemoteTiles(bob) === 1);
  });
});
