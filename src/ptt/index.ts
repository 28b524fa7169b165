/** The walkie-talkie core (no UI): floor arbiter and its driver, recording, attachment crypto, voice messages, playback. */
export * from './claim-order.js';
export * from './floor-control.js';
export * from './floor-driver.js';
export * from './recorder.js';
export * from './waveform.js';
export * from './attachment-crypto.js';
export * from './voice-message.js';
export * from './playback-queue.js';
