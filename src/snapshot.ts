/**
 * The controller's public, immutable view of everything a UI shows, and the actions a UI may take.
 *
 * Owns: the types the elements render (CallControllerView) and call (CallActions).
 * Never: holds behaviour. Engines fill these in; elements read them. Every object reachable from a
 * snapshot is frozen and replaced, never mutated, so `snapshot !== previous` means "something changed".
 */

export type CallKind = 'voice' | 'video';
export type CallDirection = 'outgoing' | 'incoming';
/**
 * preparing: getting media / building the invite (outgoing) or answer (incoming).
 * inviting: invite sent, waiting for an answer.   ringing: incoming, waiting for the user.
 * connecting: answered, media not flowing yet.      connected: media flowing.   ended: over.
 */
export type CallState = 'preparing' | 'inviting' | 'ringing' | 'connecting' | 'connected' | 'ended';
export type StreamPurpose = 'm.usermedia' | 'm.screenshare';
export type ConnectionHealth = 'new' | 'checking' | 'connected' | 'disconnected' | 'failed' | 'closed';

/** Spec hangup reasons plus the kit's local ends (which send nothing): src/hangup-reasons.ts. */
export type { HangupReason } from './hangup-reasons.js';
import type { HangupReason } from './hangup-reasons.js';

export interface PersonView {
  readonly userId: string;
  readonly displayName: string;
  /** An http(s) URL the host resolved, or undefined: elements then draw initials. */
  readonly avatarUrl?: string;
}

export interface StreamView {
  readonly id: string;
  readonly purpose: StreamPurpose;
  readonly stream: MediaStream;
  readonly local: boolean;
  readonly userId: string;
  readonly deviceId?: string;
  readonly audioMuted: boolean;
  readonly videoMuted: boolean;
}

export interface CallView {
  readonly id: string;
  readonly kind: CallKind;
  readonly state: CallState;
  readonly direction: CallDirection;
  readonly peer: PersonView;
  readonly localStreams: readonly StreamView[];
  readonly remoteStreams: readonly StreamView[];
  readonly micMuted: boolean;
  readonly cameraMuted: boolean;
  /** This side put the call on hold. */
  readonly onHold: boolean;
  /** The other side put the call on hold. */
  readonly remoteOnHold: boolean;
  readonly screenSharing: boolean;
  readonly connection: ConnectionHealth;
  /** An incoming call that arrived while another call was connected. */
  readonly waiting: boolean;
  /** Epoch ms when media first flowed; duration = now - connectedAt. */
  readonly connectedAt?: number;
  readonly endedAt?: number;
  readonly hangupReason?: HangupReason;
  readonly hangupParty?: 'local' | 'remote';
  /** Ended before anyone here answered it. */
  readonly missed: boolean;
}

export type GroupCallState = 'idle' | 'joining' | 'joined' | 'leaving';
/**
 * What carries group calls. As a setting, 'auto' means: the backend of the people already in the call,
 * else mesh (or the SFU when it has a focus configured). A GroupCallView names the backend in use.
 */
export type GroupBackend = 'mesh' | 'livekit' | 'auto';

export interface ParticipantView extends PersonView {
  readonly deviceId: string;
  readonly local: boolean;
  readonly streams: readonly StreamView[];
  readonly audioMuted: boolean;
  readonly videoMuted: boolean;
  readonly speaking: boolean;
  readonly connection: ConnectionHealth;
  /** 0..1, set per participant by the user. */
  readonly volume: number;
}

export interface GroupCallView {
  readonly state: GroupCallState;
  readonly backend: GroupBackend;
  /** Other people are in the room's call, whether or not this device joined (listen-only walkie-talkie joins do not count). */
  readonly ongoing: boolean;
  readonly participants: readonly ParticipantView[];
  readonly activeSpeaker?: string;
  /**
   * This device is in the call only to hear and carry the walkie-talkie (audio, nothing published until
   * it talks): elements show the walkie-talkie, not the call.
   */
  readonly listenOnly?: boolean;
  /** Someone started the call and asked this device to ring (MSC4075). */
  readonly ringing?: { readonly from: PersonView; readonly notificationId: string };
  /**
   * People who declined the call notification this device sent on starting the call (MSC4310), oldest
   * first; present only while this device is in that call and someone declined.
   */
  readonly declinedBy?: readonly PersonView[];
  /**
   * The call notification this device sent on starting the call still rings the room (MSC4075), until
   * `until` (epoch ms); present only while this device is in that call. Who is being rung: the room's
   * members not in the call who have not declined it.
   */
  readonly ringingOut?: { readonly notificationId: string; readonly until: number };
  /**
   * SFU calls over several media servers (multi-SFU): members this device does not receive, because
   * their server is not trusted by this side, or could not be reached. Present only when there are some.
   */
  readonly unreceived?: readonly UnreceivedMember[];
}

/** A member of the call whose media this device does not receive, and why (GroupCallView.unreceived). */
export interface UnreceivedMember {
  readonly person: PersonView;
  readonly deviceId: string;
  /** The host name of their media server's service ("sfu.example.org"). */
  readonly host: string;
  /** untrusted: neither the homeserver nor the app lists it, and the person did not agree to it. */
  readonly reason: 'untrusted' | 'unreachable';
}

