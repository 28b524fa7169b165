/**
 * The mesh backend of group calls: the public surface of src/group/mesh/.
 *
 * Owns: what the controller and tests import. Never: behaviour.
 */
export {
  MeshGroupCall,
  MeshCallFullError,
  type MeshGroupCallOptions,
  type JoinOptions,
  type LegSummary,
} from './mesh-group-call.js';
export { meshNeeds, meshNeedsExplained, type MeshNeedsOptions, type ExplainedNeed } from './mesh-needs.js';
export { DEFAULT_MESH_TIMINGS, MESH_PARTICIPANT_LIMIT, type MeshTimings } from './mesh-timings.js';
export { placesCallTo, compareDevices, legKey, type MeshPeer } from './mesh-peer.js';
export { planLegs, type LegAction, type LegPlanInput } from './leg-plan.js';
