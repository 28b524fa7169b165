export * from './call-controls.js';
