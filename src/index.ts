/**
 * Public API of the core (no UI): transport, controller and their types.
 * Never imports lit or anything under components/.
 */
export * from './transport/transport.js';
export * from './snapshot.js';
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
} from './group/group-call-session.js';
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
