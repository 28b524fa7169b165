// GroupRinging's rules on a fake clock: who rings, for how long, and what stops it.
import { expect } from '@open-wc/testing';
import { GroupRinging } from '../../../src/group/group-ringing.js';
import type { RtcDecline, RtcNotification } from '../../../src/signalling/ringing/index.js';
import { FakeClock } from '../../support/fake-clock.js';

const ME = '@me:test.invalid';
const ALICE = '@alice:test.invalid';

function setup() {
  const clock = new FakeClock();
  const ringing = new GroupRinging({
    userId: ME,
    clock,
    describe: (userId) => ({ userId, displayName: userId.slice(1, userId.indexOf(':')) }),
  });
  let changes = 0;
  ringing.addEventListener('change', () => changes++);
  const notification = (over: Partial<RtcNotification> = {}): RtcNotification => ({
    eventId: '$n1',
    sender: ALICE,
    type: 'ring',
    sentAt: clock.now(),
    lifetime: 30_000,
    mentionsUserIds: [],
    mentionsRoom: true,
    ...over,
  });
  const decline = (over: Partial<RtcDecline> = {}): RtcDecline => ({
    eventId: '$d1',
    sender: ME,
    notificationEventId: '$n1',
    ...over,
  });
  return { clock, ringing, notification, decline, changes: () => changes };
}

describe('GroupRinging', () => {
  it('rings for someone else’s live notification, with who and which notification, until its lifetime ends', async () => {
    const { clock, ringing, notification, changes } = setup();
    expect(ringing.receive(notification())).to.equal(true);
    expect(ringing.ringing).to.deep.equal({
      from: { userId: ALICE, displayName: 'alice' },
      notificationId: '$n1',
    });
    expect(changes()).to.equal(1);
    await clock.advance(29_999);
    expect(ringing.ringing, 'still within the lifetime').to.not.equal(undefined);
    await clock.advance(1);
    expect(ringing.ringing).to.equal(undefined);
    expect(ringing.lastEndReason).to.equal('expired');
    expect(changes()).to.equal(2);
    expect(ringing.receive(notification()), 'an expired one does not ring again').to.equal(false);
  });

  it('does not ring for its own user, a notification that mentions neither room nor user, or an old one', async () => {
    const { clock, ringing, notification } = setup();
    expect(ringing.receive(notification({ sender: ME }))).to.equal(false);
    expect(
      ringing.receive(notification({ mentionsRoom: false, mentionsUserIds: ['@other:test.invalid'] })),
    ).to.equal(false);
    expect(
      ringing.receive(notification({ mentionsRoom: false, mentionsUserIds: [ME] })),
      'mentions this user',
    ).to.equal(true);
    const fresh = setup();
    await fresh.clock.advance(1);
    expect(fresh.ringing.receive(fresh.notification({ sentAt: fresh.clock.now() - 30_000 }))).to.equal(false);
    expect(clock.pending, 'one expiry timer').to.equal(1);
  });

  it('does not ring while this device is in the call, and joining stops it', () => {
    const { ringing, notification } = setup();
    ringing.setCall(true, true);
    expect(ringing.receive(notification())).to.equal(false);
    ringing.setCall(false, true);
    expect(ringing.receive(notification({ eventId: '$n2' }))).to.equal(true);
    ringing.setCall(true, true);
    expect(ringing.ringing).to.equal(undefined);
    expect(ringing.lastEndReason).to.equal('joined');
  });

  it('stops when the call it rang for ends, but not for a call not seen going on yet', () => {
    const { ringing, notification } = setup();
    ringing.receive(notification());
    ringing.setCall(false, false);
    expect(ringing.ringing, 'the membership may still be on its way').to.not.equal(undefined);
    ringing.setCall(false, true);
    ringing.setCall(false, false);
    expect(ringing.ringing).to.equal(undefined);
    expect(ringing.lastEndReason).to.equal('call-ended');
  });

  it('a decline from another device of this user stops it; one from someone else or for another notification does not', () => {
    const { ringing, notification, decline } = setup();
    ringing.receive(notification());
    ringing.receiveDecline(decline({ sender: ALICE }));
    ringing.receiveDecline(decline({ notificationEventId: '$other' }));
    expect(ringing.ringing).to.not.equal(undefined);
    ringing.receiveDecline(decline());
    expect(ringing.ringing).to.equal(undefined);
    expect(ringing.lastEndReason).to.equal('declined-elsewhere');
    expect(ringing.receive(notification()), 'the declined notification delivered again').to.equal(false);
  });

  it('a decline read before its notification keeps that notification from ringing', () => {
    const { ringing, notification, decline } = setup();
    ringing.receiveDecline(decline());
    expect(ringing.receive(notification())).to.equal(false);
  });

  it('a newer notification replaces the ringing one; an older one does not', async () => {
    const { clock, ringing, notification } = setup();
    ringing.receive(notification());
    await clock.advance(5_000);
    expect(ringing.receive(notification({ eventId: '$old', sentAt: clock.now() - 10_000 }))).to.equal(false);
    expect(ringing.receive(notification({ eventId: '$n2', sentAt: clock.now() }))).to.equal(true);
    expect(ringing.ringing?.notificationId).to.equal('$n2');
    expect(clock.pending, 'the first expiry timer is gone').to.equal(1);
    await clock.advance(29_999);
    expect(ringing.ringing?.notificationId, 'the newer lifetime counts').to.equal('$n2');
  });

  it('dismissed or declined here, the same notification never rings again', () => {
    const { ringing, notification } = setup();
    ringing.receive(notification());
    ringing.stop('dismissed');
    expect(ringing.ringing).to.equal(undefined);
    expect(ringing.receive(notification())).to.equal(false);
  });
});
