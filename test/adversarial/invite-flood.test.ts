/**
 * Trust: what a flood of invites can make a device hold. Held invites were bounded only by time:
 * 300 invites of 150 KB each were all held (45 MB), each 1:1 invite with a ringing call and a peer
 * connection. Now a 1:1 room rings at most MAX_RINGING_INVITES invites at once
 * (src/one-to-one/ringing-limit.ts), and a mesh call holds invites from senders who are not (yet)
 * members within PENDING_INVITE_BOUNDS (src/group/mesh/pending-invites.ts).
 */
import { expect } from '@open-wc/testing';
import { PENDING_INVITE_BOUNDS, PendingInvites } from '../../src/group/mesh/pending-invites.js';
import type { ReceivedLegEvent } from '../../src/group/mesh/mesh-signalling.js';
import { MAX_RINGING_INVITES } from '../../src/one-to-one/ringing-limit.js';
import { realCallClock } from '../../src/call/call-timings.js';
import { ALICE, BOB, ControllerRoom, callsOf, ringing } from '../integration/controller/controller-room.js';
import { inviteContent } from '../integration/controller/raw-invite.js';
import { until } from '../support/demo-page.js';

/** An SDP padded with attribute lines to about `kb` KB, still one a browser accepts. */
function padded(sdp: string, kb: number): string {
  const line = `a=x-pad:${'p'.repeat(1000)}\r\n`;
  return sdp + line.repeat(kb);
}

function legInvite(sender: string, deviceId: string, kb: number): ReceivedLegEvent {
  return {
    sender,
    receivedAt: 0,
    event: {
      kind: 'invite',
      call_id: `c-${sender}-${deviceId}`,
      party_id: deviceId,
      version: '1',
      lifetime: 60_000,
      offer: { type: 'offer', sdp: padded('v=0\r\n', kb) },
      leg: { device_id: deviceId, sender_session_id: 's', dest_session_id: 'me', seq: 0, room_id: '!r:x' },
    },
  } as ReceivedLegEvent;
}

describe('invite floods (adversarial)', () => {
  it('a mesh device holds at most a bounded number and size of invites from non-members', () => {
    const log: string[] = [];
    const pending = new PendingInvites({ clock: realCallClock, holdMs: 60_000, log: (l) => log.push(l) });
    // 300 invites of 150 KB from 30 users claiming 10 devices each.
    for (let i = 0; i < 300; i++) {
      const user = `@flood${i % 30}:evil.example`;
      pending.hold(`${user}|D${i}`, [legInvite(user, `D${i}`, 150)]);
    }
    expect(pending.count, 'invites held').to.be.at.most(PENDING_INVITE_BOUNDS.invites);
    expect(pending.chars, 'characters held').to.be.at.most(PENDING_INVITE_BOUNDS.chars);
    // One user claiming many devices keeps only a few of them.
    pending.dropAll();
    for (let i = 0; i < 50; i++)
      pending.hold(`@one:evil.example|D${i}`, [legInvite('@one:evil.example', `D${i}`, 1)]);
    expect(pending.count).to.be.at.most(PENDING_INVITE_BOUNDS.invitesPerUser);
    // Later events of a held call are bounded too.
    pending.dropAll();
    const key = '@two:evil.example|D0';
    pending.hold(key, [legInvite('@two:evil.example', 'D0', 1)]);
    for (let i = 0; i < 500; i++) pending.addToHeld(key, legInvite('@two:evil.example', 'D0', 1));
    expect(pending.chars).to.be.at.most(PENDING_INVITE_BOUNDS.eventsPerInvite * 2 * 1024);
    pending.dropAll();
  });

  it('a real member’s invite is still held and released while strangers flood', () => {
    const pending = new PendingInvites({ clock: realCallClock, holdMs: 60_000, log: () => undefined });
    const real = legInvite('@bob:x', 'B1', 10);
    for (let i = 0; i < 3; i++)
      pending.hold(`@flood${i}:evil.example|D`, [legInvite(`@flood${i}:evil.example`, 'D', 150)]);
    pending.hold('@bob:x|B1', [real]);
    const released: unknown[] = [];
    pending.release([{ userId: '@bob:x', deviceId: 'B1', sessionId: 's' }], (events) =>
      released.push(events[0]),
    );
    expect(released).to.deep.equal([real]);
    pending.dropAll();
  });

  it('in a 1:1 room, 40 invites of 150 KB ring at most a few at once, and the rest are reported', async () => {
    const room = new ControllerRoom();
    try {
      const rejected: string[] = [];
      const bob = await room.side(BOB, 'BOBDEVICE', {
        controller: { onRejectedEvent: (reason) => rejected.push(reason) },
      });
      const base = await inviteContent('x');
      const sdp = padded((base['offer'] as { sdp: string }).sdp, 150);
      const flood = 40;
      for (let i = 0; i < flood; i++) {
        const content = await inviteContent(`flood-${i}`, { partyId: `P${i}` });
        room.homeserver.sendEvent(room.roomId, ALICE, 'm.call.invite', {
          ...content,
          offer: { type: 'offer', sdp },
        });
      }
      const ringingNow = () => callsOf(bob).filter(ringing).length;
      await until('the flood to be handled', () => callsOf(bob).length + rejected.length >= flood);
      expect(ringingNow(), 'invites ringing').to.be.at.most(MAX_RINGING_INVITES);
      expect(callsOf(bob).length, 'calls made').to.be.at.most(MAX_RINGING_INVITES);
      expect(rejected.filter((r) => /ring already/.test(r)).length).to.equal(flood - MAX_RINGING_INVITES);
    } finally {
      room.dispose();
    }
  });
});
