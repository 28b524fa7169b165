export * from './incoming-call.js';
