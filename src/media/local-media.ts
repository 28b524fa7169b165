/**
 * The browser's cameras, microphones and screens behind the LocalMediaSource seam a PeerCall uses.
 *
 * Owns: the constraints for a voice or video call and for screen sharing, the device the user chose,
 * and turning failures into KitMediaError. Never: keeps or stops the streams it hands out (the
 * caller owns them), or touches a peer connection.
 */
import type { LocalMediaSource } from '../ports/media-source.js';
import type { CallKind } from '../snapshot.js';
import { toKitMediaError } from './media-error.js';

export interface ChosenDevices {
  readonly audioInput?: string;
  readonly videoInput?: string;
}

/** Where getUserMedia and getDisplayMedia come from; tests and odd hosts may pass their own. */
export type MediaDevicesLike = Pick<MediaDevices, 'getUserMedia' | 'getDisplayMedia'>;

export function userMediaConstraints(kind: CallKind, devices: ChosenDevices = {}): MediaStreamConstraints {
  const audio: MediaTrackConstraints | boolean = devices.audioInput
    ? { deviceId: { exact: devices.audioInput } }
    : true;
  if (kind === 'voice') return { audio, video: false };
  // 640x360, as Element Web's calls ask. At 1280x720 the browser's encoder starts below what that size
  // needs, drops its first frames and scales down to 320x180: on loopback the first video then
  // came 150–200 ms after the audio, at a quarter of the size (bench/call-setup.bench.ts). At 640x360
  // the first frame follows the audio within a frame interval or two.
  const video: MediaTrackConstraints = {
    width: { ideal: 640 },
    height: { ideal: 360 },
    ...(devices.videoInput ? { deviceId: { exact: devices.videoInput } } : {}),
  };
  return { audio, video };
}

function allGranted(statuses: ReadonlyMap<string, PermissionStatus> | undefined, kind: CallKind): boolean {
  const names = kind === 'video' ? ['microphone', 'camera'] : ['microphone'];
  return names.every((name) => statuses?.get(name)?.state === 'granted');
}

export class BrowserMediaSource implements LocalMediaSource {
  private chosen: ChosenDevices;
  private permissions: Promise<ReadonlyMap<string, PermissionStatus> | undefined> | undefined;
  /** The watched states once the queries answered (null: the browser cannot say). */
  private knownPermissions: ReadonlyMap<string, PermissionStatus> | null | undefined;

  constructor(
    private readonly devices: MediaDevicesLike | undefined = globalThis.navigator?.mediaDevices,
    chosen: ChosenDevices = {},
  ) {
    this.chosen = chosen;
    void this.watchPermissions();
  }

  /** The devices later calls to getUserMedia use. */
  choose(chosen: ChosenDevices): void {
    this.chosen = { ...this.chosen, ...chosen };
  }

  async getUserMedia(kind: CallKind): Promise<MediaStream> {
    const request = kind === 'voice' ? 'microphone' : 'camera and microphone';
    if (!this.devices?.getUserMedia) throw toKitMediaError({ name: 'NotFoundError' }, request);
    try {
      return await this.devices.getUserMedia(userMediaConstraints(kind, this.chosen));
    } catch (error) {
      throw toKitMediaError(error, request);
    }
  }

  /**
   * Asks the Permissions API, whose answers this source keeps watching from its construction on (a
   * query costs tens of milliseconds on a busy page, which a call being answered should not wait
   * for). Anything it cannot answer counts as a prompt to come.
   */
  async grantedWithoutPrompt(kind: CallKind): Promise<boolean> {
    return allGranted(await this.watchPermissions(), kind);
  }

  grantedWithoutPromptNow(kind: CallKind): boolean | undefined {
    if (this.knownPermissions === undefined) return undefined;
    return allGranted(this.knownPermissions ?? undefined, kind);
  }

  /** The camera and microphone permission states, live (undefined: the browser cannot say). */
  private watchPermissions(): Promise<ReadonlyMap<string, PermissionStatus> | undefined> {
    this.permissions ??= (async () => {
      const permissions = globalThis.navigator?.permissions;
      if (!permissions?.query || !this.devices?.getUserMedia) return undefined;
      try {
        const names = ['microphone', 'camera'];
        const states = await Promise.all(
          names.map((name) => permissions.query({ name: name as PermissionName })),
        );
        return new Map(names.map((name, i) => [name, states[i]!]));
      } catch {
        return undefined;
      }
    })();
    void this.permissions.then((statuses) => (this.knownPermissions = statuses ?? null));
    return this.permissions;
  }

  async getDisplayMedia(): Promise<MediaStream> {
    if (!this.devices?.getDisplayMedia) throw toKitMediaError({ name: 'NotFoundError' }, 'screen');
    try {
      return await this.devices.getDisplayMedia({ video: true, audio: false });
    } catch (error) {
      throw toKitMediaError(error, 'screen');
    }
  }
}
