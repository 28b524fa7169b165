/** MatrixRTC ringing: call notifications (MSC4075) and declines (MSC4310). */
export * from './event-types.js';
export * from './notification.js';
export * from './decline.js';
