/**
 * One leg of the mesh call: a PeerCall to one other device, made with the mesh's leg fields (both
 * session ids, the room and conf_id that famedly's SDK needs), and what MeshGroupCall keeps about it.
 *
 * Owns: making the leg's PeerCall, its fresh call id, and the leg's summary for diagnostics. Never:
 * files the leg, places or answers it, or decides whether it should exist (MeshGroupCall and
 * MeshPlanner do).
 */
import { PeerCall } from '../../call/peer-call.js';
import type { PeerCallTimings } from '../../call/call-timings.js';
import type { CallClock, CallSignaller, LocalMediaSource } from '../../call/peer-call-contract.js';
import type { CallKind, PersonView } from '../../snapshot.js';
import type { LegEndReason } from './leg-plan.js';
import { legKey, type MeshPeer } from './mesh-peer.js';

export interface Leg {
  readonly key: string;
  readonly peer: MeshPeer;
  readonly ownSessionId: string;
  readonly call: PeerCall;
  readonly direction: 'outgoing' | 'incoming';
  /** Set when this device ends the leg on purpose: no retry follows. */
  closing?: LegEndReason | 'left' | 'replaced';
  connected: boolean;
  readonly unlisten: () => void;
}

/** One leg as diagnostics and tests see it. */
export interface LegSummary {
  readonly userId: string;
  readonly deviceId: string;
  readonly callId: string;
  readonly direction: 'outgoing' | 'incoming';
  readonly state: string;
  readonly peerConnection: RTCPeerConnection | undefined;
}

export function summarizeLeg(leg: Leg): LegSummary {
  return {
    userId: leg.peer.userId,
    deviceId: leg.peer.deviceId,
    callId: leg.call.callId,
    direction: leg.direction,
    state: leg.call.view.state,
    peerConnection: leg.call.peerConnection,
  };
}

export function randomCallId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `mesh_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** What every leg of the call is made with now. */
export interface MeshLegSetup {
  readonly self: { readonly userId: string; readonly deviceId: string };
  readonly roomId: string;
  /** The call id of this device's membership (conf_id); the room id when it has none. */
  readonly confId: string;
  readonly kind: CallKind;
  readonly describe: (userId: string) => PersonView;
  readonly signaller: (peer: MeshPeer) => CallSignaller;
  readonly media: LocalMediaSource;
  readonly iceServers: readonly RTCIceServer[];
  readonly clock: CallClock;
  readonly inviteLifetimeMs: number;
  readonly peerCallTimings: Partial<PeerCallTimings> | undefined;
  /** The walkie-talkie's PeerCall options (floor channel, listen-only) and its floor-channel hook. */
  readonly liveOptions: { floorChannel?: true; listenOnly?: true };
  readonly onFloorChannel: (leg: Leg, channel: RTCDataChannel) => void;
  /** The leg's PeerCall changed. */
  readonly onChange: (leg: Leg) => void;
}

/** A new leg to `peer`, addressed from this device's session `own`; not yet filed, placed or answered. */
export function createMeshLeg(
  setup: MeshLegSetup,
  peer: MeshPeer,
  own: string,
  callId: string,
  direction: 'outgoing' | 'incoming',
): Leg {
  const person = setup.describe(peer.userId);
  const call = new PeerCall(
    {
      callId,
      partyId: setup.self.deviceId,
      self: setup.self,
      peer: {
        userId: peer.userId,
        displayName: person.displayName,
        ...(person.avatarUrl !== undefined ? { avatarUrl: person.avatarUrl } : {}),
        deviceId: peer.deviceId,
      },
      kind: setup.kind,
      signaller: setup.signaller(peer),
      media: setup.media,
      iceServers: setup.iceServers,
      leg: {
        device_id: setup.self.deviceId,
        sender_session_id: own,
        dest_session_id: peer.sessionId,
        room_id: setup.roomId,
        conf_id: setup.confId,
      },
      clock: setup.clock,
      inviteLifetimeMs: setup.inviteLifetimeMs,
      ...setup.liveOptions,
      onFloorChannel: (channel) => setup.onFloorChannel(leg, channel),
    },
    setup.peerCallTimings,
  );
  const onChange = () => setup.onChange(leg);
  call.addEventListener('change', onChange);
  const leg: Leg = {
    key: legKey(peer),
    peer,
    ownSessionId: own,
    call,
    direction,
    connected: false,
    unlisten: () => call.removeEventListener('change', onChange),
  };
  return leg;
}
