/** MatrixRTC membership signalling: both formats read, either written. */
export * from './event-types.js';
export * from './call-membership.js';
export * from './reading.js';
export * from './backend.js';
export * from './element-membership.js';
export * from './element-legacy.js';
export * from './famedly-membership.js';
export * from './parse-membership-event.js';
