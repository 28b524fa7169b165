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
