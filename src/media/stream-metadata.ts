/**
 * The sdp_stream_metadata this device announces: which of its streams is the camera and which the
 * screen, and whether each is muted. Keyed by MediaStream id, which is the msid the other side sees.
 *
 * Owns: building the metadata from local streams and reading the other side's metadata for one
 * stream. Never: sends anything or changes tracks.
 */
import type {
  SdpStreamMetadata,
  SdpStreamMetadataEntry,
  SdpStreamPurpose,
} from '../signalling/voip/types.js';
import { hasLiveTrack } from './track-mute.js';

export interface LocalStreamState {
  readonly stream: MediaStream;
  readonly purpose: SdpStreamPurpose;
  readonly audioMuted: boolean;
  readonly videoMuted: boolean;
  /** Kinds whose track is still being opened (the browser is handing it over): announced as on. */
  readonly opening?: ReadonlySet<string>;
}

/** A stream without live audio (or video), and none being opened, is announced as muted for it. */
export function localStreamMetadata(streams: readonly LocalStreamState[]): SdpStreamMetadata {
  const metadata: Record<string, SdpStreamMetadataEntry> = {};
  for (const s of streams) {
    metadata[s.stream.id] = {
      purpose: s.purpose,
      audio_muted: s.audioMuted || !(s.opening?.has('audio') || hasLiveTrack(s.stream, 'audio')),
      video_muted: s.videoMuted || !(s.opening?.has('video') || hasLiveTrack(s.stream, 'video')),
    };
  }
  return Object.freeze(metadata);
}

/** metadata_changed may carry only the streams that changed: merge it over what we knew. */
export function mergeStreamMetadata(known: SdpStreamMetadata, update: SdpStreamMetadata): SdpStreamMetadata {
  return Object.freeze({ ...known, ...update });
}
