/**
 * Local media for calls: the browser's devices behind LocalMediaSource, errors in plain words,
 * muting and the stream metadata a call announces.
 *
 * Owns: re-exports only. Never: behaviour of its own.
 */
export { KitMediaError, toKitMediaError, type MediaErrorCode, type MediaRequest } from './media-error.js';
export {
  BrowserMediaSource,
  userMediaConstraints,
  type ChosenDevices,
  type MediaDevicesLike,
} from './local-media.js';
export { setTracksEnabled, hasLiveTrack, stopTracks } from './track-mute.js';
export { localStreamMetadata, mergeStreamMetadata, type LocalStreamState } from './stream-metadata.js';
