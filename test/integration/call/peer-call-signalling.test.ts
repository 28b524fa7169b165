// Signalling corners over real connections in a room of several devices: several callee devices,
// out-of-order candidates, to-device leg stamping, version 0 callers.
import { expect } from '@open-wc/testing';
import { RoomHub } from './room-hub.js';
import { waitFor } from '../../support/webrtc.js';
import type { CallEvent } from '../../../src/signalling/voip/types.js';

const ALICE = '@alice:test.invalid';
const BOB = '@bob:test.invalid';

describe('PeerCall: signalling corners', () => {
  let hub: RoomHub;
  afterEach(() => hub?.dispose());

  it('answered on one of the callee devices stops the ringing on the other', async () => {
    hub = new RoomHub();
    const alice = hub.join(ALICE, 'A1', BOB, 'c1');
    const bobLaptop = hub.join(BOB, 'B1', ALICE, 'c1');
    const bobPhone = hub.join(BOB, 'B2', ALICE, 'c1');
    await alice.place();
    await waitFor(() => bobLaptop.view.state === 'ringing' && bobPhone.view.state === 'ringing', 'both ring');
    await bobLaptop.answer();
    await waitFor(() => bobPhone.ended, 'phone stops ringing');
    expect(bobPhone.view).to.include({ hangupReason: 'answered_elsewhere', missed: false });
    await waitFor(
      () => alice.view.state === 'connected' && bobLaptop.view.state === 'connected',
      'connected',
    );
    expect(hub.sentBy(bobPhone)).to.have.length(0, 'the phone sent nothing');
  });

  it('two callee devices answer: the caller selects the first, the second ends answered_elsewhere', async () => {
    hub = new RoomHub();
    const alice = hub.join(ALICE, 'A1', BOB, 'c2');
    const bobLaptop = hub.join(BOB, 'B1', ALICE, 'c2');
    const bobPhone = hub.join(BOB, 'B2', ALICE, 'c2');
    await alice.place();
    await waitFor(() => bobLaptop.view.state === 'ringing' && bobPhone.view.state === 'ringing', 'both ring');
    // Both answer, the laptop first, before either hears of the other.
    hub.paused = true;
    await bobLaptop.answer();
    await bobPhone.answer();
    const answers = hub.queued.filter((d) => d.event.kind === 'answer');
    expect(answers.map((d) => d.from.deviceId)).to.deep.equal(['B1', 'B2']);
    hub.resume();
    await waitFor(() => bobPhone.ended, 'the second answer loses');
    expect(bobPhone.view.hangupReason).to.equal('answered_elsewhere');
    expect(hub.sentBy(alice, 'select_answer')).to.have.length(1);
    expect(hub.sentBy(alice, 'select_answer')[0]).to.include({ selected_party_id: 'B1' });
    expect(alice.peerPartyId).to.equal('B1');
    await waitFor(
      () => alice.view.state === 'connected' && bobLaptop.view.state === 'connected',
      'connected',
    );
  });

  it('rejected on one callee device stops the ringing on the other', async () => {
    hub = new RoomHub();
    const alice = hub.join(ALICE, 'A1', BOB, 'c3');
    const bobLaptop = hub.join(BOB, 'B1', ALICE, 'c3');
    const bobPhone = hub.join(BOB, 'B2', ALICE, 'c3');
    await alice.place();
    await waitFor(() => bobPhone.view.state === 'ringing', 'phone rings');
    await bobLaptop.reject();
    await waitFor(() => bobPhone.ended && alice.ended, 'all ended');
    expect(bobPhone.view).to.include({ hangupReason: 'rejected_elsewhere', missed: false });
    expect(alice.view).to.include({ hangupReason: 'rejected' });
  });

  it('candidates that arrive before the invite or the answer are queued and used', async () => {
    hub = new RoomHub();
    const alice = hub.join(ALICE, 'A1', BOB, 'c4');
    const bob = hub.join(BOB, 'B1', ALICE, 'c4');
    hub.paused = true;
    await alice.place();
    await waitFor(() => hub.queued.some((d) => d.event.kind === 'candidates'), 'Alice has candidates out');
    const candidatesFirst = <T extends { event: CallEvent }>(q: T[]): T[] => [
      ...q.filter((d) => d.event.kind === 'candidates'),
      ...q.filter((d) => d.event.kind !== 'candidates'),
    ];
    hub.resume(candidatesFirst);
    await waitFor(() => bob.view.state === 'ringing', 'Bob rings');
    hub.paused = true;
    await bob.answer();
    await waitFor(() => hub.queued.some((d) => d.event.kind === 'candidates'), 'Bob has candidates out');
    hub.resume(candidatesFirst);
    await waitFor(() => alice.view.state === 'connected' && bob.view.state === 'connected', 'connected');
  });

  it('to-device legs stamp leg fields and a seq per call on every event', async () => {
    hub = new RoomHub();
    const leg = (device: string, from: string, to: string) => ({
      leg: {
        device_id: device,
        sender_session_id: from,
        dest_session_id: to,
        room_id: '!room:test.invalid',
        conf_id: 'g1',
      },
    });
    const alice = hub.join(ALICE, 'A1', BOB, 'c5', 'voice', leg('A1', 'sa', 'sb'));
    const bob = hub.join(BOB, 'B1', ALICE, 'c5', 'voice', leg('B1', 'sb', 'sa'));
    await alice.place();
    await waitFor(() => bob.view.state === 'ringing', 'Bob rings');
    await bob.answer();
    await waitFor(() => alice.view.state === 'connected' && bob.view.state === 'connected', 'connected');
    await waitFor(() => hub.sentBy(bob, 'candidates').length > 0, 'Bob sent candidates');
    await alice.hangup();
    for (const [call, device] of [
      [alice, 'A1'],
      [bob, 'B1'],
    ] as const) {
      const events = hub.sentBy(call);
      expect(events.length).to.be.at.least(2);
      expect(events.map((e) => e.leg?.seq)).to.deep.equal(events.map((_, i) => i));
      for (const e of events)
        expect(e.leg).to.include({ device_id: device, room_id: '!room:test.invalid', conf_id: 'g1' });
    }
  });

  it('a version 0 invite is answered without select_answer and rejected with a hangup', async () => {
    hub = new RoomHub();
    const bob = hub.join(BOB, 'B1', ALICE, 'c6');
    const legacy = new RTCPeerConnection();
    legacy.addTransceiver('audio');
    await legacy.setLocalDescription();
    hub.join(ALICE, 'A1', BOB, 'c6');
    bob.handle({
      event: {
        kind: 'invite',
        call_id: 'c6',
        version: 0,
        offer: { type: 'offer', sdp: legacy.localDescription!.sdp },
        lifetime: 60000,
      },
      sender: ALICE,
      receivedAt: performance.now(),
    });
    await waitFor(() => bob.view.state === 'ringing', 'Bob rings');
    expect(bob.inviteLifetime).to.equal(60000);
    await bob.reject();
    const sent = hub.sentBy(bob);
    expect(sent.map((e) => e.kind)).to.deep.equal(['hangup']);
    legacy.close();
  });

  it('ignores events from a third user and from a party not chosen', async () => {
    hub = new RoomHub();
    const alice = hub.join(ALICE, 'A1', BOB, 'c7');
    const bob = hub.join(BOB, 'B1', ALICE, 'c7');
    await alice.place();
    await waitFor(() => bob.view.state === 'ringing', 'Bob rings');
    await bob.answer();
    await waitFor(() => alice.view.state === 'connected', 'connected');
    const hangup = { kind: 'hangup', call_id: 'c7', version: '1', reason: 'user_hangup' } as const;
    alice.handle({ event: { ...hangup, party_id: 'B1' }, sender: '@mallory:test.invalid', receivedAt: 0 });
    alice.handle({ event: { ...hangup, party_id: 'B9' }, sender: BOB, receivedAt: 0 });
    alice.handle({ event: { ...hangup, party_id: 'B1', call_id: 'other' }, sender: BOB, receivedAt: 0 });
    expect(alice.ended).to.equal(false);
    alice.handle({ event: { ...hangup, party_id: 'B1' }, sender: BOB, receivedAt: 0 });
    expect(alice.view).to.include({ state: 'ended', hangupParty: 'remote' });
  });
});
