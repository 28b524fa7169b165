/**
 * Trust: once a call has its parties (the caller selected an answer; the callee took an invite), only
 * the selected party may end or change it. An event without party_id from the peer's user (another
 * of their devices, or one that pretends to be version 0) could still hang up after select_answer.
 * The rule follows the spec's VoIP module as matrix-js-sdk reads it: the party id must match the
 * selected one, both being absent only in a version 0 call (src/call/peer-call.ts).
 */
import { expect } from '@open-wc/testing';
import { RoomHub } from '../integration/call/room-hub.js';
import { waitFor } from '../support/webrtc.js';
import type { CallEvent } from '../../src/signalling/voip/types.js';

const ALICE = '@alice:test.invalid';
const BOB = '@bob:test.invalid';

describe('events from a party that was not selected (adversarial)', () => {
  let hub: RoomHub;
  afterEach(() => hub?.dispose());

  async function connected(callId: string) {
    hub = new RoomHub();
    const alice = hub.join(ALICE, 'A1', BOB, callId);
    const bob = hub.join(BOB, 'B1', ALICE, callId);
    await alice.place();
    await waitFor(() => bob.view.state === 'ringing', 'Bob rings');
    await bob.answer();
    await waitFor(() => alice.view.state === 'connected' && bob.view.state === 'connected', 'connected');
    return { alice, bob };
  }

  it('after select_answer, a hangup, reject or negotiate without party_id from the callee’s user is ignored', async () => {
    const { alice } = await connected('p1');
    const base = { call_id: 'p1', version: '1' } as const;
    const events: CallEvent[] = [
      { ...base, kind: 'hangup', reason: 'user_hangup' },
      { ...base, kind: 'reject' },
      { ...base, kind: 'negotiate', description: { type: 'offer', sdp: 'v=0\r\n' } },
      { ...base, kind: 'hangup', reason: 'user_hangup', party_id: 'B2' },
    ];
    for (const event of events) alice.handle({ event, sender: BOB, receivedAt: 0 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(alice.ended, 'the call ended').to.equal(false);
    expect(alice.view.state).to.equal('connected');
    alice.handle({
      event: { ...base, kind: 'hangup', reason: 'user_hangup', party_id: 'B1' },
      sender: BOB,
      receivedAt: 0,
    });
    expect(alice.view).to.include({ state: 'ended', hangupParty: 'remote' });
  });

  it('on the callee, a hangup without party_id from the caller’s user is ignored; the caller’s own ends it', async () => {
    const { bob } = await connected('p2');
    const hangup = { call_id: 'p2', version: '1', kind: 'hangup', reason: 'user_hangup' } as const;
    bob.handle({ event: hangup, sender: ALICE, receivedAt: 0 });
    bob.handle({ event: { ...hangup, party_id: 'A2' }, sender: ALICE, receivedAt: 0 });
    expect(bob.ended, 'the call ended').to.equal(false);
    bob.handle({ event: { ...hangup, party_id: 'A1' }, sender: ALICE, receivedAt: 0 });
    expect(bob.view).to.include({ state: 'ended', hangupParty: 'remote' });
  });

  it('before an answer is selected, any callee device may still reject (the spec’s rule)', async () => {
    hub = new RoomHub();
    const alice = hub.join(ALICE, 'A1', BOB, 'p3');
    await alice.place();
    alice.handle({
      event: { call_id: 'p3', version: '1', kind: 'reject', party_id: 'B7' },
      sender: BOB,
      receivedAt: 0,
    });
    await waitFor(() => alice.ended, 'the call ends');
    expect(alice.view.hangupReason).to.equal('rejected');
  });
});
