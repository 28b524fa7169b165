/**
 * Which screen <matrix-call> shows for a snapshot, and the plain-words texts it needs (end reasons,
 * error advice, live-region announcements). Pure functions of the snapshot: no DOM, no lit.
 *
 * Never: reads anything but its arguments.
 */
import type {
  CallControllerView,
  CallKind,
  CallView,
  GroupCallView,
  HangupReason,
  PersonView,
} from '../../../src/snapshot.js';
import { formatDuration, getLocale, msg, type MessageKey } from '../../internal/messages.js';

export type MatrixCallView =
  | 'no-controller'
  | 'starting'
  | 'error'
  | 'idle'
  | 'incoming'
  | 'in-call'
  | 'group-call'
  | 'walkie-talkie'
  | 'ended';

/** The `mode` attribute: "auto" (everything the room allows) or a list of call, group, walkie-talkie. */
export type ModeFeature = 'call' | 'group' | 'walkie-talkie';

export function modeAllows(mode: string, feature: ModeFeature): boolean {
  const tokens = mode.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return tokens.length === 0 || tokens.includes('auto') || tokens.includes(feature);
}

export interface IncomingView {
  readonly callId: string;
  readonly caller: PersonView;
  readonly kind: CallKind;
  readonly group: boolean;
  readonly waiting: boolean;
}

export interface ViewModel {
  readonly view: MatrixCallView;
  /** The live 1:1 call (in-call), or the call that just ended (ended). */
  readonly call?: CallView;
  /** A call asking to be answered (its own screen, or a banner over a call in progress). */
  readonly incoming?: IncomingView;
}

const isIncomingRinging = (c: CallView) => c.direction === 'incoming' && c.state === 'ringing';

/**
 * @param closedCallId the ended call the user already closed (so the idle screen returns).
 */
export function viewModelOf(snapshot: CallControllerView, mode: string, closedCallId?: string): ViewModel {
  if (snapshot.status === 'starting') return { view: 'starting' };
  if (snapshot.status === 'error') return { view: 'error' };

  const ringing = snapshot.calls.find(isIncomingRinging);
  const live = snapshot.calls.find((c) => c.state !== 'ended' && !isIncomingRinging(c));
  const group = snapshot.group;
  // A listen-only join carries the walkie-talkie: the user is not in the call as such.
  const inGroup = !!group && group.state !== 'idle' && !group.listenOnly;

  let incoming: IncomingView | undefined;
  if (ringing) {
    incoming = {
      callId: ringing.id,
      caller: ringing.peer,
      kind: ringing.kind,
      group: false,
      waiting: !!live || inGroup || ringing.waiting,
    };
  } else if (group?.ringing && !inGroup && modeAllows(mode, 'group')) {
    incoming = {
      callId: group.ringing.notificationId,
      caller: group.ringing.from,
      kind: 'video',
      group: true,
      waiting: !!live,
    };
  }

  if (live) return { view: 'in-call', call: live, incoming };
  if (inGroup) return { view: 'group-call', incoming };
  if (incoming) return { view: 'incoming', incoming: { ...incoming, waiting: false } };
  if (snapshot.ptt?.optedIn && modeAllows(mode, 'walkie-talkie')) return { view: 'walkie-talkie' };

  const latest = snapshot.calls[0];
  if (latest && latest.state === 'ended' && latest.id !== closedCallId)
    return { view: 'ended', call: latest };
  return { view: 'idle' };
}

/**
 * Why a call ended, in plain words, told from this side: a missed call is not "Alice did not answer",
 * the other side's media failure is not "your microphone", and a connection that was up and then
 * dropped is "lost", not a firewall problem (that is said only when ICE never connected).
 */
export function endReasonText(call: CallView): string {
  const name = call.peer.displayName || call.peer.userId;
  const reason: HangupReason | undefined = call.hangupReason;
  if (!reason) return '';
  const remote = call.hangupParty === 'remote';
  if (reason === 'user_hangup' || reason === 'rejected') {
    if (reason === 'user_hangup' && call.missed) return msg('reason.missed.remote', { name });
    return msg(`reason.${reason}.${remote ? 'remote' : 'local'}` as MessageKey, { name });
  }
  if (reason === 'invite_timeout' && call.direction === 'incoming')
    return msg('reason.invite_timeout.incoming');
  if (reason === 'user_media_failed' && remote) return msg('reason.user_media_failed.remote', { name });
  if ((reason === 'ice_failed' || reason === 'ice_timeout') && call.connectedAt !== undefined) {
    return msg('reason.connection_lost', { name });
  }
  return msg(`reason.${reason}` as MessageKey, { name });
}

export function endedTitle(call: CallView): string {
  const name = call.peer.displayName || call.peer.userId;
  return call.missed && call.direction === 'incoming' ? msg('ended.missed', { name }) : msg('ended.title');
}

export function durationText(call: CallView): string | undefined {
  if (call.connectedAt === undefined || call.endedAt === undefined) return undefined;
  return msg('ended.duration', { duration: formatDuration(call.endedAt - call.connectedAt) });
}

const nameOf = (person: PersonView) => person.displayName || person.userId;

/** "Bob", "Bob and Carol", "Bob, Carol, and Dan" in the active language. */
function listOfNames(people: readonly PersonView[]): string {
  return formatList(people.map(nameOf));
}

/** A list of words joined the active language's way ("A, B, and C"). */
export function formatList(names: readonly string[]): string {
  try {
    return new Intl.ListFormat(getLocale(), { type: 'conjunction' }).format(names);
  } catch {
    return names.join(', ');
  }
}

