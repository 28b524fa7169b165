export * from './ptt-button.js';
