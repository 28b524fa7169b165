import { expect } from '@open-wc/testing';
import { orderCalls } from '../../../src/one-to-one/call-list.js';
import { resolveGlare } from '../../../src/one-to-one/glare.js';
import { toIceServers } from '../../../src/transport/ice-servers.js';
import { ageNow, isAlive, remainingLifetime } from '../../../src/one-to-one/invite-liveness.js';
import { capabilityDeniedError, oneToOneCallNeeds } from '../../../src/one-to-one/needs.js';
import {
  buildRoomView,
  callRuleError,
  otherMember,
  readJoinRule,
  readMember,
} from '../../../src/one-to-one/room-rules.js';
import { mergeTimelineReads, openCallIds } from '../../../src/one-to-one/timeline-catch-up.js';
import type { CallEvent, CallInvite, ReceivedCallEvent } from '../../../src/signalling/voip/types.js';
import type { CallView } from '../../../src/snapshot.js';
import type { RawRoomEvent } from '../../../src/transport/transport.js';
import { needKey } from '../../../src/transport/needs.js';

const ME = '@me:x';
const YOU = '@you:x';

function raw(partial: Partial<RawRoomEvent> & { event_id: string }): RawRoomEvent {
  return {
    type: 'm.call.invite',
    sender: YOU,
    room_id: '!r:x',
    origin_server_ts: 0,
    content: {},
    ...partial,
  };
}

function invite(lifetime: number, ageOnReceipt: number | undefined, receivedAt: number) {
  const event = {
    kind: 'invite',
    call_id: 'c',
    party_id: 'P',
    version: '1',
    lifetime,
    offer: { type: 'offer', sdp: 'v=0' },
  } as CallInvite;
  return {
    event,
    sender: YOU,
    receivedAt,
    ...(ageOnReceipt !== undefined ? { ageOnReceipt } : {}),
  } as ReceivedCallEvent & {
    event: CallInvite;
  };
}

function view(id: string, patch: Partial<CallView> = {}): CallView {
  return {
    id,
    kind: 'voice',
    state: 'connected',
    direction: 'outgoing',
    peer: { userId: YOU, displayName: 'You' },
    localStreams: [],
    remoteStreams: [],
    micMuted: false,
    cameraMuted: true,
    onHold: false,
    remoteOnHold: false,
    screenSharing: false,
    connection: 'connected',
    waiting: false,
    missed: false,
    ...patch,
  };
}

