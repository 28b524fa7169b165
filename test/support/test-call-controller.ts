/**
 * TEST DOUBLE of a call controller for element tests: an EventTarget holding a snapshot that the test
 * sets (each set fires `change`, as the real controller does after a transition) and recording every
 * action an element calls. It runs no engine and sends nothing anywhere.
 *
 * Also builders for snapshots, calls and streams with plain defaults, so each test states only what
 * matters to it.
 */
import type {
  CallActions,
  CallControllerApi,
  CallControllerView,
  CallKind,
  CallView,
  ParticipantView,
  PersonView,
  StreamView,
} from '../../src/snapshot.js';

export interface RecordedAction {
  readonly name: string;
  readonly args: readonly unknown[];
}

export class TestCallController extends EventTarget implements CallControllerApi {
  readonly actions: RecordedAction[] = [];
  private current: CallControllerView;

  constructor(snapshot: CallControllerView = snapshotOf()) {
    super();
    this.current = snapshot;
  }

  get snapshot(): CallControllerView {
    return this.current;
  }

  /** Replaces the snapshot and fires `change`. */
  set(next: CallControllerView): void {
    this.current = next;
    this.dispatchEvent(new Event('change'));
  }

  /** Replaces parts of the snapshot and fires `change`. */
  update(patch: Partial<CallControllerView>): void {
    this.set({ ...this.current, ...patch });
  }

  actionNames(): string[] {
    return this.actions.map((a) => a.name);
  }

  private record(name: keyof CallActions | string, args: unknown[]): void {
    this.actions.push({ name, args });
  }

  async placeCall(kind: CallKind) {
    this.record('placeCall', [kind]);
  }
  async answer(callId: string, kind?: CallKind) {
    this.record('answer', [callId, kind]);
  }
  async reject(callId: string) {
    this.record('reject', [callId]);
  }
  async hangup(callId: string) {
    this.record('hangup', [callId]);
  }
  dismiss(callId: string) {
    this.record('dismiss', [callId]);
  }
  async setMicMuted(callId: string, muted: boolean) {
    this.record('setMicMuted', [callId, muted]);
  }
  async setCameraMuted(callId: string, muted: boolean) {
    this.record('setCameraMuted', [callId, muted]);
  }
  async setHold(callId: string, onHold: boolean) {
    this.record('setHold', [callId, onHold]);
  }
  async setScreenSharing(callId: string, sharing: boolean) {
    this.record('setScreenSharing', [callId, sharing]);
  }
  sendDtmf(callId: string, tones: string) {
    this.record('sendDtmf', [callId, tones]);
  }
  async selectDevice(kind: MediaDeviceKind, deviceId: string) {
    this.record('selectDevice', [kind, deviceId]);
  }
  async joinGroupCall(kind: CallKind) {
    this.record('joinGroupCall', [kind]);
  }
  async leaveGroupCall() {
    this.record('leaveGroupCall', []);
  }
  async declineGroupCall() {
    this.record('declineGroupCall', []);
  }
  async setPttOptIn(on: boolean) {
    this.record('setPttOptIn', [on]);
  }
  pttPress() {
    this.record('pttPress', []);
  }
  pttRelease() {
    this.record('pttRelease', []);
  }
  pttPlay(id: string) {
    this.record('pttPlay', [id]);
  }
  pttPause() {
    this.record('pttPause', []);
  }
}

export const alice: PersonView = { userId: '@alice:example.org', displayName: 'Alice Liddell' };
export const bob: PersonView = { userId: '@bob:example.org', displayName: 'Bob Builder' };

export function snapshotOf(patch: Partial<CallControllerView> = {}): CallControllerView {
  return {
    status: 'ready',
    self: { userId: alice.userId, deviceId: 'ALICEDEVICE' },
    room: { roomId: '!room:example.org', members: [alice, bob], canCall: true, isPublic: false },
    calls: [],
    pending: [],
    ...patch,
  };
}

export function callOf(patch: Partial<CallView> = {}): CallView {
  return {
    id: 'call-1',
    kind: 'video',
    state: 'connected',
    direction: 'outgoing',
    peer: bob,
    localStreams: [],
    remoteStreams: [],
    micMuted: false,
    cameraMuted: false,
    onHold: false,
    remoteOnHold: false,
    screenSharing: false,
    connection: 'connected',
    waiting: false,
    missed: false,
    ...patch,
  };
}

/** A stream view over a real MediaStream (a canvas track, with a silent audio track when asked). */
export function streamOf(
  patch: Partial<StreamView> & { withAudio?: boolean; colour?: string } = {},
): StreamView {
  const { withAudio, colour, ...rest } = patch;
  return {
    id: `stream-${Math.random().toString(36).slice(2, 8)}`,
    purpose: 'm.usermedia',
    stream: canvasStream(colour ?? '#3a7bd5', withAudio ?? false),
    local: false,
    userId: bob.userId,
    audioMuted: false,
    videoMuted: false,
    ...rest,
  };
}

export function participantOf(person: PersonView, patch: Partial<ParticipantView> = {}): ParticipantView {
  return {
    ...person,
    deviceId: `${person.displayName.split(' ')[0]!.toUpperCase()}DEVICE`,
    local: false,
    streams: [],
    audioMuted: false,
    videoMuted: false,
    speaking: false,
    connection: 'connected',
    volume: 1,
    ...patch,
  };
}

function canvasStream(colour: string, withAudio: boolean): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const g = canvas.getContext('2d')!;
  g.fillStyle = colour;
  g.fillRect(0, 0, 320, 180);
  g.fillStyle = '#fff';
  g.beginPath();
  g.arc(160, 80, 40, 0, Math.PI * 2);
  g.fill();
  const stream = canvas.captureStream(5);
  if (withAudio) {
    const ctx = new AudioContext();
    const dest = ctx.createMediaStreamDestination();
    const track = dest.stream.getAudioTracks()[0];
    if (track) stream.addTrack(track);
  }
  return stream;
}
