export * from './dtmf-keypad.js';
