export * from './matrix-call.js';
