/**
 * The mesh call's frozen GroupCallView, built from plain inputs.
 *
 * Owns: the shape of participants (this device first, then the others in joining order), each
 * participant's mute state read from their camera/microphone stream, and freezing. Never: keeps
 * state, reads clocks or touches media.
 */
import type {
  ConnectionHealth,
  GroupCallState,
  GroupCallView,
  ParticipantView,
  PersonView,
  StreamView,
} from '../../snapshot.js';

export interface ParticipantInput {
  readonly person: PersonView;
  readonly deviceId: string;
  readonly local: boolean;
  readonly streams: readonly StreamView[];
  /** Overrides what the streams say (this device knows its own mute switches). */
  readonly audioMuted?: boolean;
  readonly videoMuted?: boolean;
  readonly speaking: boolean;
  readonly connection: ConnectionHealth;
  readonly volume: number;
}

export interface GroupCallViewInput {
  readonly state: GroupCallState;
  readonly ongoing: boolean;
  readonly participants: readonly ParticipantInput[];
  readonly activeSpeaker?: string;
  readonly listenOnly?: boolean;
}

function userMediaOf(streams: readonly StreamView[]): StreamView | undefined {
  return streams.find((s) => s.purpose === 'm.usermedia');
}

export function buildParticipantView(input: ParticipantInput): ParticipantView {
  const camera = userMediaOf(input.streams);
  return Object.freeze({
    userId: input.person.userId,
    displayName: input.person.displayName,
    ...(input.person.avatarUrl !== undefined ? { avatarUrl: input.person.avatarUrl } : {}),
    deviceId: input.deviceId,
    local: input.local,
    streams: Object.freeze([...input.streams]),
    audioMuted: input.audioMuted ?? camera?.audioMuted ?? true,
    videoMuted: input.videoMuted ?? camera?.videoMuted ?? true,
    speaking: input.speaking,
    connection: input.connection,
    volume: Math.max(0, Math.min(1, input.volume)),
  });
}

export function buildGroupCallView(input: GroupCallViewInput): GroupCallView {
  return Object.freeze({
    state: input.state,
    backend: 'mesh' as const,
    ongoing: input.ongoing,
    participants: Object.freeze(input.participants.map(buildParticipantView)),
    ...(input.activeSpeaker !== undefined ? { activeSpeaker: input.activeSpeaker } : {}),
    ...(input.listenOnly ? { listenOnly: true } : {}),
  });
}
