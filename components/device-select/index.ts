export * from './device-select.js';
