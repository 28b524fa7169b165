/**
 * What a MeshGroupCall is made with (MeshGroupCallOptions) and joined with (JoinOptions).
 *
 * Owns: those shapes. Never: behaviour.
 */
import type { PeerCallTimings } from '../../call/call-timings.js';
import type { CallClock, LocalMediaSource } from '../../call/peer-call-contract.js';
import type { PersonView } from '../../snapshot.js';
import type { MatrixTransport } from '../../transport/transport.js';
import type { GroupJoinOptions } from '../group-call-backend.js';
import type { MembershipManager, MembershipManagerOptions } from '../membership-manager.js';
import type { MeshTimings } from './mesh-timings.js';
import type { SpeakingTimings } from './speaking.js';

export interface MeshGroupCallOptions {
  readonly transport: MatrixTransport;
  /** Where the camera, microphone and screen come from. */
  readonly media: LocalMediaSource;
  /** A membership manager to use (its backend must be mesh); else one is made from membershipOptions. */
  readonly membership?: MembershipManager;
  readonly membershipOptions?: Omit<MembershipManagerOptions, 'transport' | 'backend'>;
  /** The clock of legs, retries and sampling. Default: real time. */
  readonly clock?: CallClock;
  readonly timings?: Partial<MeshTimings>;
  readonly peerCallTimings?: Partial<PeerCallTimings>;
  readonly speaking?: SpeakingTimings;
  /** Devices in the call at most, this one included. Default 8. */
  readonly maxParticipants?: number;
  /** ICE servers until the host's TURN servers arrive. */
  readonly iceServers?: readonly RTCIceServer[];
  /** Display name and avatar of a user (the controller knows the room's members). */
  readonly describe?: (userId: string) => PersonView;
  readonly log?: (message: string) => void;
}

/**
 * How to join. `listenOnly` is the walkie-talkie's join: audio only, and no camera or microphone opened.
 * Every leg gets an audio transceiver with no track (liveAudio.setLiveAudio puts one on later) and the
 * floor data channel.
 */
export type JoinOptions = GroupJoinOptions;
