/** Walkie-talkie signalling: event names, floor events, opt-in state, voice messages, encrypted files. */
export * from './parsed.js';
export * from './event-types.js';
export * from './floor-events.js';
export * from './opt-in.js';
export * from './encrypted-file.js';
export * from './voice-message-event.js';