describe('1:1 controller pieces', () => {
  describe('needs', () => {
    it('asks for the m.call.* types, the unstable metadata name, members, join rules, TURN and the timeline', () => {
      const keys = oneToOneCallNeeds().map(needKey);
      expect(keys).to.include('send-event|m.call.invite');
      expect(keys).to.include('send-event|m.call.sdp_stream_metadata_changed');
      expect(keys).to.include('receive-event|org.matrix.call.sdp_stream_metadata_changed');
      expect(keys).to.include('receive-event|m.call.select_answer');
      expect(keys).to.include('receive-state|m.room.member|*');
      expect(keys).to.include('receive-state|m.room.join_rules|*');
      expect(keys).to.include('turn-servers');
      expect(keys).to.include('read-timeline');
      expect(keys).to.not.include('openid');
      expect(keys.some((k) => k.includes('to-device'))).to.equal(false);
      expect(new Set(keys).size).to.equal(keys.length);
    });

    it('says which capability was refused and why', () => {
      const error = capabilityDeniedError([{ kind: 'turn-servers' }]);
      expect(error.code).to.equal('capability-denied');
      expect(error.message).to.contain('TURN servers');
      expect(error.message).to.contain('firewalls');
    });
  });

  describe('room rules', () => {
    const member = (userId: string, membership: string) =>
      readMember(
        raw({ event_id: userId, type: 'm.room.member', state_key: userId, content: { membership } }),
      )!;

    it('allows exactly two joined people in a room that is not public', () => {
      const room = buildRoomView(
        '!r:x',
        ME,
        [member(ME, 'join'), member(YOU, 'join'), member('@gone:x', 'leave')],
        'invite',
      );
      expect(room.canCall).to.equal(true);
      expect(otherMember(room, ME)?.userId).to.equal(YOU);
      expect(callRuleError(room)).to.equal(undefined);
    });

    it('refuses three people, one person, public rooms, and rooms I am not in', () => {
      const three = buildRoomView(
        '!r:x',
        ME,
        [member(ME, 'join'), member(YOU, 'join'), member('@c:x', 'join')],
        'invite',
      );
      expect(callRuleError(three)?.code).to.equal('not-two-person-room');
      const alone = buildRoomView('!r:x', ME, [member(ME, 'join'), member(YOU, 'invite')], 'invite');
      expect(callRuleError(alone)?.code).to.equal('not-two-person-room');
      const open = buildRoomView('!r:x', ME, [member(ME, 'join'), member(YOU, 'join')], 'public');
      expect(callRuleError(open)?.code).to.equal('public-room');
      expect(open.isPublic).to.equal(true);
      const notMine = buildRoomView('!r:x', ME, [member('@a:x', 'join'), member(YOU, 'join')], 'invite');
      expect(notMine.canCall).to.equal(false);
    });

    it('reads malformed member and join rule events as nothing, without throwing', () => {
      expect(
        readMember(raw({ event_id: '1', type: 'm.room.member', content: { membership: 'join' } })),
      ).to.equal(undefined);
      expect(
        readMember(raw({ event_id: '2', type: 'm.room.member', state_key: YOU, content: { membership: 5 } })),
      ).to.equal(undefined);
      expect(
        readMember(raw({ event_id: '3', type: 'm.room.member', state_key: YOU, content: null })),
      ).to.equal(undefined);
      expect(readJoinRule(raw({ event_id: '4', content: [] }))).to.equal(undefined);
      expect(readJoinRule(raw({ event_id: '5', content: { join_rule: 'public' } }))).to.equal('public');
    });
  });

  describe('invite liveness', () => {
    it('adds the age on receipt to the time since receipt', () => {
      const received = invite(90_000, 10_000, 1_000);
      expect(ageNow(received, 6_000)).to.equal(15_000);
      expect(remainingLifetime(received, 6_000)).to.equal(75_000);
      expect(isAlive(received, 6_000)).to.equal(true);
      expect(isAlive(received, 81_000)).to.equal(false);
      expect(remainingLifetime(received, 200_000)).to.equal(0);
    });

    it('takes an unknown age as fresh', () => {
      expect(isAlive(invite(5_000, undefined, 0), 0)).to.equal(true);
    });
  });

  describe('glare', () => {
    it('an invite arriving while ours is still preparing replaces ours', () => {
      expect(resolveGlare({ callId: 'a', state: 'preparing' }, 'z')).to.equal('answer-incoming');
    });
    it('both sent: the lesser call_id wins', () => {
      expect(resolveGlare({ callId: 'b', state: 'inviting' }, 'a')).to.equal('answer-incoming');
      expect(resolveGlare({ callId: 'a', state: 'inviting' }, 'b')).to.equal('ignore-incoming');
    });
    it('a call already answered is no glare', () => {
      expect(resolveGlare({ callId: 'b', state: 'connected' }, 'a')).to.equal('none');
    });
  });

  describe('timeline catch-up', () => {
    it('merges per-type reads into one oldest-first list without repeats', () => {
      const a = raw({ event_id: 'a', origin_server_ts: 1 });
      const b = raw({ event_id: 'b', origin_server_ts: 2, type: 'm.call.candidates' });
      const c = raw({ event_id: 'c', origin_server_ts: 3 });
      const merged = mergeTimelineReads([[c, a], [b], [a]]);
      expect(merged.map((e) => e.event_id)).to.deep.equal(['a', 'b', 'c']);
    });

    it('keeps calls with an invite and nothing that settled them', () => {
      const base = { party_id: 'P', version: '1' as const };
      const events = [
        { ...base, kind: 'invite', call_id: 'open' },
        { ...base, kind: 'candidates', call_id: 'open', candidates: [] },
        { ...base, kind: 'invite', call_id: 'answered' },
        { ...base, kind: 'answer', call_id: 'answered' },
        { ...base, kind: 'invite', call_id: 'hung' },
        { ...base, kind: 'hangup', call_id: 'hung', reason: 'user_hangup' },
        { ...base, kind: 'reject', call_id: 'no-invite' },
      ] as unknown as CallEvent[];
      expect([...openCallIds(events)]).to.deep.equal(['open']);
    });
  });

  describe('calls list', () => {
    it('puts the call in use first, then held and waiting calls, then ended ones newest first, capped', () => {
      const live = [
        view('held', { onHold: true }),
        view('ringing', { state: 'ringing', direction: 'incoming', waiting: true }),
        view('in-use'),
      ];
      const ended = [1, 5, 3, 2, 4, 6].map((t) => view(`e${t}`, { state: 'ended', endedAt: t }));
      const list = orderCalls(live, ended, 5);
      expect(list.map((c) => c.id)).to.deep.equal([
        'in-use',
        'held',
        'ringing',
        'e6',
        'e5',
        'e4',
        'e3',
        'e2',
      ]);
      expect(Object.isFrozen(list)).to.equal(true);
    });
  });

  it('turns TURN servers into ICE servers, dropping empty ones', () => {
    expect(
      toIceServers([
        { urls: ['turn:a'], username: 'u', credential: 'p' },
        { urls: [], username: 'u', credential: 'p' },
      ]),
    ).to.deep.equal([{ urls: ['turn:a'], username: 'u', credential: 'p' }]);
  });
});
