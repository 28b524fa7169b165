/**
 * The SFU call's frozen GroupCallView, built from plain inputs: this device first, then the call's
 * other members in joining order, each with what the LiveKit room shows of them.
 *
 * Owns: the shape of participants and freezing. Never: keeps state, reads clocks or touches media.
 */
import type {
  ConnectionHealth,
  GroupCallState,
  GroupCallView,
  ParticipantView,
  PersonView,
  StreamView,
  UnreceivedMember,
} from '../../snapshot.js';
import type { SfuRemoteParticipant } from './sfu-room.js';

export interface LocalParticipantInput {
  readonly person: PersonView;
  readonly deviceId: string;
  readonly userMedia?: MediaStream;
  readonly screen?: MediaStream;
  readonly micMuted: boolean;
  readonly cameraMuted: boolean;
  readonly speaking: boolean;
  readonly connection: ConnectionHealth;
}

export interface RemoteParticipantInput {
  readonly person: PersonView;
  readonly deviceId: string;
  /** What the LiveKit room shows of this device; undefined while it is not (yet) in the room. */
  readonly room?: SfuRemoteParticipant;
  /** Connection shown while the device is not in the room. */
  readonly absentConnection: ConnectionHealth;
  readonly volume: number;
}

export interface LiveKitViewInput {
  readonly state: GroupCallState;
  readonly ongoing: boolean;
  readonly self?: LocalParticipantInput;
  readonly remotes: readonly RemoteParticipantInput[];
  readonly activeSpeaker?: string;
  /** This device is in the call only for the walkie-talkie (nothing published until it talks). */
  readonly listenOnly?: boolean;
  /** Members on a media server this device does not receive from (multi-SFU), and why. */
  readonly unreceived?: readonly UnreceivedMember[];
}

function stream(
  media: MediaStream,
  purpose: StreamView['purpose'],
  owner: { userId: string; deviceId: string },
  local: boolean,
  audioMuted: boolean,
  videoMuted: boolean,
): StreamView {
  return Object.freeze({
    id: media.id,
    purpose,
    stream: media,
    local,
    userId: owner.userId,
    deviceId: owner.deviceId,
    audioMuted,
    videoMuted,
  });
}

function person(p: PersonView): PersonView {
  return {
    userId: p.userId,
    displayName: p.displayName,
    ...(p.avatarUrl !== undefined ? { avatarUrl: p.avatarUrl } : {}),
  };
}

function localView(self: LocalParticipantInput): ParticipantView {
  const owner = { userId: self.person.userId, deviceId: self.deviceId };
  const videoMuted = self.cameraMuted || !self.userMedia || self.userMedia.getVideoTracks().length === 0;
  const streams: StreamView[] = [];
  if (self.userMedia)
    streams.push(stream(self.userMedia, 'm.usermedia', owner, true, self.micMuted, videoMuted));
  if (self.screen) streams.push(stream(self.screen, 'm.screenshare', owner, true, true, false));
  return Object.freeze({
    ...person(self.person),
    deviceId: self.deviceId,
    local: true,
    streams: Object.freeze(streams),
    audioMuted: self.micMuted,
    videoMuted,
    speaking: self.speaking,
    connection: self.connection,
    volume: 1,
  });
}

function remoteView(input: RemoteParticipantInput): ParticipantView {
  const owner = { userId: input.person.userId, deviceId: input.deviceId };
  const room = input.room;
  const streams: StreamView[] = [];
  if (room?.userMedia)
    streams.push(stream(room.userMedia, 'm.usermedia', owner, false, room.audioMuted, room.videoMuted));
  if (room?.screen) streams.push(stream(room.screen, 'm.screenshare', owner, false, true, false));
  return Object.freeze({
    ...person(input.person),
    deviceId: input.deviceId,
    local: false,
    streams: Object.freeze(streams),
    audioMuted: room?.audioMuted ?? true,
    videoMuted: room?.videoMuted ?? true,
    speaking: room?.speaking ?? false,
    connection: room?.connection ?? input.absentConnection,
    volume: Math.max(0, Math.min(1, input.volume)),
  });
}

export function buildLiveKitView(input: LiveKitViewInput): GroupCallView {
  const participants = [...(input.self ? [localView(input.self)] : []), ...input.remotes.map(remoteView)];
  return Object.freeze({
    state: input.state,
    backend: 'livekit' as const,
    ongoing: input.ongoing,
    participants: Object.freeze(participants),
    ...(input.activeSpeaker !== undefined ? { activeSpeaker: input.activeSpeaker } : {}),
    ...(input.listenOnly ? { listenOnly: true } : {}),
    ...(input.unreceived?.length
      ? {
          unreceived: Object.freeze(
            input.unreceived.map((u) => Object.freeze({ ...u, person: person(u.person) })),
          ),
        }
      : {}),
  });
}
