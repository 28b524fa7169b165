/**
 * The LiveKit call's GroupCallView from its parts: the rooms it is in (its own focus's room first, then
 * the other foci's in a multi-SFU call), read by Matrix device through the identity directory, matched
 * to the call's members, with this device's own tile, the active speaker and the members not received.
 *
 * Owns: that reading (a participant seen in several rooms is read where its media is; an unknown
 * identity is logged and left out) and the self connection's wording. Never: keeps state, trusts an SFU
 * identity the directory does not know, or touches a room beyond reading its state.
 */
import type {
  ConnectionHealth,
  GroupCallState,
  GroupCallView,
  PersonView,
  UnreceivedMember,
} from '../../snapshot.js';
import type { MatrixDevice } from './identity-directory.js';
import { buildLiveKitView, type RemoteParticipantInput } from './livekit-view.js';
import type { SfuRemoteParticipant, SfuRoomState } from './sfu-room.js';

export interface LiveKitCallViewInput {
  readonly state: GroupCallState;
  /** The own focus's room state, when there is a room. */
  readonly room: SfuRoomState | undefined;
  /** The other foci's rooms (multi-SFU). */
  readonly remoteRooms: readonly SfuRoomState[];
  readonly lookup: (identity: string) => MatrixDevice | undefined;
  /** The call's other members (shown while in the call), in membership order. */
  readonly members: readonly MatrixDevice[];
  readonly self: {
    readonly person: PersonView;
    readonly deviceId: string;
    readonly userMedia: MediaStream | undefined;
    /** Shown only while sharing. */
    readonly screen: MediaStream | undefined;
    readonly micMuted: boolean;
    readonly cameraMuted: boolean;
  };
  readonly describe: (userId: string) => PersonView;
  readonly volumes: ReadonlyMap<string, number>;
  readonly ongoing: boolean;
  readonly listenOnly: boolean;
  readonly unreceived: readonly UnreceivedMember[];
  readonly log: (message: string) => void;
}

export function deviceKeyOf(device: { readonly userId: string; readonly deviceId: string }): string {
  return `${device.userId}|${device.deviceId}`;
}

/** Reconnecting reads as 'disconnected' (lost, trying again), as a 1:1 call's broken ICE does. */
function selfConnectionOf(connection: SfuRoomState['connection'] | undefined): ConnectionHealth {
  return connection === 'connected'
    ? 'connected'
    : connection === 'reconnecting'
      ? 'disconnected'
      : connection === 'connecting'
        ? 'checking'
        : 'new';
}

export function liveKitCallView(input: LiveKitCallViewInput): GroupCallView {
  const inCall = input.state === 'joined' || input.state === 'joining';
  const roomState = input.room;
  const byDevice = new Map<string, SfuRemoteParticipant>();
  const hasMedia = (r: SfuRemoteParticipant | undefined) => (r?.userMedia?.getTracks().length ?? 0) > 0;
  // The own focus's room first, then the other foci's (multi-SFU); a participant seen in several
  // (subscribed in one, publishing in another) is read where its media is.
  for (const state of [roomState, ...input.remoteRooms]) {
    for (const remote of state?.remotes ?? []) {
      const device = input.lookup(remote.identity);
      if (!device) {
        input.log(`a LiveKit participant with an unknown identity: ${remote.identity}`);
        continue;
      }
      const key = deviceKeyOf(device);
      if (!byDevice.has(key) || (!hasMedia(byDevice.get(key)) && hasMedia(remote))) byDevice.set(key, remote);
    }
  }
  const absentConnection = roomState?.connection === 'connected' ? 'checking' : 'new';
  const remotes: RemoteParticipantInput[] = [];
  const listed = new Set<string>();
  if (inCall) {
    for (const member of input.members) {
      const key = deviceKeyOf(member);
      if (listed.has(key)) continue;
      listed.add(key);
      const inRoom = byDevice.get(key);
      remotes.push({
        person: input.describe(member.userId),
        deviceId: member.deviceId,
        ...(inRoom ? { room: inRoom } : {}),
        absentConnection,
        volume: input.volumes.get(key) ?? 1,
      });
    }
  }
  let activeSpeaker: string | undefined;
  for (const identity of roomState?.activeSpeakers ?? []) {
    const device = input.lookup(identity);
    if (device && listed.has(deviceKeyOf(device))) {
      activeSpeaker = device.userId;
      break;
    }
  }
  const { self } = input;
  return buildLiveKitView({
    state: input.state,
    // Listen-only joins (the walkie-talkie's) stay subscribed to but do not make the call ongoing.
    ongoing: input.ongoing,
    ...(inCall
      ? {
          self: {
            person: self.person,
            deviceId: self.deviceId,
            ...(self.userMedia ? { userMedia: self.userMedia } : {}),
            ...(self.screen ? { screen: self.screen } : {}),
            micMuted: self.micMuted,
            cameraMuted: self.cameraMuted,
            speaking: !self.micMuted && (roomState?.localSpeaking ?? false),
            connection: selfConnectionOf(roomState?.connection),
          },
        }
      : {}),
    remotes,
    ...(inCall && input.listenOnly ? { listenOnly: true } : {}),
    ...(inCall && activeSpeaker !== undefined ? { activeSpeaker } : {}),
    ...(input.unreceived.length ? { unreceived: input.unreceived } : {}),
  });
}
