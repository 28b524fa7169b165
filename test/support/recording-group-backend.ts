/**
 * A labelled test double of a group call backend (the shape of the mesh and SFU backends): it records
 * every call it gets as a line ("start", "join video", "mic true", ...), moves its view to joined and
 * back on join and leave, and announces each change. For tests of what drives a backend (controller,
 * lazy loading), where real media is not the point.
 *
 * Owns: the record and the view. Never: media, Matrix events, or failures it was not told to have.
 */
import type { GroupCallBackend } from '../../src/group/group-call-backend.js';
import type { CallKind, GroupCallView } from '../../src/snapshot.js';

export class RecordingGroupBackend extends EventTarget implements GroupCallBackend {
  readonly calls: string[] = [];
  view: GroupCallView;
  readonly error = undefined;
  readonly liveAudio = null;
  membershipEventId: string | undefined;

  constructor(initial: Partial<GroupCallView> = {}, membershipEventId?: string) {
    super();
    this.view = Object.freeze({
      state: 'idle' as const,
      backend: 'livekit' as const,
      ongoing: false,
      participants: [],
      ...initial,
    });
    this.membershipEventId = membershipEventId;
  }

  async start() {
    this.calls.push('start');
  }
  async join(kind: CallKind) {
    this.calls.push(`join ${kind}`);
    this.setState('joined');
  }
  async leave() {
    this.calls.push('leave');
    this.setState('idle');
  }
  dispose() {
    this.calls.push('dispose');
  }
  async setMicMuted(muted: boolean) {
    this.calls.push(`mic ${muted}`);
  }
  async setCameraMuted(muted: boolean) {
    this.calls.push(`camera ${muted}`);
  }
  async setScreenSharing(sharing: boolean) {
    this.calls.push(`screen ${sharing}`);
  }
  setParticipantVolume(userId: string, deviceId: string, volume: number) {
    this.calls.push(`volume ${userId} ${deviceId} ${volume}`);
  }

  private setState(state: GroupCallView['state']): void {
    this.view = Object.freeze({ ...this.view, state });
    this.dispatchEvent(new Event('change'));
  }
}