export type FloorState = 'idle' | 'requesting' | 'talking' | 'listening' | 'denied' | 'off';

/**
 * Where one transmission stands on this device: unplayed (read from the room's history, or arrived while
 * nothing played it), queued to play, playing, paused by the user, or played.
 */
export type TransmissionState = 'unplayed' | 'queued' | 'playing' | 'paused' | 'played';

/** One transmission of the walkie-talkie, kept as a voice message in the room. */
export interface TransmissionView {
  /** The voice message's event id: what pttPlay takes. */
  readonly id: string;
  readonly sender: PersonView;
  /** Sent by this user (from this or another device). */
  readonly own: boolean;
  /** Epoch ms, the server's time of the voice message. */
  readonly sentAt: number;
  readonly durationMs: number;
  readonly state: TransmissionState;
}

export interface PttView {
  readonly optedIn: boolean;
  /** Epoch ms when the opt-in runs out; undefined while permanent or off. */
  readonly optInExpiresAt?: number;
  readonly floor: FloorState;
  readonly talker?: PersonView;
  /** Epoch ms when the current talker's transmission must end. */
  readonly floorEndsAt?: number;
  readonly maxTransmitMs: number;
  readonly queuedRecordings: number;
  /** Other people with a device tuned in (opted in) right now, each once; this device's user is left out. */
  readonly tunedIn?: readonly PersonView[];
  /** The recent transmissions, oldest first (bounded); each can be played again with pttPlay. */
  readonly transmissions?: readonly TransmissionView[];
}

export type { KitError, KitErrorCode } from './kit-errors.js';
import type { KitError } from './kit-errors.js';

export interface RoomView {
  readonly roomId: string;
  readonly members: readonly PersonView[];
  /** 1:1 calls are allowed: exactly two joined members and not public. */
  readonly canCall: boolean;
  readonly isPublic: boolean;
}

export interface CallControllerView {
  readonly status: 'starting' | 'ready' | 'error';
  readonly error?: KitError;
  readonly self: { readonly userId: string; readonly deviceId: string };
  readonly room: RoomView;
  /** Live calls first, then recently ended ones (newest first). */
  readonly calls: readonly CallView[];
  readonly group?: GroupCallView;
  readonly ptt?: PttView;
  /** Guarded actions running now: their buttons are disabled, and a second call does nothing twice. */
  readonly pending: readonly PendingAction[];
}

/**
 * The call id under which CallActions address the room's group call (mute, camera, screen share, and
 * pending join or leave): group calls have no m.call call_id of their own.
 */
export const GROUP_CALL_ID = 'group';

/** Actions that must not run twice at once (src/pending-actions.ts). */
export type GuardedAction = 'answer' | 'hangup' | 'joinGroupCall' | 'leaveGroupCall';

export interface PendingAction {
  readonly action: GuardedAction;
  /** The call's id, or GROUP_CALL_ID for joining or leaving the group call. */
  readonly callId: string;
}

/** Whether `action` runs now on the call `callId` (for disabling its button). */
export function isPending(
  view: Pick<CallControllerView, 'pending'>,
  action: GuardedAction,
  callId: string,
): boolean {
  return view.pending.some((p) => p.action === action && p.callId === callId);
}

/**
 * Everything a controller can be asked to do. Group call and walkie-talkie actions are part of it for
 * every controller: where a room has no group call or walkie-talkie (the snapshot has no `group` or
 * `ptt`), they do nothing.
 */
export interface CallActions {
  placeCall(kind: CallKind): Promise<void>;
  answer(callId: string, kind?: CallKind): Promise<void>;
  reject(callId: string): Promise<void>;
  hangup(callId: string): Promise<void>;
  /** Stop ringing here without telling anyone. */
  dismiss(callId: string): void;
  setMicMuted(callId: string, muted: boolean): Promise<void>;
  setCameraMuted(callId: string, muted: boolean): Promise<void>;
  setHold(callId: string, onHold: boolean): Promise<void>;
  setScreenSharing(callId: string, sharing: boolean): Promise<void>;
  sendDtmf(callId: string, tones: string): void;
  selectDevice(kind: MediaDeviceKind, deviceId: string): Promise<void>;

  /** Joins the room's group call (or starts it, ringing the room). Failures land in `snapshot.error`. */
  joinGroupCall(kind: CallKind): Promise<void>;
  leaveGroupCall(): Promise<void>;
  /** Declines the group call that rings here: the room is told (MSC4310), and ringing stops. */
  declineGroupCall(): Promise<void>;
  /** Opts this device in to (or out of) the room's walkie-talkie. */
  setPttOptIn(on: boolean): Promise<void>;
  /** Asks for the floor (button down). */
  pttPress(): void;
  /** Gives the floor back (button up). */
  pttRelease(): void;
  /** Plays one of snapshot.ptt.transmissions now, by its id (a paused one goes on). */
  pttPlay(id: string): void;
  /** Pauses the walkie-talkie message that plays. */
  pttPause(): void;
}

/** What elements see of a controller: a snapshot, a `change` event, and actions. */
export interface CallControllerApi extends EventTarget, CallActions {
  readonly snapshot: CallControllerView;
}
