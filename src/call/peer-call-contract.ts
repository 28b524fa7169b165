/**
 * What a PeerCall offers the code that owns it (the CallController for 1:1 calls, the mesh backend
 * for group legs), and what it needs from it.
 *
 * Owns: the PeerCall's construction options, its signaller seam (the media port is src/ports/), and its public
 * surface. Never: behaviour; peer-call.ts implements it.
 */
import type { CallEvent, ReceivedCallEvent, ToDeviceLeg } from '../signalling/voip/types.js';
import type { CallKind, CallView, HangupReason } from '../snapshot.js';

/** Sends one call event to the other party: a room event in 1:1 mode, to-device in mesh mode. */
export interface CallSignaller {
  send(event: CallEvent): Promise<void>;
}

export type { LocalMediaSource } from '../ports/media-source.js';
import type { LocalMediaSource } from '../ports/media-source.js';

/** Time for timers and liveness; tests pass a fake clock. */
export interface CallClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PeerCallOptions {
  readonly callId: string;
  /** This device's party_id (the device id in practice). */
  readonly partyId: string;
  readonly self: { readonly userId: string; readonly deviceId: string };
  readonly peer: {
    readonly userId: string;
    readonly displayName: string;
    readonly avatarUrl?: string;
    /** Set for to-device legs. */
    readonly deviceId?: string;
  };
  readonly kind: CallKind;
  readonly signaller: CallSignaller;
  readonly media: LocalMediaSource;
  readonly iceServers: readonly RTCIceServer[];
  /** Fields stamped on every outgoing event of a to-device leg (seq is filled in by the call). */
  readonly leg?: Omit<ToDeviceLeg, 'seq'>;
  readonly clock?: CallClock;
  /** Invite lifetime in ms; default 90 000 (the spec's recommendation). */
  readonly inviteLifetimeMs?: number;
  /**
   * Mesh legs only: create the walkie-talkie's floor data channel (negotiated, fixed id) with the
   * connection, and hand it to `onFloorChannel`. Never set for 1:1 room calls.
   */
  readonly floorChannel?: boolean;
  readonly onFloorChannel?: (channel: RTCDataChannel) => void;
  /**
   * Mesh legs only: open no media. The leg gets one audio transceiver (sendrecv, no track) that a
   * track can be put on later with setLiveAudioTrack, without renegotiation.
   */
  readonly listenOnly?: boolean;
}

/**
 * One RTCPeerConnection and its m.call.* state machine. An EventTarget that fires `change` after
 * every transition; `view` is then a new frozen CallView.
 */
export interface PeerCallApi extends EventTarget {
  readonly callId: string;
  readonly view: CallView;
  /** The other party's party_id once known (from their invite or answer). */
  readonly peerPartyId: string | undefined;
  readonly ended: boolean;

  /** Outgoing: get media, create the offer, send the invite. */
  place(): Promise<void>;
  /** Incoming: get media (voice or video), answer. */
  answer(kind?: CallKind): Promise<void>;
  reject(): Promise<void>;
  hangup(reason?: HangupReason): Promise<void>;
  /** Ends the call here without sending anything (dismissed, answered/rejected elsewhere, peer left, replaced by glare). */
  terminate(reason: HangupReason, party: 'local' | 'remote'): void;
  /** Outgoing, lost glare: ends here keeping local media; a sent invite is withdrawn with hangup 'replaced'. */
  replaceInGlare(): Promise<void>;
  /** Feeds an event for this call_id (the owner routes by call_id and ignores its own party). */
  handle(received: ReceivedCallEvent): void;

  setMicMuted(muted: boolean): Promise<void>;
  /** Unmuting the camera of a voice call adds video by renegotiation. */
  setCameraMuted(muted: boolean): Promise<void>;
  setHold(onHold: boolean): Promise<void>;
  setScreenSharing(sharing: boolean): Promise<void>;
  sendDtmf(tones: string): void;
  setIceServers(servers: readonly RTCIceServer[]): void;
  /** Marks an incoming call as call waiting (another call is connected). */
  setWaiting(waiting: boolean): void;
}
