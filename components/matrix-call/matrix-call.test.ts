import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, emulateMedia, setViewport } from '@web/test-runner-commands';
import '../index.js';
import { MatrixCall } from './matrix-call.js';
import { MatrixCallElement } from './internal/matrix-call.js';
import {
  TestCallController,
  alice,
  bob,
  callOf,
  participantOf,
  snapshotOf,
  streamOf,
} from '../../test/support/test-call-controller.js';
import {
  deepQuery,
  deepQueryAll,
  describeFocus,
  settle,
  transitionsDone,
} from '../../test/support/element-helpers.js';
import { saveScreenshot } from '../../test/support/screenshot.js';
import type { CallControllerApi } from '../../src/snapshot.js';
import type { CallTile } from '../call-tile/call-tile.js';

async function mount(controller: CallControllerApi | undefined, attrs = '') {
  const el = await fixture<MatrixCall>(html`<matrix-call style="height:480px;width:720px"></matrix-call>`);
  if (attrs) for (const [k, v] of attrs.split(' ').map((a) => a.split('='))) el.setAttribute(k!, v ?? '');
  el.controller = controller;
  await settle(el);
  return el;
}

const part = (el: MatrixCall, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const text = (el: MatrixCall) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');

describe('<matrix-call>', () => {
  before(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  it('says what is missing when it has no controller', async () => {
    const el = await mount(undefined);
    expect(el.view).to.equal('no-controller');
    expect(text(el)).to.contain('.controller');
    expect(text(el)).to.contain('<matrix-call>');
  });

  it('builds its controller through the controllerFactory hook when given none', async () => {
    const built = new TestCallController();
    MatrixCallElement.controllerFactory = async () => built;
    try {
      const el = await fixture<MatrixCall>(html`<matrix-call></matrix-call>`);
      await new Promise((r) => setTimeout(r, 0));
      await settle(el);
      expect(el.controller).to.equal(built);
      expect(el.view).to.equal('idle');
    } finally {
      MatrixCallElement.controllerFactory = undefined;
    }
  });

  it('shows a factory failure in words', async () => {
    MatrixCallElement.controllerFactory = () => {
      throw new Error('widgetId is missing from the URL');
    };
    try {
      const el = await fixture<MatrixCall>(html`<matrix-call></matrix-call>`);
      await new Promise((r) => setTimeout(r, 0));
      await settle(el);
      expect(text(el)).to.contain('widgetId is missing from the URL');
    } finally {
      MatrixCallElement.controllerFactory = undefined;
    }
  });

  it('starting: tells the user it is connecting', async () => {
    const el = await mount(new TestCallController(snapshotOf({ status: 'starting' })));
    expect(el.view).to.equal('starting');
    expect(text(el)).to.contain('Connecting to the room');
    await expect(el).to.be.accessible();
  });

  it('idle: voice and video call buttons place calls, and a page may veto', async () => {
    const controller = new TestCallController();
    const el = await mount(controller);
    expect(el.view).to.equal('idle');
    expect(el.matches(':state(idle)')).to.equal(true);
    part(el, 'voice-call-button')!.click();
    expect(controller.actions).to.deep.equal([{ name: 'placeCall', args: ['voice'] }]);
    const veto = (e: Event) => e.preventDefault();
    el.addEventListener('request-place-call', veto);
    part(el, 'video-call-button')!.click();
    el.removeEventListener('request-place-call', veto);
    expect(controller.actionNames()).to.deep.equal(['placeCall']);
    let seenKind = '';
    el.addEventListener('request-place-call', (e) => (seenKind = e.kind), { once: true });
    part(el, 'video-call-button')!.click();
    expect(seenKind).to.equal('video');
    expect(controller.actions[1]).to.deep.equal({ name: 'placeCall', args: ['video'] });
    await expect(el).to.be.accessible();
    await saveScreenshot('matrix-call-idle', 'matrix-call');
  });

  it('idle: Tab goes voice call, then video call', async () => {
    const el = await mount(new TestCallController());
    part(el, 'voice-call-button')!.focus();
    expect(describeFocus()).to.equal('voice-call-button');
    await sendKeys({ press: 'Tab' });
    expect(describeFocus()).to.equal('video-call-button');
  });

  it('idle: explains why no 1:1 call can start in a public room or a crowded one', async () => {
    const controller = new TestCallController(
      snapshotOf({ room: { roomId: '!r', members: [alice, bob], canCall: false, isPublic: true } }),
    );
    const el = await mount(controller);
    expect(part(el, 'voice-call-button')).to.equal(null);
    expect(text(el)).to.contain('turned off in public rooms');
    controller.update({
      room: {
        roomId: '!r',
        members: [alice, bob, { userId: '@c:x', displayName: 'C' }],
        canCall: false,
        isPublic: false,
      },
    });
    await settle(el);
    expect(text(el)).to.contain('exactly two people');
  });

  it('idle: group call and walkie-talkie only with their snapshot and a mode that allows them', async () => {
    const plain = await mount(new TestCallController(snapshotOf()));
    expect(part(plain, 'join-group-button') === null, 'no group call in the snapshot').to.equal(true);
    expect(part(plain, 'walkie-talkie-button') === null, 'no walkie-talkie in the snapshot').to.equal(true);

    const controller = new TestCallController(snapshotOf({ group: groupIdle(true), ptt: pttOff() }));
    const el = await mount(controller);
    expect(part(el, 'join-group-button')!.textContent).to.contain('Join group call');
    expect(text(el)).to.contain('A group call is going on');
    part(el, 'join-group-button')!.click();
    part(el, 'walkie-talkie-button')!.click();
    expect(controller.actions).to.deep.equal([
      { name: 'joinGroupCall', args: ['video'] },
      { name: 'setPttOptIn', args: [true] },
    ]);
    await expect(el).to.be.accessible();
    await saveScreenshot('matrix-call-idle-all-modes', 'matrix-call');

    el.mode = 'call';
    await settle(el);
    expect(part(el, 'join-group-button')).to.equal(null);
    expect(part(el, 'walkie-talkie-button')).to.equal(null);
    expect(part(el, 'voice-call-button')).to.not.equal(null);
    el.mode = 'walkie-talkie';
    await settle(el);
    expect(part(el, 'voice-call-button')).to.equal(null);
    expect(part(el, 'walkie-talkie-button')).to.not.equal(null);
  });

  it('incoming: shows the caller and answers with voice or video; Escape declines', async () => {
    const controller = new TestCallController(
      snapshotOf({
        calls: [callOf({ id: 'in-1', state: 'ringing', direction: 'incoming', peer: bob, kind: 'video' })],
      }),
    );
    const el = await mount(controller, 'silent');
    expect(el.view).to.equal('incoming');
    const incoming = el.shadowRoot!.querySelector('incoming-call')!;
    expect(incoming.shadowRoot!.textContent).to.contain('Bob Builder');
    expect(incoming.shadowRoot!.textContent).to.contain('Incoming video call');
    expect(incoming.shadowRoot!.textContent).to.contain('BB');
    await expect(el).to.be.accessible();
    await saveScreenshot('matrix-call-incoming', 'matrix-call');

    deepQuery<HTMLButtonElement>(el, '[part~="answer-video-button"]')!.click();
    expect(controller.actions[0]).to.deep.equal({ name: 'answer', args: ['in-1', 'video'] });

    incoming.focus();
    expect(describeFocus()).to.equal('answer-voice-button');
    await sendKeys({ press: 'Escape' });
    expect(controller.actions[1]).to.deep.equal({ name: 'reject', args: ['in-1'] });
  });

  it('in call: tiles for both sides, controls, duration and connection state', async () => {
    const local = streamOf({ local: true, userId: alice.userId, colour: '#7a4fd5' });
    const remote = streamOf({ withAudio: true });
    const controller = new TestCallController(
      snapshotOf({
        calls: [callOf({ localStreams: [local], remoteStreams: [remote], connectedAt: Date.now() - 65_000 })],
      }),
    );
    const el = await mount(controller);
    expect(el.view).to.equal('in-call');
    const tiles = el.shadowRoot!.querySelectorAll('call-tile');
    expect(tiles.length).to.equal(2);
    expect(tiles[0]!.name).to.equal('Bob Builder');
    expect(tiles[0]!.quality).to.equal('good');
    expect(tiles[1]!.local).to.equal(true);
    expect(part(el, 'duration')!.textContent).to.match(/^1:0[5-6]$/);
    expect(part(el, 'call-state')!.textContent).to.equal('Connected');
    expect(part(el, 'connection'), 'a healthy connection needs no words').to.equal(null);
    expect(el.shadowRoot!.querySelector('audio[data-stream]')).to.not.equal(null);
    const controls = el.shadowRoot!.querySelector('call-controls')!;
    expect(controls.shadowRoot!.querySelector('[part~="hangup-button"]')).to.not.equal(null);
    await expect(el).to.be.accessible();
    await new Promise((r) => setTimeout(r, 300));
    await saveScreenshot('matrix-call-in-call', 'matrix-call');

    deepQuery<HTMLButtonElement>(el, '[part~="hangup-button"]')!.click();
    expect(controller.actions.at(-1)).to.deep.equal({ name: 'hangup', args: ['call-1'] });

    controller.update({
      calls: [callOf({ localStreams: [local], remoteStreams: [remote], connection: 'disconnected' })],
    });
    await settle(el);
    expect(part(el, 'call-state')!.textContent).to.equal('Reconnecting…');
    expect(el.shadowRoot!.querySelector('call-tile')!.quality).to.equal('lost');
  });

  it('in call: says "Calling…" while inviting, with a placeholder tile for the peer', async () => {
    const controller = new TestCallController(
      snapshotOf({ calls: [callOf({ state: 'inviting', connection: 'new' })] }),
    );
    const el = await mount(controller);
    expect(part(el, 'call-state')!.textContent).to.equal('Calling Bob Builder…');
    expect(el.shadowRoot!.querySelectorAll('call-tile').length).to.equal(1);
    expect(part(el, 'duration')).to.equal(null);
  });

  it('in call: a screen share takes the spotlight', async () => {
    const share = streamOf({ purpose: 'm.screenshare', colour: '#222' });
    const controller = new TestCallController(
      snapshotOf({
        calls: [callOf({ remoteStreams: [streamOf(), share], localStreams: [streamOf({ local: true })] })],
      }),
    );
    const el = await mount(controller);
    const stage = part(el, 'stage')!;
    expect(stage.classList.contains('spotlight')).to.equal(true);
    const main = stage.querySelector<CallTile>('.spotlight-main call-tile')!;
    expect(main.screenShare).to.equal(true);
    expect(main.spotlight).to.equal(true);
    expect(stage.querySelectorAll('.strip call-tile').length).to.equal(2);
    await expect(el).to.be.accessible();
    await new Promise((r) => setTimeout(r, 300));
    await saveScreenshot('matrix-call-spotlight', 'matrix-call');
  });

  it('ended: the reason in plain words, call again and close', async () => {
    const controller = new TestCallController(
      snapshotOf({
        calls: [
          callOf({
            state: 'ended',
            hangupReason: 'user_hangup',
            hangupParty: 'remote',
            connectedAt: 1_000,
            endedAt: 1_000 + 125_000,
          }),
        ],
      }),
    );
    const el = await mount(controller);
    expect(el.view).to.equal('ended');
    expect(part(el, 'reason')!.textContent).to.equal('Bob Builder hung up.');
    expect(text(el)).to.contain('The call lasted 2:05.');
    await expect(el).to.be.accessible();
    await saveScreenshot('matrix-call-ended', 'matrix-call');
    part(el, 'call-again-button')!.click();
    expect(controller.actions[0]).to.deep.equal({ name: 'placeCall', args: ['video'] });
    part(el, 'close-button')!.click();
    await settle(el);
    expect(el.view).to.equal('idle');
  });

  it('ended: a missed call and an ICE failure say so', async () => {
    const controller = new TestCallController(
      snapshotOf({
        calls: [
          callOf({
            state: 'ended',
            direction: 'incoming',
            missed: true,
            hangupReason: 'invite_timeout',
            hangupParty: 'remote',
          }),
        ],
      }),
    );
    const el = await mount(controller);
    expect(text(el)).to.contain('Missed call from Bob Builder');
    controller.update({
      calls: [callOf({ id: 'c2', state: 'ended', hangupReason: 'ice_failed', hangupParty: 'local' })],
    });
    await settle(el);
    expect(part(el, 'reason')!.textContent).to.contain('try another network');
  });

  it('error: what happened and what to do, from the message table', async () => {
    const controller = new TestCallController(
      snapshotOf({
        status: 'error',
        error: {
          code: 'capability-denied',
          message: 'The host refused org.matrix.msc2762.receive.event:m.call.invite',
        },
      }),
    );
    const el = await mount(controller);
    expect(el.view).to.equal('error');
    expect(part(el, 'error-message')!.textContent).to.contain('did not allow this widget');
    expect(part(el, 'error-fix')!.textContent).to.contain('reload the widget');
    expect(part(el, 'error-details')!.textContent).to.contain('m.call.invite');
    await expect(el).to.be.accessible();
    await saveScreenshot('matrix-call-error', 'matrix-call');
  });

  it('idle with an error from an action (a group join that failed): its plain words shown as an alert', async () => {
    const controller = new TestCallController(
      snapshotOf({
        error: {
          code: 'transport',
          message: "Could not reach the call's media server sign-in service (https://rtc.example.org).",
          detail: 'JWT service https://rtc.example.org: unreachable',
        },
        group: { state: 'idle', backend: 'livekit', ongoing: false, participants: [] },
      }),
    );
    const el = await mount(controller);
    expect(el.view).to.equal('idle');
    const problem = part(el, 'action-error')!;
    expect(problem.getAttribute('role')).to.equal('alert');
    expect(part(el, 'action-error-detail')!.textContent).to.contain(
      "Could not reach the call's media server",
    );
    expect(part(el, 'join-group-button'), 'joining again stays possible').to.not.equal(null);
    controller.update({ error: undefined });
    await settle(el);
    expect(part(el, 'action-error')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('group call: a tile per participant with speaking from the snapshot; leaving calls leaveGroupCall', async () => {
    const controller = new TestCallController(
      snapshotOf({
        group: {
          state: 'joined',
          backend: 'mesh',
          ongoing: true,
          participants: [
            participantOf(alice, { local: true, streams: [streamOf({ local: true, userId: alice.userId })] }),
            participantOf(bob, { speaking: true, streams: [streamOf()] }),
            participantOf(
              { userId: '@carol:example.org', displayName: 'Carol' },
              { audioMuted: true, videoMuted: true },
            ),
          ],
        },
      }),
    );
    const el = await mount(controller);
    expect(el.view).to.equal('group-call');
    const tiles = [...el.shadowRoot!.querySelectorAll('call-tile')];
    expect(tiles.map((t) => t.name)).to.deep.equal(['Alice Liddell', 'Bob Builder', 'Carol']);
    expect(tiles[1]!.speaking).to.equal(true);
    expect(tiles[2]!.audioMuted).to.equal(true);
    expect(text(el)).to.contain('3 in the call');
    await expect(el).to.be.accessible();
    await new Promise((r) => setTimeout(r, 300));
    await saveScreenshot('matrix-call-group', 'matrix-call');
    deepQuery<HTMLButtonElement>(el, '[part~="hangup-button"]')!.click();
    expect(controller.actions.at(-1)).to.deep.equal({ name: 'leaveGroupCall', args: [] });
  });

  it('group call started here: who declined its ring is shown in a line and said in the live region', async () => {
    const carol = { userId: '@carol:example.org', displayName: 'Carol' };
    const joined = (declinedBy?: readonly (typeof bob)[], withCarol = false) => ({
      state: 'joined' as const,
      backend: 'mesh' as const,
      ongoing: true,
      participants: [participantOf(alice, { local: true }), ...(withCarol ? [participantOf(carol)] : [])],
      ...(declinedBy ? { declinedBy } : {}),
    });
    const controller = new TestCallController(snapshotOf({ group: joined() }));
    const el = await mount(controller, 'silent');
    const announcer = part(el, 'announcer')!;
    expect(el.view).to.equal('group-call');
    expect(part(el, 'declined'), 'nobody declined yet').to.equal(null);
    expect(announcer.textContent!.trim()).to.equal('You joined the group call');

    controller.update({ group: joined([bob]) });
    await settle(el);
    expect(part(el, 'declined')!.textContent!.trim()).to.equal('Bob Builder declined');
    expect(announcer.textContent!.trim()).to.equal('Bob Builder declined');
    await expect(el).to.be.accessible();

    controller.update({ group: joined([bob, carol]) });
    await settle(el);
    expect(part(el, 'declined')!.textContent!.trim()).to.equal('Bob Builder and Carol declined');
    expect(announcer.textContent!.trim(), 'the newest decline is said').to.equal('Carol declined');

    // Carol joins after all: the line no longer names her; her joining is said, not the decline again.
    controller.update({ group: joined([bob, carol], true) });
    await settle(el);
    expect(part(el, 'declined')!.textContent!.trim()).to.equal('Bob Builder declined');
    expect(announcer.textContent!.trim()).to.equal('Carol joined');
    await expect(el).to.be.accessible();
  });

  it('group call started here: who is being rung is shown while the ring goes out, without those who join or decline', async () => {
    const carol = { userId: '@carol:example.org', displayName: 'Carol' };
    const dave = { userId: '@dave:example.org', displayName: 'Dave' };
    const erin = { userId: '@erin:example.org', displayName: 'Erin' };
    const ringingOut = { notificationId: '$n1', until: Date.now() + 30_000 };
    const group = (patch: object = {}) => ({
      state: 'joined' as const,
      backend: 'mesh' as const,
      ongoing: true,
      participants: [participantOf(alice, { local: true })],
      ringingOut,
      ...patch,
    });
    const room = { roomId: '!r', members: [alice, bob, carol], canCall: false, isPublic: false };
    const controller = new TestCallController(snapshotOf({ room, group: group() }));
    const el = await mount(controller, 'silent');
    expect(part(el, 'ringing-out')!.textContent!.trim()).to.equal('Ringing Bob Builder and Carol…');
    await expect(el).to.be.accessible();

    // Bob joins, and Carol declines: nobody is left to ring.
    controller.update({
      group: group({ participants: [participantOf(alice, { local: true }), participantOf(bob)] }),
    });
    await settle(el);
    expect(part(el, 'ringing-out')!.textContent!.trim()).to.equal('Ringing Carol…');
    controller.update({
      group: group({
        participants: [participantOf(alice, { local: true }), participantOf(bob)],
        declinedBy: [carol],
      }),
    });
    await settle(el);
    expect(part(el, 'ringing-out')).to.equal(null);

    // A bigger room: three names at most; the ring's end (no ringingOut) hides the line.
    controller.update({ room: { ...room, members: [alice, bob, carol, dave, erin] }, group: group() });
    await settle(el);
    expect(part(el, 'ringing-out')!.textContent!.trim()).to.equal('Ringing Bob Builder, Carol, and 2 more…');
    controller.update({ group: group({ ringingOut: undefined }) });
    await settle(el);
    expect(part(el, 'ringing-out')).to.equal(null);
  });

  it('walkie-talkie: the push-to-talk button gets the controller through context', async () => {
    const controller = new TestCallController(
      snapshotOf({
        ptt: { optedIn: true, floor: 'listening', talker: bob, maxTransmitMs: 30_000, queuedRecordings: 0 },
      }),
    );
    const el = await mount(controller);
    expect(el.view).to.equal('walkie-talkie');
    const ptt = el.shadowRoot!.querySelector('ptt-button')!;
    expect(ptt.shadowRoot!.textContent).to.contain('Bob Builder is talking');
    expect((ptt as unknown as { silent: boolean }).silent).to.equal(false);
    el.silent = true;
    await el.updateComplete;
    expect((ptt as unknown as { silent: boolean }).silent, 'silent reaches the button').to.equal(true);
    el.silent = false;
    await el.updateComplete;
    await expect(el).to.be.accessible();
    await saveScreenshot('matrix-call-walkie-talkie', 'matrix-call');
    part(el, 'leave-walkie-talkie-button')!.click();
    expect(controller.actions).to.deep.equal([{ name: 'setPttOptIn', args: [false] }]);
  });

  it('walkie-talkie carried by a listen-only join of the group call still shows the walkie-talkie', async () => {
    const controller = new TestCallController(
      snapshotOf({
        ptt: { optedIn: true, floor: 'idle', maxTransmitMs: 30_000, queuedRecordings: 0 },
        group: { state: 'joined', backend: 'mesh', ongoing: true, participants: [], listenOnly: true },
      }),
    );
    const el = await mount(controller);
    expect(el.view).to.equal('walkie-talkie');
  });

  it('a call that rings during another call shows as call waiting over the call', async () => {
    const controller = new TestCallController(
      snapshotOf({
        calls: [
          callOf({ id: 'live' }),
          callOf({
            id: 'second',
            state: 'ringing',
            direction: 'incoming',
            peer: { userId: '@carol:x', displayName: 'Carol' },
          }),
        ],
      }),
    );
    const el = await mount(controller);
    expect(el.view).to.equal('in-call');
    const incoming = el.shadowRoot!.querySelector('incoming-call')!;
    expect(incoming.waiting).to.equal(true);
    expect(incoming.callId).to.equal('second');
    expect(incoming.ringtone.started, 'no ringtone over a call').to.equal(false);
    expect(part(el, 'announcer')!.textContent!.trim()).to.equal('Incoming call from Carol');
    await expect(el).to.be.accessible();
  });

  it('moves focus to the new screen when the pressed button disappears', async () => {
    const controller = new TestCallController();
    const el = await mount(controller);
    part(el, 'voice-call-button')!.focus();
    part(el, 'voice-call-button')!.click();
    controller.update({ calls: [callOf({ state: 'inviting', kind: 'voice' })] });
    await settle(el);
    expect(describeFocus()).to.equal('Voice call with Bob Builder');
  });

  it('stops animations under prefers-reduced-motion', async () => {
    const controller = new TestCallController(snapshotOf({ status: 'starting' }));
    const el = await mount(controller);
    const spinner = el.shadowRoot!.querySelector('.spinner')!;
    expect(getComputedStyle(spinner).animationDuration).to.not.equal('0s');
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      expect(getComputedStyle(spinner).animationDuration).to.equal('0s');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });

  it('announces transitions in a live region', async () => {
    const controller = new TestCallController();
    const el = await mount(controller, 'silent');
    const announcer = part(el, 'announcer')!;
    expect(announcer.getAttribute('aria-live')).to.equal('polite');
    controller.update({ calls: [callOf({ state: 'ringing', direction: 'incoming' })] });
    await settle(el);
    expect(announcer.textContent!.trim()).to.equal('Incoming call from Bob Builder');
    controller.update({ calls: [callOf({ state: 'connecting' })] });
    await settle(el);
    expect(announcer.textContent!.trim()).to.equal('Connecting…');
    controller.update({ calls: [callOf({ state: 'connected', connectedAt: Date.now() })] });
    await settle(el);
    expect(announcer.textContent!.trim()).to.equal('Call with Bob Builder connected');
    controller.update({
      calls: [callOf({ state: 'ended', hangupReason: 'user_hangup', hangupParty: 'local' })],
    });
    await settle(el);
    expect(announcer.textContent!.trim()).to.equal('Call ended. You hung up.');
  });

  it('stops listening to the controller when removed', async () => {
    const controller = new TestCallController();
    const el = await mount(controller);
    el.remove();
    controller.update({ calls: [callOf({ state: 'connected' })] });
    await el.updateComplete;
    expect(el.view).to.equal('idle');
    document.body.append(el);
    await settle(el);
    expect(el.view).to.equal('in-call');
    el.remove();
  });

  it('follows the theme attribute, and with auto the page’s color-scheme (here: the system)', async () => {
    const controller = new TestCallController(
      snapshotOf({ calls: [callOf({ state: 'ended', hangupReason: 'user_busy' })] }),
    );
    const el = await mount(controller);
    const bg = () => getComputedStyle(el).backgroundColor;
    el.theme = 'light';
    await settle(el);
    await transitionsDone();
    const light = bg();
    el.theme = 'dark';
    await settle(el);
    await transitionsDone();
    const dark = bg();
    expect(dark).to.not.equal(light);
    await expect(el).to.be.accessible();
    await saveScreenshot('matrix-call-ended-dark', 'matrix-call');
    // auto follows the page: this page declares `light dark`, so the system's preference decides.
    el.parentElement!.style.colorScheme = 'light dark';
    el.theme = 'auto';
    await settle(el);
    await emulateMedia({ colorScheme: 'dark' });
    await settle(el);
    await transitionsDone();
    expect(bg()).to.equal(dark);
    await emulateMedia({ colorScheme: 'light' });
    await transitionsDone();
    expect(bg()).to.equal(light);
    el.style.setProperty('--mck-call-background', 'rgb(1, 2, 3)');
    expect(bg()).to.equal('rgb(1, 2, 3)');
  });

  it('lays out right to left', async () => {
    const el = await fixture<MatrixCall>(
      html`<div dir="rtl"><matrix-call style="height:400px;width:600px"></matrix-call></div>`,
    ).then((d) => d.querySelector('matrix-call')!);
    el.controller = new TestCallController();
    await settle(el);
    const voice = part(el, 'voice-call-button')!.getBoundingClientRect();
    const video = part(el, 'video-call-button')!.getBoundingClientRect();
    expect(voice.left).to.be.greaterThan(video.left);
    expect(deepQueryAll(el, 'button').length).to.be.greaterThan(1);
  });
});

function groupIdle(ongoing = false) {
  return { state: 'idle' as const, backend: 'mesh' as const, ongoing, participants: [] };
}

function pttOff() {
  return { optedIn: false, floor: 'off' as const, maxTransmitMs: 30_000, queuedRecordings: 0 };
}
