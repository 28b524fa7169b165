/**
 * The mesh call's GroupCallView from its parts: this device's own tile (its camera/microphone and screen
 * streams, mute and speaking), one tile per member within the size limit (its leg's streams and
 * connection, its volume), the active speaker and the listen-only mark.
 *
 * Owns: that assembly. Never: keeps state, decides who is within the limit (the caller passes the
 * members it shows), or touches a leg beyond reading its view.
 */
import type { CallView, GroupCallState, GroupCallView, PersonView, StreamView } from '../../snapshot.js';
import { buildGroupCallView, type ParticipantInput } from './group-call-view.js';
import { legKey, type MeshPeer } from './mesh-peer.js';

export interface MeshCallViewInput {
  readonly state: GroupCallState;
  readonly self: { readonly userId: string; readonly deviceId: string };
  readonly describe: (userId: string) => PersonView;
  /** This device's camera/microphone stream and its screen (shown only while sharing). */
  readonly userMedia: MediaStream | undefined;
  readonly screen: MediaStream | undefined;
  readonly micMuted: boolean;
  readonly cameraMuted: boolean;
  /** The other members shown (those within the size limit), with their legs by key. */
  readonly members: readonly MeshPeer[];
  readonly legs: ReadonlyMap<string, { readonly peer: MeshPeer; readonly call: { readonly view: CallView } }>;
  readonly speaking: ReadonlySet<string>;
  readonly activeSpeakerKey: string | undefined;
  readonly volumes: ReadonlyMap<string, number>;
  /** Others are in the call (listen-only joins do not count). */
  readonly ongoing: boolean;
  readonly listenOnly: boolean;
}

function localStreams(input: MeshCallViewInput): StreamView[] {
  const { userId, deviceId } = input.self;
  const out: StreamView[] = [];
  const user = input.userMedia;
  if (user) {
    out.push(
      Object.freeze({
        id: user.id,
        purpose: 'm.usermedia' as const,
        stream: user,
        local: true,
        userId,
        deviceId,
        audioMuted: input.micMuted,
        videoMuted: input.cameraMuted || user.getVideoTracks().length === 0,
      }),
    );
  }
  const screen = input.screen;
  if (screen) {
    out.push(
      Object.freeze({
        id: screen.id,
        purpose: 'm.screenshare' as const,
        stream: screen,
        local: true,
        userId,
        deviceId,
        audioMuted: true,
        videoMuted: false,
      }),
    );
  }
  return out;
}

export function meshCallView(input: MeshCallViewInput): GroupCallView {
  const inCall = input.state === 'joined' || input.state === 'joining';
  const participants: ParticipantInput[] = [];
  if (inCall) {
    const selfKey = legKey(input.self);
    participants.push({
      person: input.describe(input.self.userId),
      deviceId: input.self.deviceId,
      local: true,
      streams: localStreams(input),
      audioMuted: input.micMuted,
      videoMuted: input.cameraMuted,
      speaking: input.speaking.has(selfKey),
      connection: 'connected',
      volume: 1,
    });
    for (const member of input.members) {
      const key = legKey(member);
      const leg = input.legs.get(key);
      participants.push({
        person: input.describe(member.userId),
        deviceId: member.deviceId,
        local: false,
        streams: leg?.call.view.remoteStreams ?? [],
        speaking: input.speaking.has(key),
        connection: leg?.call.view.connection ?? 'new',
        volume: input.volumes.get(key) ?? 1,
      });
    }
  }
  const activeLeg = input.activeSpeakerKey ? input.legs.get(input.activeSpeakerKey) : undefined;
  return buildGroupCallView({
    state: input.state,
    // Listen-only joins (the walkie-talkie's) keep their legs but do not make the call ongoing.
    ongoing: input.ongoing,
    participants,
    ...(inCall && activeLeg ? { activeSpeaker: activeLeg.peer.userId } : {}),
    ...(input.listenOnly ? { listenOnly: true } : {}),
  });
}
