/**
 * Public API of the core (no UI): transport, controller and their types.
 * Never imports lit or anything under components/.
 */
export * from './transport/transport.js';
export * from './snapshot.js';
