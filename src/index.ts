/**
 * Public API of the core (no UI): transport, controller and their types.
 * Never imports lit or anything under components/.
 */
export * from './transport/transport.js';
export * from './snapshot.js';
export { KIT_ERROR_CODES, isKitErrorCode } from './kit-errors.js';
export {
  CallController,
  DEFAULT_CONTROLLER_SETTINGS,
  type CallControllerOptions,
  type CallControllerSettings,
  type ControllerMediaSource,
} from './controller.js';
export {
  MeshGroupCall,
  MeshCallFullError,
  meshNeeds,
  meshNeedsExplained,
  MESH_PARTICIPANT_LIMIT,
  type MeshGroupCallOptions,
  type JoinOptions,
  type MeshNeedsOptions,
  type ExplainedNeed,
} from './group/mesh/index.js';
export type {
  GroupCallBackend,
  GroupCallBackendContext,
  GroupCallBackendFactory,
  GroupJoinOptions,
  BackendLiveAudio,
  LiveAudioDevice,
  MeshLiveAudio,
  SfuLiveAudio,
} from './group/group-call-backend.js';
export {
  MembershipManager,
  membershipNeeds,
  type MembershipManagerOptions,
  type WrittenMembershipFormat,
  type DelayedLeaveState,
} from './group/membership-manager.js';
export type { CallMembership, MembershipBackend } from './signalling/membership/index.js';
export {
  GroupCallSession,
  SfuUnavailableError,
  meshBackendFactory,
  type GroupCallSessionOptions,
} from './group/session/group-call-session.js';
export { GROUP_CALL_ID } from './group/group-call-id.js';
export { chooseGroupBackend, type BackendChoice, type ConcreteGroupBackend } from './group/backend-choice.js';
// The LiveKit backend's types only: its code is imported from 'matrix-call-kit/livekit', so the main
// entry never loads it (nor livekit-client).
export type {
  LiveKitBackendOptions,
  LiveKitGroupCallOptions,
  LiveKitNeedsOptions,
  LivekitFocus,
  FocusChoice,
  SfuAccess,
  SfuRoom,
  SfuRoomLoader,
} from './group/livekit/index.js';
export { lazyBackendFactory } from './group/lazy-backend.js';
export {
  WalkieTalkie,
  type WalkieTalkieOptions,
  type OptInOptions,
  type PttClock,
} from './ptt/walkie-talkie.js';
export { walkieTalkieNeeds } from './ptt/walkie-needs.js';
export type { LiveAudioPath } from './ptt/live-audio-path.js';
export {
  BrowserMediaSource,
  KitMediaError,
  toKitMediaError,
  type ChosenDevices,
  type MediaErrorCode,
} from './media/index.js';
export type { LocalMediaSource, CallClock } from './call/peer-call-contract.js';
export { WidgetTransport, type WidgetTransportOptions } from './transport/widget-transport.js';
export { parseWidgetParams, type WidgetParams, type ParsedWidgetParams } from './transport/widget-params.js';