/**
 * "Bob declined" on the group call of the person who started it: those who declined its ring and
 * are not in the call after all. Undefined when there is nobody to name.
 */
export function declinedText(group: GroupCallView): string | undefined {
  const present = new Set(group.participants.map((p) => p.userId));
  const declined = (group.declinedBy ?? []).filter((p) => !present.has(p.userId));
  return declined.length > 0 ? msg('call.declined', { names: listOfNames(declined) }) : undefined;
}

/** Names shown in a "Ringing …" line before the rest are counted. */
const RINGING_NAMES_SHOWN = 3;

/**
 * "Ringing Bob and Carol…" while the ring this device sent for the group call goes out: the room's
 * members who are not in the call and have not declined. Undefined when nobody is left to ring.
 */
export function ringingOutText(snapshot: CallControllerView): string | undefined {
  const group = snapshot.group;
  if (!group?.ringingOut) return undefined;
  const skip = new Set([
    snapshot.self.userId,
    ...group.participants.map((p) => p.userId),
    ...(group.declinedBy ?? []).map((p) => p.userId),
  ]);
  const rung = snapshot.room.members.filter((m) => !skip.has(m.userId)).map(nameOf);
  if (rung.length === 0) return undefined;
  const shown = rung.length > RINGING_NAMES_SHOWN ? rung.slice(0, RINGING_NAMES_SHOWN - 1) : rung;
  const more = rung.length - shown.length;
  const names = formatList(more > 0 ? [...shown, msg('call.ringingOutMore', { count: more })] : shown);
  return msg('call.ringingOut', { names });
}

/** The call's state in words, for the in-call header. */
export function callStatusText(call: CallView): string {
  const name = call.peer.displayName || call.peer.userId;
  if (call.onHold) return msg('call.onHold');
  if (call.remoteOnHold) return msg('call.remoteOnHold', { name });
  switch (call.state) {
    case 'preparing':
      return msg('call.preparing');
    case 'inviting':
      return msg('call.inviting', { name });
    case 'ringing':
      return msg('call.ringing');
    case 'connecting':
      return msg('call.connecting');
    case 'connected':
      return msg('call.connected');
    case 'ended':
      return msg('call.ended');
  }
}

/**
 * "Bob left", "Carol joined" (or both in one line) from the group call's other people before and after
 * a change (user id -> name). Undefined when nobody came or went.
 */
export function membershipNotice(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): string | undefined {
  const left = [...before].filter(([id]) => !after.has(id)).map(([, name]) => msg('call.left', { name }));
  const joined = [...after].filter(([id]) => !before.has(id)).map(([, name]) => msg('call.joined', { name }));
  const all = [...left, ...joined];
  return all.length ? all.join('. ') : undefined;
}

/**
 * What the live region says after a transition, or undefined to stay quiet. `key` changes exactly
 * when there is something new to say. `previousKey` (the last thing said) lets it say "Call resumed"
 * after a hold, and "connected" again after reconnecting.
 */
export function announcementOf(
  model: ViewModel,
  snapshot: CallControllerView,
  previousKey?: string,
): { key: string; text: string } | undefined {
  const call = model.call;
  switch (model.view) {
    case 'incoming':
      return model.incoming
        ? {
            key: `incoming:${model.incoming.callId}`,
            text: msg('announce.incoming', { name: model.incoming.caller.displayName }),
          }
        : undefined;
    case 'in-call': {
      if (!call) return undefined;
      if (model.incoming) {
        return {
          key: `waiting:${model.incoming.callId}`,
          text: msg('announce.incoming', { name: model.incoming.caller.displayName }),
        };
      }
      const name = call.peer.displayName || call.peer.userId;
      if (call.connection === 'disconnected')
        return { key: `${call.id}:reconnecting`, text: msg('call.reconnecting') };
      if (call.onHold) return { key: `${call.id}:hold`, text: msg('announce.hold') };
      if (call.remoteOnHold) return { key: `${call.id}:hold`, text: msg('call.remoteOnHold', { name }) };
      if (previousKey === `${call.id}:hold` || previousKey === `${call.id}:resumed`) {
        return { key: `${call.id}:resumed`, text: msg('announce.resumed') };
      }
      if (call.state === 'connected')
        return { key: `${call.id}:connected`, text: msg('announce.connected', { name }) };
      return { key: `${call.id}:${call.state}`, text: callStatusText(call) };
    }
    case 'group-call': {
      // Each new decline is said once (naming the newest one); otherwise the joining is.
      const declined = snapshot.group?.declinedBy ?? [];
      const newest = declined.at(-1);
      if (newest) {
        return {
          key: `group:declined:${declined.map((p) => p.userId).join(',')}`,
          text: msg('call.declined', { names: nameOf(newest) }),
        };
      }
      // Said once; later membership notices ("Bob left") come from the element.
      if (previousKey?.startsWith('group:')) return undefined;
      return { key: 'group:joined', text: msg('announce.groupJoined') };
    }
    case 'ended':
      return call
        ? { key: `${call.id}:ended`, text: msg('announce.ended', { reason: endReasonText(call) }).trim() }
        : undefined;
    case 'error': {
      const code = snapshot.error?.code;
      return { key: `error:${code}`, text: code ? msg(`error.${code}` as MessageKey) : msg('error.title') };
    }
    default:
      return undefined;
  }
}
