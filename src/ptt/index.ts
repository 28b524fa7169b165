/** The walkie-talkie core (no UI): floor arbiter and its driver, recording, attachment crypto, voice messages, playback. */
export * from './claim-order.js';
export * from './floor-control.js';
export * from './floor-driver.js';
export * from './recorder.js';
export * from './waveform.js';
export * from './attachment-crypto.js';
export * from './voice-message.js';
export * from './playback-queue.js';
export * from './live-audio-path.js';
export * from './walkie-needs.js';
export * from './opt-in-roster.js';
export * from './transmission.js';
export * from './received-voice.js';
export * from './audio-element-sink.js';
export * from './walkie-talkie.js';
