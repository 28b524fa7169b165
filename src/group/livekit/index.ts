/**
 * The LiveKit (SFU) backend of group calls: what a page or the controller imports. Importing it is
 * cheap: livekit-client itself is loaded with a dynamic import when a call is first joined.
 *
 * Owns: the factory the controller takes as `groupBackends.livekit`, and the public surface.
 * Never: behaviour, or a static import of livekit-client.
 */
import type { GroupCallBackendContext, GroupCallBackendFactory } from '../group-call-backend.js';
import { LiveKitGroupCall, type LiveKitGroupCallOptions } from './livekit-group-call.js';

/** Options of the factory: everything but what the controller hands over in its context. */
export type LiveKitBackendOptions = Omit<
  LiveKitGroupCallOptions,
  'transport' | 'media' | 'clock' | 'describe' | 'log'
>;

/** A factory with options, e.g. `liveKitBackend({ foci: ['https://matrix-rtc.example.com/livekit/jwt'] })`. */
export function liveKitBackend(options: LiveKitBackendOptions = {}): GroupCallBackendFactory {
  const factory = (context: GroupCallBackendContext) =>
    new LiveKitGroupCall({
      ...options,
      transport: context.transport,
      media: context.media,
      describe: context.describe,
      ...(context.clock ? { clock: context.clock } : {}),
      ...(context.log ? { log: context.log } : {}),
    });
  // With the setting 'auto', a configured focus makes a call nobody is in yet start on the SFU.
  return Object.assign(factory, { preferredForNewCalls: (options.foci?.length ?? 0) > 0 });
}

/** The factory with no configured focus: the call's memberships or the host name the LiveKit service. */
export const createLiveKitGroupCall: GroupCallBackendFactory = liveKitBackend();

export { LiveKitGroupCall, type LiveKitGroupCallOptions } from './livekit-group-call.js';
export { livekitNeeds, type LiveKitNeedsOptions } from './livekit-needs.js';
export { LiveKitCallError } from './sfu-errors.js';
export {
  fetchWellKnownFoci,
  NoLivekitFocusError,
  UntrustedFocusError,
  RTC_FOCI_WELL_KNOWN_KEY,
  type LivekitFocus,
  type FocusChoice,
} from './focus.js';
export { SfuTokenError, type SfuAccess } from './token-client.js';
export {
  SfuConnectionError,
  type SfuRoom,
  type SfuRoomLoader,
  type SfuRoomState,
  type SfuRemoteParticipant,
} from './sfu-room.js';
