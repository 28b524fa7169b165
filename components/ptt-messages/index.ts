export * from './ptt-messages.js';
