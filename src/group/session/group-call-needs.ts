/**
 * What the room's group call needs from the host, with the reason for each, and the error a user
 * sees when the host refused some of it.
 *
 * Owns: the group call's list of needs (the backend's, plus ringing: sending and receiving call
 * notifications and declines), split by when they are asked (docs/security.md, least privilege):
 * - to *show* the call (asked at start): read the memberships and hear the ringing (receive only);
 * - to *join* it (asked on the first join, or when the walkie-talkie is turned on): write this
 *   device's membership, the delayed leave, ring the room, and the backend's own needs (the mesh's
 *   m.call.* over to-device; the SFU's OpenID token, room encryption state and media keys);
 * - to *decline* it (asked on the first decline): send the decline.
 * and the capability-denied KitError for group calls.
 * Never: talks to the transport, or imports the LiveKit backend (its needs are event names only).
 */
import {
  LEGACY_CALL_NOTIFY_EVENT,
  RTC_DECLINE_EVENT,
  RTC_NOTIFICATION_EVENT,
} from '../../signalling/ringing/event-types.js';
import type { GroupBackend, KitError } from '../../snapshot.js';
import { needKey } from '../../transport/needs.js';
import { MEMBER_EVENT_TYPES } from '../../signalling/membership/event-types.js';
import { describeNeed, type MatrixTransport, type Need } from '../../transport/transport.js';
import { membershipNeeds } from '../membership-needs.js';
import { meshNeedsExplained, type ExplainedNeed } from '../mesh/mesh-needs.js';

/** Ringing: tell the room a call started, hear about it, decline it. */
export function ringingNeedsExplained(): ExplainedNeed[] {
  return [
    {
      need: { kind: 'send-event', type: RTC_NOTIFICATION_EVENT },
      why: 'to ring the others when you start a group call',
    },
    {
      need: { kind: 'receive-event', type: RTC_NOTIFICATION_EVENT },
      why: 'to ring when someone starts a group call',
    },
    {
      need: { kind: 'receive-event', type: LEGACY_CALL_NOTIFY_EVENT },
      why: 'to ring when someone starts a group call',
    },
    { need: { kind: 'send-event', type: RTC_DECLINE_EVENT }, why: 'to decline a group call' },
    {
      need: { kind: 'receive-event', type: RTC_DECLINE_EVENT },
      why: 'to stop ringing when you declined on another device',
    },
  ];
}

/**
 * The SFU call's own needs: the membership (to see who is in the call). The rest (OpenID token, media
 * keys over to-device) comes from the LiveKit backend's `livekitNeeds`, which the page passes in with
 * the backend (`extra`), so this module does not import it.
 */
export function sfuMembershipNeedsExplained(
  transport: Pick<MatrixTransport, 'userId' | 'deviceId'>,
): ExplainedNeed[] {
  return membershipNeeds(transport, {}).map((need): ExplainedNeed => ({
    need,
    why: 'to join, leave and see who is in the group call',
  }));
}

/** Everything the room's group call on `backend` needs, with reasons, without repeats. */
export function groupCallNeedsExplained(
  transport: Pick<MatrixTransport, 'userId' | 'deviceId'>,
  backend: GroupBackend,
  extra: readonly Need[] = [],
): ExplainedNeed[] {
  const all = [
    // 'auto' may carry the call on either backend, so it asks for both.
    ...(backend !== 'livekit' ? meshNeedsExplained(transport) : []),
    ...(backend !== 'mesh' ? sfuMembershipNeedsExplained(transport) : []),
    ...ringingNeedsExplained(),
    ...extra.map((need): ExplainedNeed => ({ need, why: 'for group calls through the media server (SFU)' })),
  ];
  const seen = new Set<string>();
  return all.filter(({ need }) => {
    const key = needKey(need);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * What showing the room's group call needs, asked at start: whether a call is ongoing and who is in
 * it (the memberships, counted only while their user is joined to the room), and ringing when
 * someone starts one. Receive only: nothing here lets the widget write to the room.
 */
export function groupDisplayNeedsExplained(): ExplainedNeed[] {
  return [
    ...MEMBER_EVENT_TYPES.map((type): ExplainedNeed => ({
      need: { kind: 'receive-state', type },
      why: 'to show whether a group call is ongoing and who is in it',
    })),
    ...ringingNeedsExplained().filter(({ need }) => need.kind === 'receive-event'),
  ];
}

/** What declining a ringing group call needs (asked on the first decline). */
export function groupDeclineNeedsExplained(): ExplainedNeed[] {
  return ringingNeedsExplained().filter(
    ({ need }) => need.kind === 'send-event' && need.type === RTC_DECLINE_EVENT,
  );
}

/**
 * What joining the group call on `backend` needs beyond showing it (asked on the first join, with
 * the reasons for a refusal): `groupCallNeedsExplained` less the display and decline needs.
 */
export function groupJoinNeedsExplained(
  transport: Pick<MatrixTransport, 'userId' | 'deviceId'>,
  backend: GroupBackend,
  extra: readonly Need[] = [],
): ExplainedNeed[] {
  const elsewhere = new Set(
    [...groupDisplayNeedsExplained(), ...groupDeclineNeedsExplained()].map(({ need }) => needKey(need)),
  );
  return groupCallNeedsExplained(transport, backend, extra).filter(
    ({ need }) => !elsewhere.has(needKey(need)),
  );
}

/** The error for group needs the host refused: which capability, and why the group call needs it. */
export function groupCapabilityDeniedError(
  refused: readonly Need[],
  explained: readonly ExplainedNeed[],
): KitError {
  const why = (need: Need) =>
    explained.find((e) => needKey(e.need) === needKey(need))?.why ?? 'for group calls';
  const first = refused[0];
  const headline = first
    ? `Your Matrix client did not allow ${describeNeed(first)}, which group calls need ${why(first)}.`
    : 'Your Matrix client did not allow what group calls need.';
  return Object.freeze({
    code: 'capability-denied' as const,
    message: `${headline} Calls between two people still work. To use group calls, allow the widget’s permissions in your client, then reload it.`,
    detail: `Refused: ${refused.map((need) => `${describeNeed(need)} (${why(need)})`).join('; ')}.`,
  });
}
